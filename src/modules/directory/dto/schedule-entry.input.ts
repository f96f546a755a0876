import { Field, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { Weekday } from '../directory.enums';

/** `HH:MM`, 00:00 to 23:59. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
export const SCHEDULE_NOTE_MAX_LENGTH = 500;

@InputType({ description: 'Opening hours that are the same on some days of the week, in local time.' })
export class ScheduleEntryInput {
  @Field(() => [Weekday], { description: 'The days these hours apply to: 1 to 7 different days.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsEnum(Weekday, { each: true })
  days: Weekday[];

  @Field({ description: 'Opening time, `HH:MM` on a 24-hour clock (00:00 to 23:59).' })
  @IsString()
  @Matches(TIME_OF_DAY, { message: '$property must be a time of day as HH:MM (24-hour clock)' })
  opensAt: string;

  @Field({
    description:
      'Closing time, `HH:MM` on a 24-hour clock. Earlier than `opensAt` means the service closes the next day.',
  })
  @IsString()
  @Matches(TIME_OF_DAY, { message: '$property must be a time of day as HH:MM (24-hour clock)' })
  closesAt: string;

  @Field(() => String, {
    nullable: true,
    description: `A note about these hours (up to ${SCHEDULE_NOTE_MAX_LENGTH} characters).`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(SCHEDULE_NOTE_MAX_LENGTH)
  description?: string | null;
}

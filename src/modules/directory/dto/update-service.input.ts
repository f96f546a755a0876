import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { NotNullWhenPresent } from '@harbour/graphql-kit';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DESCRIPTION_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  HTTP_URL,
  NAME_MAX_LENGTH,
  URL_MAX_LENGTH,
} from '../../../common/field-limits';
import { CapacitySignal, ServiceStatus } from '../directory.enums';
import { ServiceArea } from '../../../common/service-area';
import { ScheduleEntryInput } from './schedule-entry.input';
import { LANGUAGE_TAG, LANGUAGE_TAG_MESSAGE, MAX_LANGUAGES } from '../../../common/text';
import { MAX_AGE, MAX_LOCATIONS_PER_SERVICE, MAX_SCHEDULE_ENTRIES, MIN_AGE } from './service-fields';

@InputType({
  description:
    'Changes to a service. An omitted field keeps its value; `null` clears a field that may be empty and is refused for the others. Every update confirms the record: `assuredAt` is set to now, so an update with no fields simply confirms that the record is still accurate.',
})
export class UpdateServiceInput {
  @Field(() => String, { nullable: true, description: `Name of the service (1 to ${NAME_MAX_LENGTH} characters).` })
  @NotNullWhenPresent()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  name?: string;

  @Field(() => String, { nullable: true, description: 'Another name the service is known by; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(NAME_MAX_LENGTH)
  alternateName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `What the service offers (1 to ${DESCRIPTION_MAX_LENGTH} characters).`,
  })
  @NotNullWhenPresent()
  @IsString()
  @IsNotEmpty()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  description?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Web page of the service, an absolute http or https URL; null clears it.',
  })
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(URL_MAX_LENGTH)
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact email address of the service; null clears it.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string | null;

  @Field(() => ServiceArea, { nullable: true, description: 'The service area the service belongs to.' })
  @NotNullWhenPresent()
  @IsEnum(ServiceArea)
  serviceArea?: ServiceArea;

  @Field(() => [String], {
    nullable: true,
    description: `Languages as BCP 47 tags (up to ${MAX_LANGUAGES}); replaces the list, an empty list clears it.`,
  })
  @NotNullWhenPresent()
  @IsArray()
  @ArrayMaxSize(MAX_LANGUAGES)
  @Matches(LANGUAGE_TAG, { each: true, message: LANGUAGE_TAG_MESSAGE })
  languages?: string[];

  @Field(() => String, { nullable: true, description: 'Who the service is for, in plain language; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  eligibilityDescription?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Youngest age served (${MIN_AGE} to ${MAX_AGE}, not above maximumAge); null removes the bound.`,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_AGE)
  @Max(MAX_AGE)
  minimumAge?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: `Oldest age served (${MIN_AGE} to ${MAX_AGE}, not below minimumAge); null removes the bound.`,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_AGE)
  @Max(MAX_AGE)
  maximumAge?: number | null;

  @Field(() => ServiceStatus, { nullable: true, description: 'Whether the service is operating.' })
  @NotNullWhenPresent()
  @IsEnum(ServiceStatus)
  status?: ServiceStatus;

  @Field(() => Boolean, { nullable: true, description: 'Whether the service takes referrals through Harbour.' })
  @NotNullWhenPresent()
  @IsBoolean()
  acceptsReferrals?: boolean;

  @Field(() => CapacitySignal, { nullable: true, description: 'Whether the service can take people now.' })
  @NotNullWhenPresent()
  @IsEnum(CapacitySignal)
  capacity?: CapacitySignal;

  @Field(() => String, { nullable: true, description: 'How to apply or get started; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  applicationProcess?: string | null;

  @Field(() => String, { nullable: true, description: 'Fees, if any; null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX_LENGTH)
  feesDescription?: string | null;

  @Field(() => [ScheduleEntryInput], {
    nullable: true,
    description: `Regular opening hours (up to ${MAX_SCHEDULE_ENTRIES}); replaces the list, an empty list clears it.`,
  })
  @NotNullWhenPresent()
  @IsArray()
  @ArrayMaxSize(MAX_SCHEDULE_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => ScheduleEntryInput)
  schedules?: ScheduleEntryInput[];

  @Field(() => [ID], {
    nullable: true,
    description:
      "Where the service is delivered: ids of the acting organization's own locations; replaces the list, an empty list clears it.",
  })
  @NotNullWhenPresent()
  @IsArray()
  @ArrayMaxSize(MAX_LOCATIONS_PER_SERVICE)
  @IsUUID('all', { each: true })
  locationIds?: string[];
}

import { Field, ObjectType } from '@nestjs/graphql';
import { Weekday } from '../directory.enums';

@ObjectType('ScheduleEntry', {
  description: 'Regular opening hours of a service: the same hours on some days of the week, in local time.',
})
export class ScheduleEntryModel {
  @Field(() => [Weekday], { description: 'The days these hours apply to.' })
  days: Weekday[];

  @Field({ description: 'Opening time, `HH:MM` on a 24-hour clock.' })
  opensAt: string;

  @Field({
    description:
      'Closing time, `HH:MM` on a 24-hour clock. Earlier than `opensAt` when the service stays open past midnight.',
  })
  closesAt: string;

  @Field(() => String, { nullable: true, description: 'A note about these hours (for example "walk-in only").' })
  description: string | null;
}

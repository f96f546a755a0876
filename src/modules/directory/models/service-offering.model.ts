import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@harbour/graphql-kit';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { OrganizationModel } from '../../organizations';
import { CapacitySignal, ServiceStatus } from '../directory.enums';
import { ServiceArea } from '../../../common/service-area';
import { LocationModel } from './location.model';
import { ScheduleEntryModel } from './schedule-entry.model';

@ObjectType('Service', {
  description:
    'A service an organization offers (Open Referral HSDS service): what it is, who it is for, when and where it is delivered, and whether it takes referrals now.',
})
export class ServiceOfferingModel {
  @Field(() => ID, { description: 'Id of the service.' })
  id: string;

  @Field(() => OrganizationModel, { description: 'The organization that offers the service.' })
  organization: OrganizationModel;

  @Field({ description: 'Name of the service.' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Another name the service is known by.' })
  alternateName: string | null;

  @Field({ description: 'What the service offers, in plain language.' })
  description: string;

  @Field(() => String, { nullable: true, description: 'Web page of the service.' })
  url: string | null;

  @Field(() => String, { nullable: true, description: 'Contact email address of the service.' })
  email: string | null;

  @Field(() => ServiceArea, { description: 'The service area the service belongs to.' })
  serviceArea: ServiceArea;

  @Field(() => [String], {
    description: 'Languages the service is delivered in, as BCP 47 tags (`en`, `fr-CA`, `zh-Hant`).',
  })
  languages: string[];

  @Field(() => String, {
    nullable: true,
    description:
      'Who the service is for, in plain language (age group, household, need). Eligibility is about needs and circumstances only.',
  })
  eligibilityDescription: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Youngest age served, in years; null when there is no lower bound.',
  })
  minimumAge: number | null;

  @Field(() => Int, { nullable: true, description: 'Oldest age served, in years; null when there is no upper bound.' })
  maximumAge: number | null;

  @Field(() => ServiceStatus, { description: 'Whether the service is operating.' })
  status: ServiceStatus;

  @Field({ description: 'True when the service takes referrals through Harbour.' })
  acceptsReferrals: boolean;

  @Field(() => CapacitySignal, {
    description: 'Whether the service can take people now, as its organization last reported.',
  })
  capacity: CapacitySignal;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the organization last confirmed this record (HSDS assured date): every create and update through Harbour confirms it.',
  })
  assuredAt: Date | null;

  @Field(() => String, { nullable: true, description: 'How to apply or get started (walk in, call, referral).' })
  applicationProcess: string | null;

  @Field(() => String, { nullable: true, description: 'Fees, if any, in plain language.' })
  feesDescription: string | null;

  @Field(() => [ScheduleEntryModel], { description: 'Regular opening hours. Empty when not published.' })
  schedules: ScheduleEntryModel[];

  @Field(() => [LocationModel], {
    description:
      'Where the service is delivered (service at location), ordered by name. Confidential locations hide their whereabouts from other organizations.',
  })
  locations: LocationModel[];
}

export const ServiceOfferingConnection = ConnectionType(ServiceOfferingModel, 'service', 'Service');

@ObjectType('ServicePayload', {
  description:
    "The answer of `createService` and `updateService`: the service after the change, with `warnings` (empty: directory text is the organization's own, not a client's).",
})
export class ServiceOfferingPayload extends MutationPayload {
  @Field(() => ServiceOfferingModel, { description: 'The service after the change.' })
  service: ServiceOfferingModel;
}

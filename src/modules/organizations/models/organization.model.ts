import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@harbour/graphql-kit';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { ServiceArea } from '../../../common/service-area';
import { OrganizationKind } from '../organization-kind.enum';

@ObjectType('Organization', {
  description:
    'A city department or community organization in the network (Open Referral HSDS organization). Every authenticated caller can read the directory.',
})
export class OrganizationModel {
  @Field(() => ID, { description: 'Id of the organization.' })
  id: string;

  @Field({ description: 'Official name, unique in the network.' })
  name: string;

  @Field(() => String, {
    nullable: true,
    description: 'Another name the organization is known by (an acronym, a name in another language).',
  })
  alternateName: string | null;

  @Field({ description: 'What the organization does, in plain language.' })
  description: string;

  @Field(() => OrganizationKind, { description: 'City department or community organization.' })
  kind: OrganizationKind;

  @Field(() => String, { nullable: true, description: 'General contact email address.' })
  email: string | null;

  @Field(() => String, { nullable: true, description: 'Public website (http or https URL).' })
  website: string | null;

  @Field(() => String, { nullable: true, description: 'General contact phone number, as the organization writes it.' })
  phone: string | null;

  @Field(() => [ServiceArea], { description: 'The service areas the organization works in.' })
  serviceAreas: ServiceArea[];

  @Field({
    description:
      'True for the one organization that runs the network (the city office). Set when the network is created; never changes.',
  })
  isNetworkOperator: boolean;

  @Field({
    description:
      'False when the network operator has deactivated the organization: its staff and API clients can no longer act, but its directory records stay readable.',
  })
  active: boolean;

  @Field(() => GraphQLISODateTime, { description: 'When the organization was admitted to the network.' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { description: "When the organization's profile last changed." })
  updatedAt: Date;
}

export const OrganizationConnection = ConnectionType(OrganizationModel, 'organization', 'Organization');

@ObjectType('OrganizationPayload', {
  description:
    "The answer of `createOrganization` and `updateOrganization`: the organization after the change, with `warnings` (empty: directory text is the organization's own, not a client's).",
})
export class OrganizationPayload extends MutationPayload {
  @Field(() => OrganizationModel, { description: 'The organization after the change.' })
  organization: OrganizationModel;
}

import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ServiceArea } from '../../../common/service-area';

@ObjectType({
  description:
    "A service area's lead: the one person in the network operator accountable for the area. Reached through the operator's general contact details, never the lead's own.",
})
export class ServiceAreaLead {
  @Field({ description: 'How the lead is named in the network operator.' })
  displayName: string;

  @Field(() => ID, { description: 'The network operator, where every lead is a member.' })
  organizationId: string;

  @Field({ description: "The network operator's name." })
  organizationName: string;

  @Field(() => String, { nullable: true, description: "The network operator's general contact email." })
  email: string | null;

  @Field(() => String, { nullable: true, description: "The network operator's general contact phone number." })
  phone: string | null;
}

@ObjectType({
  description:
    'One area of the fixed service-area list, with who answers for it and how much of the network works in it. Directory and staff facts only: no client data, no referral counts.',
})
export class ServiceAreaOverview {
  @Field(() => ServiceArea, { description: 'The service area.' })
  area: ServiceArea;

  @Field(() => ServiceAreaLead, {
    nullable: true,
    description: 'The active SERVICE_AREA_LEAD naming this area; null when it has none. An area has at most one.',
  })
  lead: ServiceAreaLead | null;

  @Field({ description: 'True when the area has an active lead.' })
  hasLead: boolean;

  @Field(() => Int, { description: 'Active organizations that list this area among their service areas.' })
  memberOrganizationCount: number;

  @Field(() => Int, { description: 'ACTIVE services in this area, of active organizations.' })
  activeServiceCount: number;

  @Field({
    description:
      'Flagged for the network operator: the area has active services but no lead, so nobody answers for it.',
  })
  needsLead: boolean;
}

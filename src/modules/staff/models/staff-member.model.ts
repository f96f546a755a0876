import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role } from '@harbour/authz';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { ServiceArea } from '../../../common/service-area';

@ObjectType({ description: "A person's membership in your organization." })
export class StaffMember {
  @Field(() => ID, { description: 'The staff account id.' })
  accountId: string;

  @Field({ description: 'Sign-in email.' })
  email: string;

  @Field({
    description: 'How the person is named in your organization: the name your administrator typed when inviting them.',
  })
  displayName: string;

  @Field(() => [Role], { description: 'Roles in your organization.' })
  roles: Role[];

  @Field(() => ServiceArea, { nullable: true, description: 'For a SERVICE_AREA_LEAD: the area they report on.' })
  leadServiceArea: ServiceArea | null;

  @Field({ description: 'False once deactivated: the person can no longer act for your organization.' })
  active: boolean;

  @Field({ description: 'When the person joined (accepted their invitation).' })
  createdAt: Date;
}

@ObjectType({
  description: 'An invitation that has not been accepted yet. It grants nothing until the invitee accepts it.',
})
export class StaffInvitation {
  @Field(() => ID, { description: 'The invitation id.' })
  id: string;

  @Field(() => ID, { description: 'The organization the invitee will join.' })
  organizationId: string;

  @Field({ description: 'The email the invitation was sent to: only the account with this email can accept it.' })
  email: string;

  @Field({ description: 'The name the inviting administrator typed; the membership keeps it.' })
  displayName: string;

  @Field(() => [Role], { description: 'The roles the membership will have.' })
  roles: Role[];

  @Field(() => ServiceArea, { nullable: true, description: 'For a SERVICE_AREA_LEAD: the area they will report on.' })
  leadServiceArea: ServiceArea | null;

  @Field({ description: 'When the invitation was made.' })
  createdAt: Date;

  @Field({ description: 'When the invitation stops working.' })
  expiresAt: Date;
}

@ObjectType({
  description:
    'The answer of `createStaffAccount`: the invitation and its one-time token, with `warnings` (empty: its input holds no free text about a client). The answer has the same shape whether or not the email already has a Harbour account, and says nothing about such an account.',
})
export class CreateStaffAccountPayload extends MutationPayload {
  @Field(() => StaffInvitation, { description: 'The invitation, as you made it.' })
  invitation: StaffInvitation;

  @Field({ description: 'One-time token for `acceptInvitation`. Shown only now; deliver it to the person privately.' })
  invitationToken: string;

  @Field({ description: 'When the invitation stops working.' })
  invitationExpiresAt: Date;
}

@ObjectType({
  description:
    'The answer of `setStaffRoles` and `deactivateStaffAccount`: the membership after the change, with `warnings` (empty: its input holds no free text about a client).',
})
export class StaffMemberPayload extends MutationPayload {
  @Field(() => StaffMember, { description: "The person's membership after the change." })
  staffMember: StaffMember;
}

import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role } from '@harbour/authz/permissions';
import { ServiceArea } from '../../directory/directory.enums';

@ObjectType({ description: "A person's membership in your organization." })
export class StaffMember {
  @Field(() => ID, { description: 'The staff account id.' })
  accountId: string;

  @Field({ description: 'Sign-in email.' })
  email: string;

  @Field({ description: 'Display name.' })
  displayName: string;

  @Field(() => [Role], { description: 'Roles in your organization.' })
  roles: Role[];

  @Field(() => ServiceArea, { nullable: true, description: 'For a SERVICE_AREA_LEAD: the area they report on.' })
  leadServiceArea: ServiceArea | null;

  @Field({ description: 'False once deactivated: the person can no longer act for your organization.' })
  active: boolean;

  @Field({ description: 'True until the person has accepted an invitation and set a password.' })
  invitationPending: boolean;

  @Field({ description: 'When the membership was created.' })
  createdAt: Date;
}

@ObjectType({ description: 'The invited staff member and the one-time invitation token to hand to them.' })
export class CreateStaffAccountPayload {
  @Field(() => StaffMember, { description: 'The new membership.' })
  staffMember: StaffMember;

  @Field({ description: 'One-time token for `acceptInvitation`. Shown only now; deliver it to the person privately.' })
  invitationToken: string;

  @Field({ description: 'When the invitation stops working.' })
  invitationExpiresAt: Date;
}

import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type GraphQLContext, requestInfoOf } from '../../auth/request-context';
import {
  CurrentActor,
  OptionalActor,
  Permission,
  PublicOperation,
  RequirePermission,
  type Actor,
} from '@harbour/authz';
import { ConnectionArgs, ConnectionType } from '@harbour/graphql-kit';
import { LoginPayload } from '../../auth/models/login-payload.model';
import { AcceptInvitationInput } from './dto/accept-invitation.input';
import { CreateStaffAccountInput } from './dto/create-staff-account.input';
import { SetStaffRolesInput } from './dto/set-staff-roles.input';
import { InvitationsService } from './invitations.service';
import {
  CreateStaffAccountPayload,
  StaffInvitation,
  StaffMember,
  StaffMemberPayload,
} from './models/staff-member.model';
import { StaffService } from './staff.service';

const StaffMemberConnection = ConnectionType(StaffMember, 'staff member', 'StaffMember');
const StaffInvitationConnection = ConnectionType(StaffInvitation, 'pending invitation', 'StaffInvitation');

const STAFF_ADMINISTRATION = [Permission.STAFF_MANAGE, Permission.NETWORK_ROLES_MANAGE] as const;

@Resolver(() => StaffMember)
export class StaffResolver {
  constructor(
    private readonly staff: StaffService,
    private readonly invitations: InvitationsService,
  ) {}

  @Query(() => StaffMemberConnection, { description: "The acting organization's staff, oldest membership first." })
  @RequirePermission(...STAFF_ADMINISTRATION)
  staffMembers(@CurrentActor() actor: Actor, @Args() args: ConnectionArgs) {
    return this.staff.list(actor, args);
  }

  @Query(() => StaffInvitationConnection, {
    description: "The acting organization's pending invitations (not accepted, replaced or expired), oldest first.",
  })
  @RequirePermission(...STAFF_ADMINISTRATION)
  staffInvitations(@CurrentActor() actor: Actor, @Args() args: ConnectionArgs) {
    return this.staff.invitations(actor, args);
  }

  @Mutation(() => CreateStaffAccountPayload, {
    description:
      'Invite a person with some roles. Returns a one-time invitation token (it expires) for `acceptInvitation`. Nothing exists until the person accepts: no account is created or changed, no membership granted, and the answer is the same whether or not the email already has an account. A new invitation of the same email replaces a pending one.',
  })
  @RequirePermission(...STAFF_ADMINISTRATION, Permission.STAFF_INVITE_FIRST_ADMIN)
  createStaffAccount(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'Who to invite, where, with which roles.' }) input: CreateStaffAccountInput,
  ) {
    return this.staff.create(actor, input);
  }

  @Mutation(() => StaffMemberPayload, {
    description: "Replace a staff member's roles in the acting organization. Takes effect on their next request.",
  })
  @RequirePermission(...STAFF_ADMINISTRATION)
  setStaffRoles(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The staff member and their new roles.' }) input: SetStaffRolesInput,
  ) {
    return this.staff.setRoles(actor, input);
  }

  @Mutation(() => StaffMemberPayload, {
    description:
      "End a person's membership of the acting organization. Their tokens for it stop working on the next request; their other memberships are untouched.",
  })
  @RequirePermission(...STAFF_ADMINISTRATION)
  deactivateStaffAccount(
    @CurrentActor() actor: Actor,
    @Args('accountId', { type: () => ID, description: 'The staff account to deactivate.' }) accountId: string,
  ) {
    return this.staff.deactivate(actor, accountId);
  }

  @Mutation(() => LoginPayload, {
    description:
      'Accept an invitation and sign in for the inviting organization. New to Harbour: send no credential and choose your password. Already have an account: sign in first and accept with your own session (`Authorization: Bearer …`, no password). Refused attempts are throttled like sign-in.',
  })
  @PublicOperation()
  acceptInvitation(
    @Args('input', { description: 'The token, and the password of a new account.' }) input: AcceptInvitationInput,
    @Context() context: GraphQLContext,
    @OptionalActor() actor: Actor | null,
  ) {
    return this.invitations.accept(input, requestInfoOf(context), actor);
  }
}

import { AuditCategory, AuditRecorder, AuditTrail, auditContextOf } from '@harbour/audit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Permission, Role, grantableRoles, hasPermission, type Actor } from '@harbour/authz';
import {
  BadUserInputError,
  ConflictError,
  ConnectionArgs,
  ForbiddenError,
  NotFoundError,
  paginate,
  type Connection,
} from '@harbour/graphql-kit';
import { createHash, randomBytes } from 'node:crypto';
import { normalizeEmail } from '../../auth/auth.service';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Organization } from '../organizations/organization.entity';
import { CreateStaffAccountInput } from './dto/create-staff-account.input';
import { SetStaffRolesInput } from './dto/set-staff-roles.input';
import { Invitation } from './invitation.entity';
import { Membership } from './membership.entity';
import {
  CreateStaffAccountPayload,
  StaffInvitation,
  StaffMember,
  StaffMemberPayload,
} from './models/staff-member.model';
import { afterKey, asDate } from '../../common/keyset';
import { AccessGate } from '../../access/access-gate';
import type { ServiceArea } from '../../common/service-area';
import { activeLeadOf, areaHasLead, isSecondLead } from './service-area-leads';

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function toStaffMember(membership: Membership): StaffMember {
  return {
    accountId: membership.account.id,
    email: membership.account.email,
    displayName: membership.displayName,
    roles: membership.roles,
    leadServiceArea: membership.leadServiceArea,
    active: membership.active,
    createdAt: membership.createdAt,
  };
}

export function toStaffInvitation(invitation: Invitation): StaffInvitation {
  return {
    id: invitation.id,
    organizationId: invitation.organization.id,
    email: invitation.email,
    displayName: invitation.displayName,
    roles: invitation.roles,
    leadServiceArea: invitation.leadServiceArea,
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
  };
}

/**
 * Staff of an organization join by invitation; administrators never learn a password. Which roles
 * an actor may grant comes from the permission table (`grantableRoles`), never from role names.
 */
@Injectable()
export class StaffService {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
  ) {}

  async list(actor: Actor, args: ConnectionArgs): Promise<Connection<StaffMember>> {
    const where = { organization: actor.organizationId };
    return paginate(args, 2, {
      rows: ({ limit, after }) =>
        this.em.find(
          Membership,
          { ...where, ...afterKey(after, 'createdAt', asDate) },
          { populate: ['account'], orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit },
        ),
      count: () => this.em.count(Membership, where),
      keyOf: (m) => [m.createdAt.toISOString(), m.id],
      toNode: toStaffMember,
    });
  }

  /** Pending invitations of the actor's organization, oldest first. */
  async invitations(actor: Actor, args: ConnectionArgs): Promise<Connection<StaffInvitation>> {
    const where = {
      organization: actor.organizationId,
      acceptedAt: null,
      revokedAt: null,
      expiresAt: { $gt: new Date() },
    };
    return paginate(args, 2, {
      rows: ({ limit, after }) =>
        this.em.find(
          Invitation,
          { ...where, ...afterKey(after, 'createdAt', asDate) },
          { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit },
        ),
      count: () => this.em.count(Invitation, where),
      keyOf: (i) => [i.createdAt.toISOString(), i.id],
      toNode: toStaffInvitation,
    });
  }

  /**
   * Invites a person. No account is looked at or touched, and no membership exists until the
   * person accepts (see InvitationsService): the answer is the same whether or not the email
   * already has an account. A newer invitation of the same email replaces a pending one.
   */
  async create(actor: Actor, input: CreateStaffAccountInput): Promise<CreateStaffAccountPayload> {
    const organizationId = input.organizationId ?? actor.organizationId;
    const email = normalizeEmail(input.email);
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const organization = await em.findOne(Organization, organizationId);
      if (!organization) throw new NotFoundError('Organization', organizationId);
      const firstAdminInvite = await this.mayInviteFirstAdmin(em, actor, organizationId, input.roles);
      if (organizationId !== actor.organizationId && !firstAdminInvite)
        throw new NotFoundError('Organization', organizationId);
      if (!firstAdminInvite) this.requireGrantable(actor, input.roles);
      this.requireLeadArea(input.roles, input.leadServiceArea);
      if (input.leadServiceArea && (await activeLeadOf(em, input.leadServiceArea)))
        throw areaHasLead(
          input.leadServiceArea,
          'input.leadServiceArea',
          'Invite the person without SERVICE_AREA_LEAD, then name them with setStaffRoles and replaceLead once they have joined.',
        );
      // Only within the actor's own organization, whose members its administrators see anyway.
      if (
        organizationId === actor.organizationId &&
        (await em.count(Membership, { account: { email }, organization, active: true }))
      ) {
        throw new ConflictError(
          'This person is already a member of your organization: change their roles with setStaffRoles.',
        );
      }
      const now = new Date();
      const pending = { organization, acceptedAt: null, revokedAt: null };
      await em.nativeUpdate(
        Invitation,
        firstAdminInvite ? { ...pending, roles: { $contains: [Role.ORG_ADMIN] } } : { ...pending, email },
        { revokedAt: now },
      );
      const token = randomBytes(32).toString('base64url');
      const invitation = em.create(Invitation, {
        organization,
        email,
        displayName: input.displayName,
        roles: input.roles,
        leadServiceArea: input.leadServiceArea ?? null,
        tokenHash: hashInvitationToken(token),
        expiresAt: new Date(now.getTime() + this.config.auth.invitationTtlHours * 3_600_000),
        createdBy: actor.id,
        createdAt: now,
      });
      audit.record({
        action: 'staff.invite',
        category: AuditCategory.CREATE,
        entityType: 'Invitation',
        entityId: invitation.id,
        details: { organizationId, roles: input.roles },
      });
      await em.flush();
      return {
        invitation: toStaffInvitation(invitation),
        invitationToken: token,
        invitationExpiresAt: invitation.expiresAt,
        warnings: [],
      };
    });
  }

  async setRoles(actor: Actor, input: SetStaffRolesInput): Promise<StaffMemberPayload> {
    try {
      return await this.audit.transaction(auditContextOf(actor), async (em, audit) => {
        const membership = await this.access.require(em, actor, 'StaffMember', input.accountId);
        if (input.accountId === actor.id)
          throw new ForbiddenError('Nobody changes their own roles: ask another administrator.');
        const before = new Set(membership.roles);
        const after = new Set(input.roles);
        const changed = [
          ...input.roles.filter((r) => !before.has(r)),
          ...membership.roles.filter((r) => !after.has(r)),
        ];
        this.requireGrantable(actor, changed);
        this.requireLeadArea(input.roles, input.leadServiceArea);
        if (input.leadServiceArea && membership.active)
          await this.makeRoomForLead(em, audit, actor, membership, input.leadServiceArea, input.replaceLead === true);
        membership.roles = input.roles;
        membership.leadServiceArea = input.leadServiceArea ?? null;
        audit.record({
          action: 'staff.roles.set',
          category: AuditCategory.UPDATE,
          entityType: 'StaffAccount',
          entityId: input.accountId,
          details: { roles: input.roles, leadServiceArea: input.leadServiceArea ?? null },
        });
        await em.flush();
        return { staffMember: toStaffMember(membership), warnings: [] };
      });
    } catch (error) {
      if (input.leadServiceArea && isSecondLead(error))
        throw areaHasLead(
          input.leadServiceArea,
          'input.leadServiceArea',
          'Another change named one at the same moment: look at serviceAreas, then try again (with replaceLead to replace them).',
        );
      throw error;
    }
  }

  /**
   * Naming the lead of an area that has another is refused, unless the caller asked to replace
   * them: then the other's lead role is withdrawn first, in the same transaction and audited as a
   * change of their roles, so that the area has exactly one lead at every moment.
   */
  private async makeRoomForLead(
    em: EntityManager,
    audit: AuditRecorder,
    actor: Actor,
    membership: Membership,
    area: ServiceArea,
    replace: boolean,
  ): Promise<void> {
    const current = await activeLeadOf(em, area, membership.id);
    if (!current) return;
    if (!replace)
      throw areaHasLead(area, 'input.leadServiceArea', 'Set replaceLead to replace the current lead with this person.');
    if (current.account.id === actor.id)
      throw new ForbiddenError('You are the lead of this area: ask another administrator to replace you.');
    current.roles = current.roles.filter((role) => role !== Role.SERVICE_AREA_LEAD);
    current.leadServiceArea = null;
    audit.record({
      action: 'staff.roles.set',
      category: AuditCategory.UPDATE,
      entityType: 'StaffAccount',
      entityId: current.account.id,
      details: { roles: current.roles, leadServiceArea: null, replacedBy: membership.account.id },
    });
    // Written before the new lead is: the unique index sees one lead at every moment.
    await em.flush();
  }

  async deactivate(actor: Actor, accountId: string): Promise<StaffMemberPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const membership = await this.access.require(em, actor, 'StaffMember', accountId);
      if (accountId === actor.id)
        throw new BadUserInputError('You cannot deactivate yourself: ask another administrator.', [
          { field: 'accountId', message: 'is your own account' },
        ]);
      this.requireGrantable(actor, membership.roles);
      membership.active = false;
      audit.record({
        action: 'staff.deactivate',
        category: AuditCategory.DELETE,
        entityType: 'StaffAccount',
        entityId: accountId,
      });
      await em.flush();
      return { staffMember: toStaffMember(membership), warnings: [] };
    });
  }

  private requireGrantable(actor: Actor, roles: readonly Role[]): void {
    const grantable = grantableRoles(actor.permissions);
    const refused = roles.filter((role) => !grantable.has(role));
    if (refused.length > 0)
      throw new ForbiddenError(`You may not grant or withdraw these roles: ${refused.join(', ')}.`);
  }

  private requireLeadArea(roles: readonly Role[], area: unknown): void {
    const lead = roles.includes(Role.SERVICE_AREA_LEAD);
    if (lead !== (area !== undefined && area !== null)) {
      throw new BadUserInputError('leadServiceArea is required with SERVICE_AREA_LEAD, and only with it.', [
        {
          field: 'input.leadServiceArea',
          message: lead ? 'is required with SERVICE_AREA_LEAD' : 'is only for SERVICE_AREA_LEAD',
        },
      ]);
    }
  }

  /** A network administrator may invite exactly one ORG_ADMIN into an organization that has none. */
  private async mayInviteFirstAdmin(
    em: EntityManager,
    actor: Actor,
    organizationId: string,
    roles: readonly Role[],
  ): Promise<boolean> {
    if (!hasPermission(actor, Permission.STAFF_INVITE_FIRST_ADMIN)) return false;
    if (roles.length !== 1 || roles[0] !== Role.ORG_ADMIN) {
      if (organizationId === actor.organizationId) return false;
      throw new BadUserInputError('In another organization you may only invite its first ORG_ADMIN.', [
        { field: 'input.roles', message: 'must be exactly [ORG_ADMIN]' },
      ]);
    }
    const admins = await em.count(Membership, {
      organization: organizationId,
      active: true,
      roles: { $contains: [Role.ORG_ADMIN] },
    });
    if (admins > 0) {
      if (organizationId === actor.organizationId) return false;
      throw new ConflictError('That organization already has an ORG_ADMIN; its administrators invite further staff.');
    }
    return true;
  }
}

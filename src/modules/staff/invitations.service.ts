import { anonymousContext, signedInContext } from '@harbour/audit/audit-context';
import { AuditTrail } from '@harbour/audit/audit-trail.service';
import { AuditCategory } from '@harbour/audit/audit.types';
import type { RequestInfo } from '@harbour/authz/actor';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { BadUserInputError } from '@harbour/graphql-kit/errors/domain-error';
import { AuthService } from '../../auth/auth.service';
import { LoginPayload } from '../../auth/models/login-payload.model';
import { PasswordHasher } from '../../auth/password-hasher';
import { PASSWORD_MIN_LENGTH } from '../../auth/password-hasher';
import { AcceptInvitationInput } from './dto/accept-invitation.input';
import { Invitation } from './invitation.entity';
import { hashInvitationToken } from './staff.service';

const INVALID = 'This invitation is not valid: it may have expired or been used already.';

@Injectable()
export class InvitationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * A new person sets their password; a person who already has one (joining a second organization)
   * proves it instead, so that an invitation can never take over an existing account.
   */
  async accept(input: AcceptInvitationInput, request: RequestInfo): Promise<LoginPayload> {
    let joined: { accountId: string; organizationId: string; roles: string[] } | undefined;
    const { accountId, organizationId } = await this.audit.transaction(
      () => (joined ? signedInContext(joined.accountId, joined.organizationId, joined.roles, request) : anonymousContext(request)),
      async (em, audit) => {
      const invitation = await em.findOne(
        Invitation,
        { tokenHash: hashInvitationToken(input.token), acceptedAt: null, expiresAt: { $gt: new Date() } },
        { populate: ['membership.account', 'membership.organization'], lockMode: undefined },
      );
      if (!invitation || !invitation.membership.active) throw new BadUserInputError(INVALID, [{ field: 'input.token', message: 'is not valid' }]);
      const account = invitation.membership.account;
      if (account.passwordHash === null) {
        if (input.password.length < PASSWORD_MIN_LENGTH) {
          throw new BadUserInputError(`The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`, [
            { field: 'input.password', message: `must be at least ${PASSWORD_MIN_LENGTH} characters` },
          ]);
        }
        account.passwordHash = await this.hasher.hash(input.password);
        account.passwordChangedAt = new Date();
      } else if (!(await this.hasher.verify(account.passwordHash, input.password))) {
        throw new BadUserInputError('This account already has a password: enter it to join the organization.', [
          { field: 'input.password', message: 'is not the current password of this account' },
        ]);
      }
      // Conditional update: two concurrent acceptances of one token cannot both succeed.
      const claimed = await em.nativeUpdate(Invitation, { id: invitation.id, acceptedAt: null }, { acceptedAt: new Date() });
      if (claimed !== 1) throw new BadUserInputError(INVALID, [{ field: 'input.token', message: 'is not valid' }]);
      joined = { accountId: account.id, organizationId: invitation.membership.organization.id, roles: invitation.membership.roles };
      audit.record({ action: 'staff.invitation.accept', category: AuditCategory.LOGIN, entityType: 'StaffAccount', entityId: account.id, details: { invitationId: invitation.id } });
      await em.flush();
      return joined;
    });
    return this.auth.issueToken(accountId, organizationId);
  }
}

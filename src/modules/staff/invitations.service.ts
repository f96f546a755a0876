import {
  AuditCategory,
  AuditTrail,
  anonymousContext,
  auditContextOf,
  markDenialRecorded,
  signedInContext,
} from '@harbour/audit';
import type { Actor, RequestInfo } from '@harbour/authz';
import { BadUserInputError, ForbiddenError } from '@harbour/graphql-kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthService } from '../../auth/auth.service';
import { LoginThrottleService } from '../../auth/login-throttle.service';
import { LoginPayload } from '../../auth/models/login-payload.model';
import { PasswordHasher } from '../../auth/password-hasher';
import { requireAcceptablePassword } from '../../auth/password-policy';
import { AcceptInvitationInput } from './dto/accept-invitation.input';
import { Invitation } from './invitation.entity';
import { Membership } from './membership.entity';
import { StaffAccount } from './staff-account.entity';
import { areaHasLead, isSecondLead } from './service-area-leads';
import { hashInvitationToken } from './staff.service';

const INVALID = 'This invitation is not valid: it may have expired, been replaced or been used already.';
const LOCKED = 'Too many failed attempts to accept invitations. Try again later.';
const SIGN_IN_FIRST =
  'This invitation cannot be accepted this way. If you already have a Harbour account, sign in and accept it with your own session (without a password); otherwise ask your administrator.';
const ANOTHER_PERSON = 'This invitation is for someone else: sign in as the invited person to accept it.';

/** The invitee's account got a password of its own while this acceptance was on its way. */
class AccountAppeared extends Error {}

/** Why an acceptance was refused, for the DENIED event (never the token or an email). */
type Refusal = 'invalid' | 'locked' | 'sign-in-required' | 'another-account' | 'partner-system';

/**
 * Accepting an invitation creates the membership it describes, and nothing else can. A person new
 * to Harbour sends no credential and sets their password; a person who already has an account
 * accepts while signed in as themselves, so that no invitation ever asks for, tests or touches an
 * existing password. Refused attempts are throttled like sign-in and recorded as DENIED.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditTrail,
  ) {}

  async accept(input: AcceptInvitationInput, request: RequestInfo, actor: Actor | null): Promise<LoginPayload> {
    const keys = this.throttle.invitationKeysFor(input.token, request.sourceAddress);
    const refuse = async (why: Refusal, message: string, field = 'input.token'): Promise<never> => {
      await this.audit.recordDenied(actor ? auditContextOf(actor) : anonymousContext(request), {
        action: 'staff.invitation.accept',
        category: AuditCategory.LOGIN,
        details: { refusal: why },
      });
      if (why !== 'locked') await sleep(await this.throttle.recordFailure(keys));
      if (why === 'partner-system') throw markDenialRecorded(new ForbiddenError(message));
      throw new BadUserInputError(message, [
        { field, message: why === 'invalid' || why === 'locked' ? 'is not valid' : message },
      ]);
    };
    if (await this.throttle.lockedUntil(keys)) return refuse('locked', LOCKED);
    if (actor && actor.kind !== 'STAFF')
      return refuse('partner-system', 'A partner system cannot accept an invitation: invitations are for people.');

    const now = new Date();
    const invitation = await this.em.findOne(
      Invitation,
      { tokenHash: hashInvitationToken(input.token), acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { populate: ['organization'] },
    );
    if (!invitation || !invitation.organization.active) return refuse('invalid', INVALID);
    const account = await this.em.findOne(StaffAccount, { email: invitation.email });
    if (actor) {
      if (account?.id !== actor.id) return refuse('another-account', ANOTHER_PERSON);
      if (input.password)
        return refuse('sign-in-required', 'You are signed in: accept without a password.', 'input.password');
    } else if (account?.passwordHash) {
      return refuse('sign-in-required', SIGN_IN_FIRST);
    } else if (!input.password) {
      throw new BadUserInputError('Choose a password for your new account.', [
        { field: 'input.password', message: 'is required for a new account' },
      ]);
    } else {
      requireAcceptablePassword('input.password', input.password, {
        email: invitation.email,
        organizationName: invitation.organization.name,
        displayName: invitation.displayName,
      });
    }
    const passwordHash = !actor && input.password ? await this.hasher.hash(input.password) : null;

    const personId = account?.id ?? randomUUID();
    const joined = await this.join(invitation, personId, passwordHash, request, now).catch((error: unknown) => {
      // The area got its lead after the invitation was made: nothing was joined, the invitation stays pending.
      if (invitation.leadServiceArea && isSecondLead(error))
        throw areaHasLead(
          invitation.leadServiceArea,
          'input.token',
          'This invitation would make you its second: ask a network administrator.',
        );
      // Another invitation of the same new email was accepted at the same moment: that account now exists.
      if (error instanceof UniqueConstraintViolationException || error instanceof AccountAppeared)
        return refuse('sign-in-required', SIGN_IN_FIRST);
      throw error;
    });
    await this.throttle.recordSuccess(keys);
    return this.auth.issueToken(joined, invitation.organization.id);
  }

  /** The acceptance itself, in one audited transaction: the invitation claimed, the account (when new) and the membership. */
  private join(
    invitation: Invitation,
    personId: string,
    passwordHash: string | null,
    request: RequestInfo,
    now: Date,
  ): Promise<StaffAccount> {
    return this.audit.transaction(
      signedInContext(personId, invitation.organization.id, invitation.roles, request),
      async (em, audit) => {
        // Conditional update: two concurrent acceptances of one token cannot both succeed.
        const claimed = await em.nativeUpdate(
          Invitation,
          { id: invitation.id, acceptedAt: null, revokedAt: null },
          { acceptedAt: now },
        );
        if (claimed !== 1) throw new BadUserInputError(INVALID, [{ field: 'input.token', message: 'is not valid' }]);
        // Loaded again in this transaction, so that what changes on it is flushed with the rest.
        const existing = await em.findOne(StaffAccount, personId);
        const person =
          existing ??
          em.create(StaffAccount, {
            id: personId,
            email: invitation.email,
            displayName: invitation.displayName,
            passwordHash,
            passwordChangedAt: now,
          });
        if (existing && passwordHash) {
          // Accepted without a credential: the account must still have no password of its own.
          if (existing.passwordHash !== null) throw new AccountAppeared();
          existing.passwordHash = passwordHash;
          existing.passwordChangedAt = now;
        }
        const membership = await em.findOne(Membership, { account: person, organization: invitation.organization });
        if (membership) {
          // A former (or current) member: the invitation's roles join whatever is still active.
          membership.roles = [...new Set([...(membership.active ? membership.roles : []), ...invitation.roles])];
          membership.leadServiceArea =
            invitation.leadServiceArea ?? (membership.active ? membership.leadServiceArea : null);
          membership.active = true;
        } else {
          em.create(Membership, {
            account: person,
            organization: invitation.organization,
            displayName: invitation.displayName,
            roles: invitation.roles,
            leadServiceArea: invitation.leadServiceArea,
          });
        }
        await em.nativeUpdate(Invitation, { id: invitation.id }, { acceptedBy: person.id });
        audit.record({
          action: 'staff.invitation.accept',
          category: AuditCategory.LOGIN,
          entityType: 'StaffAccount',
          entityId: person.id,
          details: { invitationId: invitation.id, newAccount: existing === null },
        });
        await em.flush();
        return person;
      },
    );
  }
}

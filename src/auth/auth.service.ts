import {
  AuditCategory,
  AuditTrail,
  anonymousContext,
  auditContextOf,
  markDenialRecorded,
  signedInContext,
} from '@harbour/audit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Actor, RequestInfo } from '@harbour/authz';
import { BadUserInputError, UnauthenticatedError } from '@harbour/graphql-kit';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ApiClient } from '../modules/staff/api-client.entity';
import { Membership } from '../modules/staff/membership.entity';
import { StaffAccount } from '../modules/staff/staff-account.entity';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type AccessTokenPayload } from './request-authenticator';
import { ChangePasswordInput } from './dto/change-password.input';
import { LoginInput } from './dto/login.input';
import { LoginThrottleService } from './login-throttle.service';
import { ActorKind, Me } from './models/me.model';
import { LoginPayload } from './models/login-payload.model';
import { trainingStatusOf } from './models/training-status.model';
import { PasswordHasher } from './password-hasher';
import { requireAcceptablePassword } from './password-policy';
import { Organization } from '../modules/organizations/organization.entity';

const WRONG_CREDENTIALS = 'Email or password is incorrect.';
const LOCKED = 'Too many failed sign-in attempts. Sign-in is locked for a while; try again later.';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Same work and same answer whether or not the email exists: unknown emails verify against a
   * dummy hash, and the throttle is keyed by the typed email rather than by the account.
   */
  async login(input: LoginInput, request: RequestInfo): Promise<LoginPayload> {
    const email = normalizeEmail(input.email);
    const keys = this.throttle.keysFor(email, request.sourceAddress);
    // The log gets a keyed hash of the typed email, never the text: enough to see repeated attempts.
    const denied = async (message: string, locked: boolean) => {
      await this.audit.recordDenied(anonymousContext(request), {
        action: 'staff.login',
        category: AuditCategory.LOGIN,
        details: {
          emailHmac: createHmac('sha256', this.config.audit.pseudonymKey).update(email).digest('hex'),
          locked,
        },
      });
      return markDenialRecorded(new UnauthenticatedError(message));
    };
    if (await this.throttle.lockedUntil(keys)) throw await denied(LOCKED, true);

    const account = await this.em.findOne(StaffAccount, { email });
    const valid = account?.passwordHash
      ? await this.hasher.verify(account.passwordHash, input.password)
      : await this.hasher.verifyDummy(input.password);
    const memberships = valid && account ? await this.activeMemberships(account.id) : [];
    if (!account || memberships.length === 0) {
      const delay = await this.throttle.recordFailure(keys);
      await sleep(delay);
      throw await denied(WRONG_CREDENTIALS, false);
    }
    await this.throttle.recordSuccess(keys);

    const chosen = this.chooseMembership(memberships, input.organizationId);
    await this.audit.transaction(
      signedInContext(account.id, chosen.organization.id, chosen.roles, request),
      (_em, audit) => {
        audit.record({
          action: 'staff.login',
          category: AuditCategory.LOGIN,
          entityType: 'StaffAccount',
          entityId: account.id,
        });
        return Promise.resolve();
      },
    );
    return this.issueToken(account, chosen.organization.id);
  }

  /** An access token for a person acting for one organization, valid until their next password change. */
  issueToken(account: Pick<StaffAccount, 'id' | 'credentialVersion'>, organizationId: string): LoginPayload {
    const ttl = this.config.auth.accessTokenTtlSeconds;
    const payload: AccessTokenPayload = { sub: account.id, org: organizationId, cv: account.credentialVersion };
    const accessToken = this.jwt.sign(payload, {
      expiresIn: ttl,
      audience: ACCESS_TOKEN_AUDIENCE,
      issuer: ACCESS_TOKEN_ISSUER,
      algorithm: 'HS256',
    });
    return { accessToken, tokenType: 'Bearer', expiresAt: new Date(Date.now() + ttl * 1000), organizationId };
  }

  async me(actor: Actor): Promise<Me> {
    const common = {
      id: actor.id,
      organizationId: actor.organizationId,
      roles: [...actor.roles],
      scopes: [...actor.scopes],
      permissions: [...actor.permissions].sort(),
    };
    if (actor.kind === 'API_CLIENT') {
      const client = await this.em.findOneOrFail(ApiClient, actor.id, { populate: ['organization'] });
      return {
        ...common,
        kind: ActorKind.API_CLIENT,
        email: null,
        displayName: client.name,
        organizationName: client.organization.name,
        memberships: [],
        training: null,
      };
    }
    const account = await this.em.findOneOrFail(StaffAccount, actor.id);
    const memberships = await this.activeMemberships(actor.id);
    const acting = memberships.find((m) => m.organization.id === actor.organizationId);
    return {
      ...common,
      kind: ActorKind.STAFF,
      email: account.email,
      displayName: account.displayName,
      organizationName: acting?.organization.name ?? '',
      memberships: memberships.map((m) => ({
        organizationId: m.organization.id,
        organizationName: m.organization.name,
        roles: m.roles,
        leadServiceArea: m.leadServiceArea,
      })),
      training: trainingStatusOf(actor, this.config.training.required),
    };
  }

  /** Changes the caller's password and ends every token issued before, the caller's own included: the answer is a new one. */
  async changePassword(actor: Actor, input: ChangePasswordInput): Promise<LoginPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const account = await em.findOneOrFail(StaffAccount, actor.id);
      if (!account.passwordHash || !(await this.hasher.verify(account.passwordHash, input.currentPassword))) {
        throw new BadUserInputError('The current password is incorrect.', [
          { field: 'input.currentPassword', message: 'is incorrect' },
        ]);
      }
      if (input.newPassword === input.currentPassword) {
        throw new BadUserInputError('The new password must differ from the current one.', [
          { field: 'input.newPassword', message: 'must differ from the current password' },
        ]);
      }
      const organization = await em.findOne(Organization, actor.organizationId, { fields: ['name'] });
      requireAcceptablePassword('input.newPassword', input.newPassword, {
        email: account.email,
        displayName: account.displayName,
        organizationName: organization?.name,
      });
      account.passwordHash = await this.hasher.hash(input.newPassword);
      account.passwordChangedAt = new Date();
      account.credentialVersion += 1;
      audit.record({
        action: 'staff.password.change',
        category: AuditCategory.UPDATE,
        entityType: 'StaffAccount',
        entityId: account.id,
      });
      await em.flush();
      return this.issueToken(account, actor.organizationId);
    });
  }

  private activeMemberships(accountId: string): Promise<Membership[]> {
    return this.em.find(
      Membership,
      { account: accountId, active: true, organization: { active: true } },
      { populate: ['organization'], orderBy: { organization: { name: 'asc' } } },
    );
  }

  private chooseMembership(memberships: Membership[], organizationId: string | null | undefined): Membership {
    if (organizationId !== undefined && organizationId !== null) {
      const chosen = memberships.find((m) => m.organization.id === organizationId);
      if (!chosen) {
        throw new BadUserInputError('You are not an active member of that organization.', [
          { field: 'input.organizationId', message: 'not one of your organizations' },
        ]);
      }
      return chosen;
    }
    if (memberships.length > 1) {
      throw new BadUserInputError('You are a member of several organizations: choose one with organizationId.', [
        {
          field: 'input.organizationId',
          message: `one of: ${memberships.map((m) => `${m.organization.id} (${m.organization.name})`).join(', ')}`,
        },
      ]);
    }
    return memberships[0];
  }
}

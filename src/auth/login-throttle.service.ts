import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { APP_CONFIG, type AppConfig, type LoginPolicy } from '../config/app-config';
import { LoginThrottle } from './login-throttle.entity';

export interface ThrottleKeys {
  /** What the attempts are about: a typed email, an invitation token (as a keyed hash). */
  subject: string;
  address: string;
}

/**
 * Counts failed attempts at a credential — sign-ins per typed email, invitation acceptances per
 * token (each an HMAC: unknown and known values behave alike and none is stored) — and per source
 * address; slows answers down, then locks for a while. Sign-in and invitations count separately.
 */
@Injectable()
export class LoginThrottleService {
  private readonly policy: LoginPolicy;
  private readonly secret: string;

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = config.auth.login;
    this.secret = config.auth.jwtSecret;
  }

  keysFor(email: string, address: string): ThrottleKeys {
    const mac = createHmac('sha256', this.secret).update(email).digest('base64url');
    return { subject: `email:${mac}`, address: `address:${address}` };
  }

  invitationKeysFor(token: string, address: string): ThrottleKeys {
    const mac = createHmac('sha256', this.secret).update(`invitation:${token}`).digest('base64url');
    return { subject: `invitation:${mac}`, address: `invitation-address:${address}` };
  }

  /** The time until which sign-in is locked for these keys, if it is. */
  async lockedUntil(keys: ThrottleKeys, now = new Date()): Promise<Date | null> {
    const rows = await this.em
      .fork()
      .find(LoginThrottle, { key: { $in: [keys.subject, keys.address] }, lockedUntil: { $gt: now } });
    const times = rows.map((row) => row.lockedUntil?.getTime() ?? 0);
    return times.length > 0 ? new Date(Math.max(...times)) : null;
  }

  /** Records a failure for both keys (atomically, by upsert) and returns how long to delay the answer. */
  async recordFailure(keys: ThrottleKeys): Promise<number> {
    const { windowMinutes, lockMinutes, maxFailuresPerEmail, maxFailuresPerAddress } = this.policy;
    const connection = this.em.getConnection();
    const upsert = async (key: string, limit: number): Promise<number> => {
      const rows = await connection.execute<{ failures: number }[]>(
        `insert into login_throttle (key, failures, window_started_at, locked_until) values (?, 1, now(), null)
         on conflict (key) do update set
           failures = case when login_throttle.window_started_at < now() - make_interval(mins => ?) then 1 else login_throttle.failures + 1 end,
           window_started_at = case when login_throttle.window_started_at < now() - make_interval(mins => ?) then now() else login_throttle.window_started_at end
         returning failures`,
        [key, windowMinutes, windowMinutes],
      );
      const failures = rows[0].failures;
      if (failures >= limit) {
        await connection.execute(
          `update login_throttle set locked_until = now() + make_interval(mins => ?), failures = 0, window_started_at = now() where key = ?`,
          [lockMinutes, key],
        );
      }
      return failures;
    };
    const subjectFailures = await upsert(keys.subject, maxFailuresPerEmail);
    await upsert(keys.address, maxFailuresPerAddress);
    const steps = Math.min(Math.max(subjectFailures - this.policy.slowdownAfter, 0), 4);
    return steps * this.policy.slowdownStepMs;
  }

  async recordSuccess(keys: ThrottleKeys): Promise<void> {
    await this.em.fork().nativeDelete(LoginThrottle, { key: keys.subject });
  }
}

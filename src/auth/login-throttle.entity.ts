import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed-login counters, keyed by a keyed hash of the typed email (so unknown and known emails are
 * throttled alike) and by source address. Kept in the database so every instance agrees.
 */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  @PrimaryKey({ type: 'text' })
  key: string;

  @Property({ type: 'integer' })
  failures: number = 0;

  @Property({ type: 'timestamptz' })
  windowStartedAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null = null;
}

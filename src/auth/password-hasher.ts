import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * argon2id password hashing. The standard parameters follow OWASP's recommendation; the cheap set
 * exists only so the test suite runs quickly, and configuration refuses it in production.
 */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.Options & { raw?: false };
  private dummyHash: Promise<string> | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.options =
      config.auth.passwordHashing === 'standard'
        ? { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 }
        : { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real verification, for unknown emails (no timing oracle). */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('harbour-dummy-password-for-timing');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

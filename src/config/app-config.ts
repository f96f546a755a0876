/**
 * Configuration is read from the environment once, at boot, validated, and handed to the rest of
 * the application as a typed, frozen object. A bad value stops the process with a message that
 * names the variable; nothing reads `process.env` after this point.
 */
import {
  SigningKeyError,
  generatePrivateKeyPem,
  parsePrivateKey,
  parsePublicKey,
  privateKeyPem,
  publicKeyPem,
} from '@harbour/audit';
import type { RateLimitPolicy } from '@harbour/graphql-kit';
import { AllowedNetworksError, SecretBoxKeyError, parseAllowedNetworks, parseSecretBoxKey } from '@harbour/webhooks';
import type { KeyObject } from 'node:crypto';

export type HarbourEnv = 'development' | 'test' | 'production';

export interface AppConfig {
  readonly env: HarbourEnv;
  readonly host: string;
  readonly port: number;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  readonly trustProxy: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly database: {
    /** Owner connection (runs migrations). Undefined → embedded PostgreSQL. */
    readonly ownerUrl?: string;
    /** Runtime connection of a role that owns nothing. Undefined → provisioned by Harbour. */
    readonly appUrl?: string;
    readonly dataDir: string;
    readonly migrate: boolean;
    readonly seedDemo: boolean;
  };
  readonly audit: {
    /** Key of the HMACs that stand in for identifiers in the log (typed emails, other organizations' client ids). */
    readonly pseudonymKey: string;
    /** Denials by callers without a credential recorded per source address per window. */
    readonly anonymousDenialsPerWindow: number;
    readonly anonymousWindowMinutes: number;
    /** Ed25519 private key (PKCS#8 PEM) that signs audit checkpoints. */
    readonly signingKey: string;
    /** True when no AUDIT_SIGNING_KEY was configured and a key was made for this process. */
    readonly signingKeyGenerated: boolean;
    /** Ed25519 public key (SPKI PEM) that checkpoints are verified with. */
    readonly verifyKey: string;
  };
  readonly consent: {
    /** The network's maximum length of a consent, from when it was given to when it expires. */
    readonly maxDays: number;
  };
  readonly training: {
    /** Refuse client data to staff with training modules still to acknowledge (TRAINING_REQUIRED); `me` reports status either way. */
    readonly required: boolean;
  };
  /** Token buckets per credential (a staff session or an API key) and per source address. */
  readonly rateLimits: {
    readonly perCredential: RateLimitPolicy;
    readonly perAddress: RateLimitPolicy;
  };
  readonly graphql: {
    /** A JSON list of the only documents the server runs (trusted documents); unset: any document, and no persisted queries. */
    readonly trustedDocumentsPath?: string;
  };
  readonly referrals: {
    /** How often Harbour cancels the SENT referrals whose consent has expired; 0 turns the schedule off. */
    readonly expirySweepSeconds: number;
  };
  readonly clients: {
    /** Days after a client's last referral became terminal (or their record last changed) before the schedule erases their personal data. */
    readonly retentionDays: number;
    /** How often the retention schedule looks for clients due for erasure; 0 turns it off in this process. */
    readonly erasureSweepSeconds: number;
  };
  readonly reports: {
    /** The fewest referrals a published report figure may describe (README, "Referral reports"); ≥ REPORT_MIN_CELL_FLOOR. */
    readonly minimumCellSize: number;
  };
  readonly outbox: {
    /**
     * How often an idle relay looks for committed outbox events to hand to its consumers (webhook
     * deliveries, live subscriptions); 0 turns the relay off in this process. Off by default under
     * HARBOUR_ENV=test, where the tests that need it start it.
     */
    readonly relayIntervalMs: number;
  };
  /** The live inbox: the `referralEvents` subscription over graphql-ws. */
  readonly subscriptions: {
    /** Events waiting for one subscriber at most; a subscriber that falls further behind is disconnected. */
    readonly bufferEvents: number;
    /** How often every open connection's credential is checked again (revocation, deactivation, role change, expiry). */
    readonly recheckMs: number;
    /** Open connections per credential holder (an API client, or a person acting for one organization). */
    readonly maxConnectionsPerCredential: number;
  };
  readonly webhooks: {
    /** AES-256-GCM key (base64 of 32 bytes) that seals endpoint secrets at rest. */
    readonly secretKey: string;
    /** True when WEBHOOK_SECRET_KEY is unset outside production and the fixed, public development key is used. */
    readonly secretKeyIsDevelopmentKey: boolean;
    /** CIDRs that deliveries may reach although the address policy refuses them (a partner on a private network, a test receiver on loopback). */
    readonly allowedNetworks: readonly string[];
    /**
     * How often the delivery worker looks for due deliveries, besides being woken when new ones
     * commit in this process; 0 turns the worker (and the purge) off in this process. Off by
     * default under HARBOUR_ENV=test, where tests deliver with `deliverDue`.
     */
    readonly workerIntervalMs: number;
    /** Deliveries (and their attempts) older than this are purged. */
    readonly deliveryRetentionDays: number;
  };
  readonly auth: {
    readonly jwtSecret: string;
    readonly jwtSecretGenerated: boolean;
    readonly accessTokenTtlSeconds: number;
    readonly invitationTtlHours: number;
    readonly passwordHashing: 'standard' | 'fast-insecure-test-only';
    readonly login: LoginPolicy;
  };
}

/** Failed sign-ins slow down, then lock, per typed email and per source address. */
export interface LoginPolicy {
  /** Failures (per email) before answers start slowing down. */
  readonly slowdownAfter: number;
  /** Added delay per failure beyond `slowdownAfter`, capped at 4 steps. */
  readonly slowdownStepMs: number;
  readonly maxFailuresPerEmail: number;
  readonly maxFailuresPerAddress: number;
  readonly windowMinutes: number;
  readonly lockMinutes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Seals webhook secrets outside production when WEBHOOK_SECRET_KEY is unset, so that they survive
 * a restart. It is public (the base64 of "harbour-development-webhook-key!"): never for real secrets.
 */
/** Below this, a "suppressed" report would still publish counts that point at one or two people. */
export const REPORT_MIN_CELL_FLOOR = 3;

export const DEVELOPMENT_WEBHOOK_SECRET_KEY = 'aGFyYm91ci1kZXZlbG9wbWVudC13ZWJob29rLWtleSE=';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(
  env: Env,
  generateSecret: () => string,
  generateSigningKey: () => string = generatePrivateKeyPem,
): AppConfig {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = str(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const value = str(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const value = str(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes'].includes(value)) return true;
    if (['0', 'false', 'no'].includes(value)) return false;
    problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  };
  const postgresUrl = (name: string): string | undefined => {
    const value = str(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
        problems.push(`${name} must be a postgres:// or postgresql:// URL`);
      }
    } catch {
      // The value may hold a password: never echo it.
      problems.push(`${name} is not a valid URL`);
    }
    return value;
  };

  const harbourEnv = oneOf<HarbourEnv>('HARBOUR_ENV', ['development', 'test', 'production'], 'development');
  const ownerUrl = postgresUrl('DATABASE_URL');
  const appUrl = postgresUrl('DATABASE_APP_URL');
  if (appUrl && !ownerUrl) problems.push('DATABASE_APP_URL is set but DATABASE_URL (the owner connection) is not');

  const configuredSecret = str('JWT_SECRET');
  if (configuredSecret !== undefined && configuredSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters long');
  }
  const pseudonymKey = str('AUDIT_PSEUDONYM_KEY');
  if (pseudonymKey !== undefined && pseudonymKey.length < 32)
    problems.push('AUDIT_PSEUDONYM_KEY must be at least 32 characters long');
  const fastHashing = bool('HARBOUR_FAST_PASSWORD_HASHING', harbourEnv === 'test');
  const webhookKey = str('WEBHOOK_SECRET_KEY');
  if (webhookKey !== undefined) {
    try {
      parseSecretBoxKey(webhookKey);
    } catch (error) {
      problems.push(
        `WEBHOOK_SECRET_KEY must be the base64 of 32 random bytes, as \`openssl rand -base64 32\` prints (${error instanceof SecretBoxKeyError ? error.message : 'unreadable'})`,
      );
    }
  }
  const allowedNetworks = webhookNetworks(str('WEBHOOK_ALLOWED_NETWORKS'), problems);
  const signing = checkpointKeys(str('AUDIT_SIGNING_KEY'), str('AUDIT_VERIFY_KEY'), generateSigningKey, problems);

  if (harbourEnv === 'production') {
    if (!ownerUrl)
      problems.push('DATABASE_URL is required when HARBOUR_ENV=production (no embedded database in production)');
    if (!appUrl)
      problems.push('DATABASE_APP_URL is required when HARBOUR_ENV=production (the runtime role must own nothing)');
    if (!configuredSecret) problems.push('JWT_SECRET is required when HARBOUR_ENV=production');
    if (!str('AUDIT_PSEUDONYM_KEY'))
      problems.push(
        'AUDIT_PSEUDONYM_KEY is required when HARBOUR_ENV=production (pseudonyms in the audit log must stay stable)',
      );
    if (!str('AUDIT_SIGNING_KEY'))
      problems.push(
        'AUDIT_SIGNING_KEY is required when HARBOUR_ENV=production (audit checkpoints must stay verifiable after a restart)',
      );
    if (fastHashing) problems.push('HARBOUR_FAST_PASSWORD_HASHING is refused when HARBOUR_ENV=production');
    if (!webhookKey)
      problems.push(
        'WEBHOOK_SECRET_KEY is required when HARBOUR_ENV=production (webhook secrets are sealed with it and must open after a restart)',
      );
    else if (webhookKey === DEVELOPMENT_WEBHOOK_SECRET_KEY)
      problems.push('WEBHOOK_SECRET_KEY must not be the public development key when HARBOUR_ENV=production');
  }

  const config: AppConfig = {
    env: harbourEnv,
    host: str('HOST') ?? '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    trustProxy: bool('TRUST_PROXY', false),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, harbourEnv === 'test' ? 'warn' : 'info'),
    database: {
      ownerUrl,
      appUrl,
      dataDir: str('HARBOUR_DATA_DIR') ?? '.harbour',
      migrate: bool('HARBOUR_MIGRATE', true),
      seedDemo: bool('HARBOUR_SEED_DEMO', ownerUrl === undefined),
    },
    audit: {
      pseudonymKey: str('AUDIT_PSEUDONYM_KEY') ?? generateSecret(),
      anonymousDenialsPerWindow: int('AUDIT_ANONYMOUS_DENIALS_PER_WINDOW', 100, 1, 1_000_000),
      anonymousWindowMinutes: 15,
      ...signing,
    },
    consent: {
      maxDays: int('CONSENT_MAX_DAYS', 365, 1, 3650),
    },
    training: {
      required: bool('TRAINING_REQUIRED', true),
    },
    rateLimits: {
      perCredential: {
        capacity: int('RATE_LIMIT_CREDENTIAL_BURST', 600, 1, 1_000_000),
        refillPerSecond: int('RATE_LIMIT_CREDENTIAL_PER_SECOND', 10, 1, 100_000),
      },
      perAddress: {
        capacity: int('RATE_LIMIT_ADDRESS_BURST', 1200, 1, 1_000_000),
        refillPerSecond: int('RATE_LIMIT_ADDRESS_PER_SECOND', 30, 1, 100_000),
      },
    },
    graphql: {
      trustedDocumentsPath: str('GRAPHQL_TRUSTED_DOCUMENTS'),
    },
    referrals: {
      expirySweepSeconds: int('REFERRAL_EXPIRY_SWEEP_SECONDS', 300, 0, 86_400),
    },
    clients: {
      retentionDays: int('CLIENT_RETENTION_DAYS', 730, 1, 36_500),
      erasureSweepSeconds: int('CLIENT_ERASURE_SWEEP_SECONDS', 3600, 0, 86_400),
    },
    reports: {
      minimumCellSize: int('REPORT_MIN_CELL', 10, REPORT_MIN_CELL_FLOOR, 1000),
    },
    outbox: {
      relayIntervalMs: int('OUTBOX_RELAY_INTERVAL_MS', harbourEnv === 'test' ? 0 : 200, 0, 60_000),
    },
    subscriptions: {
      bufferEvents: int('SUBSCRIPTION_BUFFER_EVENTS', 1000, 1, 100_000),
      recheckMs: int('SUBSCRIPTION_RECHECK_MS', 5000, 50, 300_000),
      maxConnectionsPerCredential: int('SUBSCRIPTION_MAX_CONNECTIONS_PER_CREDENTIAL', 5, 1, 1000),
    },
    webhooks: {
      secretKey: webhookKey ?? DEVELOPMENT_WEBHOOK_SECRET_KEY,
      secretKeyIsDevelopmentKey: (webhookKey ?? DEVELOPMENT_WEBHOOK_SECRET_KEY) === DEVELOPMENT_WEBHOOK_SECRET_KEY,
      allowedNetworks,
      workerIntervalMs: int('WEBHOOK_WORKER_INTERVAL_MS', harbourEnv === 'test' ? 0 : 1000, 0, 3_600_000),
      deliveryRetentionDays: int('WEBHOOK_DELIVERY_RETENTION_DAYS', 30, 1, 365),
    },
    auth: {
      jwtSecret: configuredSecret ?? generateSecret(),
      jwtSecretGenerated: configuredSecret === undefined,
      accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86_400),
      invitationTtlHours: int('INVITATION_TTL_HOURS', 72, 1, 24 * 30),
      passwordHashing: fastHashing ? 'fast-insecure-test-only' : 'standard',
      login: {
        slowdownAfter: 2,
        slowdownStepMs: int('LOGIN_SLOWDOWN_STEP_MS', 500, 0, 5000),
        maxFailuresPerEmail: int('LOGIN_MAX_FAILURES_PER_EMAIL', 5, 1, 100),
        maxFailuresPerAddress: int('LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 10_000),
        windowMinutes: 15,
        lockMinutes: int('LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
      },
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/**
 * The checkpoint keys: the configured private key (or one made for this process), and the public
 * key that verifies checkpoints — configured, or derived from the private key. A configured pair
 * must match. Problems name the variable, never the key.
 */
function checkpointKeys(
  signingText: string | undefined,
  verifyText: string | undefined,
  generate: () => string,
  problems: string[],
): { signingKey: string; signingKeyGenerated: boolean; verifyKey: string } {
  let signing: KeyObject | undefined;
  let verifying: KeyObject | undefined;
  if (signingText !== undefined) {
    try {
      signing = parsePrivateKey(signingText);
    } catch (error) {
      problems.push(
        `AUDIT_SIGNING_KEY must be an Ed25519 private key, as PKCS#8 PEM or base64 DER (${keyProblem(error)})`,
      );
    }
  }
  if (verifyText !== undefined) {
    try {
      verifying = parsePublicKey(verifyText);
    } catch (error) {
      problems.push(`AUDIT_VERIFY_KEY must be an Ed25519 public key, as SPKI PEM or base64 DER (${keyProblem(error)})`);
    }
  }
  if (signing && verifying && publicKeyPem(signing) !== publicKeyPem(verifying)) {
    problems.push('AUDIT_VERIFY_KEY is not the public key of AUDIT_SIGNING_KEY');
  }
  const signingKey = signing ?? parsePrivateKey(generate());
  return {
    signingKey: privateKeyPem(signingKey),
    signingKeyGenerated: signingText === undefined,
    verifyKey: publicKeyPem(verifying ?? signingKey),
  };
}

/** The CIDRs of WEBHOOK_ALLOWED_NETWORKS; each bad entry is a problem of its own, quoting it. */
function webhookNetworks(text: string | undefined, problems: string[]): string[] {
  try {
    return parseAllowedNetworks(text ?? '');
  } catch (error) {
    if (!(error instanceof AllowedNetworksError)) throw error;
    for (const problem of error.problems) problems.push(`WEBHOOK_ALLOWED_NETWORKS must list CIDRs: ${problem}`);
    return [];
  }
}

function keyProblem(error: unknown): string {
  return error instanceof SigningKeyError ? error.message : 'unreadable';
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}

export const APP_CONFIG = Symbol('APP_CONFIG');

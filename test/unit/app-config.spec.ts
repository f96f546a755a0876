import { generateKeyPairSync } from 'node:crypto';
import { generatePrivateKeyPem, parsePrivateKey, publicKeyPem } from '@harbour/audit';
import { generateSecretBoxKey } from '@harbour/webhooks';
import { ConfigError, DEVELOPMENT_WEBHOOK_SECRET_KEY, loadConfig, type AppConfig } from '../../src/config/app-config';

const GENERATED = 'generated-secret-generated-secret-generated';
const GENERATED_SIGNING_KEY = generatePrivateKeyPem();
const SIGNING_KEY = generatePrivateKeyPem();
const VERIFY_KEY = publicKeyPem(parsePrivateKey(SIGNING_KEY));
const STRONG_SECRET = 'a-production-secret-of-at-least-32-chars';
const WEBHOOK_KEY = generateSecretBoxKey();
const PRODUCTION = {
  HARBOUR_ENV: 'production',
  DATABASE_URL: 'postgres://harbour_owner:owner-pw@db.internal:5432/harbour',
  DATABASE_APP_URL: 'postgres://harbour_app:app-pw@db.internal:5432/harbour',
  JWT_SECRET: STRONG_SECRET,
  AUDIT_PSEUDONYM_KEY: 'an-audit-pseudonym-key-of-32-chars-or-more',
  AUDIT_SIGNING_KEY: SIGNING_KEY,
  WEBHOOK_SECRET_KEY: WEBHOOK_KEY,
};

const load = (env: Record<string, string | undefined>): AppConfig =>
  loadConfig(
    env,
    () => GENERATED,
    () => GENERATED_SIGNING_KEY,
  );

/** The problems loadConfig reports for `env`, failing the test if it reports none. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe(loadConfig.name, () => {
  describe('defaults', () => {
    it('runs an embedded development setup from an empty environment', () => {
      const config = load({});
      expect(config).toEqual({
        env: 'development',
        host: '127.0.0.1',
        port: 3000,
        trustProxy: false,
        logLevel: 'info',
        database: { ownerUrl: undefined, appUrl: undefined, dataDir: '.harbour', migrate: true, seedDemo: true },
        audit: {
          pseudonymKey: GENERATED,
          anonymousDenialsPerWindow: 100,
          anonymousWindowMinutes: 15,
          signingKey: GENERATED_SIGNING_KEY,
          signingKeyGenerated: true,
          verifyKey: publicKeyPem(parsePrivateKey(GENERATED_SIGNING_KEY)),
        },
        consent: { maxDays: 365 },
        training: { required: true },
        rateLimits: {
          perCredential: { capacity: 600, refillPerSecond: 10 },
          perAddress: { capacity: 1200, refillPerSecond: 30 },
        },
        graphql: { trustedDocumentsPath: undefined },
        referrals: { expirySweepSeconds: 300 },
        clients: { retentionDays: 730, erasureSweepSeconds: 3600 },
        reports: { minimumCellSize: 10 },
        outbox: { relayIntervalMs: 200 },
        subscriptions: { bufferEvents: 1000, recheckMs: 5000, maxConnectionsPerCredential: 5 },
        webhooks: {
          secretKey: DEVELOPMENT_WEBHOOK_SECRET_KEY,
          secretKeyIsDevelopmentKey: true,
          allowedNetworks: [],
          workerIntervalMs: 1000,
          deliveryRetentionDays: 30,
        },
        auth: {
          jwtSecret: GENERATED,
          jwtSecretGenerated: true,
          accessTokenTtlSeconds: 900,
          invitationTtlHours: 72,
          passwordHashing: 'standard',
          login: {
            slowdownAfter: 2,
            slowdownStepMs: 500,
            maxFailuresPerEmail: 5,
            maxFailuresPerAddress: 50,
            windowMinutes: 15,
            lockMinutes: 15,
          },
        },
      });
    });

    it('hands out a frozen object, all the way down', () => {
      const config = load({});
      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.auth.login)).toBe(true);
    });

    it('uses fast password hashing and quieter logs in the test profile', () => {
      const config = load({ HARBOUR_ENV: 'test' });
      expect(config.auth.passwordHashing).toBe('fast-insecure-test-only');
      expect(config.logLevel).toBe('warn');
    });

    it('does not seed demo data into a database it was given', () => {
      expect(load({ DATABASE_URL: PRODUCTION.DATABASE_URL }).database.seedDemo).toBe(false);
    });

    it('treats blank values as unset', () => {
      expect(load({ PORT: '  ', HARBOUR_ENV: '', JWT_SECRET: ' ' })).toMatchObject({
        port: 3000,
        env: 'development',
        auth: { jwtSecretGenerated: true },
      });
    });

    it('keeps a configured JWT secret and says it was not generated', () => {
      expect(load({ JWT_SECRET: STRONG_SECRET }).auth).toMatchObject({
        jwtSecret: STRONG_SECRET,
        jwtSecretGenerated: false,
      });
    });

    it.each([
      ['1', true],
      ['TRUE', true],
      ['yes', true],
      ['0', false],
      ['False', false],
      ['no', false],
    ])('reads %p as the boolean %p', (value, expected) => {
      expect(load({ HARBOUR_MIGRATE: value }).database.migrate).toBe(expected);
    });
  });

  describe('invalid values', () => {
    it.each([
      ['HARBOUR_ENV', 'staging'],
      ['PORT', '65536'],
      ['PORT', 'http'],
      ['PORT', '80.5'],
      ['TRUST_PROXY', 'nginx'],
      ['LOG_LEVEL', 'loud'],
      ['HARBOUR_MIGRATE', 'maybe'],
      ['HARBOUR_SEED_DEMO', 'sometimes'],
      ['HARBOUR_FAST_PASSWORD_HASHING', 'please'],
      ['ACCESS_TOKEN_TTL_SECONDS', '59'],
      ['ACCESS_TOKEN_TTL_SECONDS', '86401'],
      ['INVITATION_TTL_HOURS', '0'],
      ['CONSENT_MAX_DAYS', '0'],
      ['CONSENT_MAX_DAYS', '3651'],
      ['CONSENT_MAX_DAYS', 'a year'],
      ['LOGIN_SLOWDOWN_STEP_MS', '-1'],
      ['LOGIN_MAX_FAILURES_PER_EMAIL', '0'],
      ['LOGIN_MAX_FAILURES_PER_ADDRESS', 'lots'],
      ['LOGIN_LOCK_MINUTES', '1441'],
      ['RATE_LIMIT_CREDENTIAL_BURST', '0'],
      ['RATE_LIMIT_CREDENTIAL_PER_SECOND', 'fast'],
      ['RATE_LIMIT_ADDRESS_BURST', '1.5'],
      ['RATE_LIMIT_ADDRESS_PER_SECOND', '100001'],
      ['JWT_SECRET', 'too-short'],
      ['AUDIT_PSEUDONYM_KEY', 'too-short'],
      ['AUDIT_SIGNING_KEY', 'not-a-key'],
      ['AUDIT_VERIFY_KEY', 'not-a-key'],
      ['WEBHOOK_SECRET_KEY', 'not-a-key'],
      ['WEBHOOK_SECRET_KEY', 'c2hvcnQ='],
      ['WEBHOOK_ALLOWED_NETWORKS', '10.0.0.1/8'],
      ['WEBHOOK_ALLOWED_NETWORKS', 'example.com'],
      ['WEBHOOK_WORKER_INTERVAL_MS', '-1'],
      ['WEBHOOK_WORKER_INTERVAL_MS', 'often'],
      ['WEBHOOK_DELIVERY_RETENTION_DAYS', '0'],
      ['WEBHOOK_DELIVERY_RETENTION_DAYS', '366'],
      ['DATABASE_URL', 'mysql://db.internal/harbour'],
      ['DATABASE_URL', 'not a url'],
    ])('names %s when it is %p', (name, value) => {
      const problems = problemsOf({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(name);
    });

    it('names DATABASE_APP_URL when it is not a postgres URL', () => {
      const problems = problemsOf({
        DATABASE_URL: PRODUCTION.DATABASE_URL,
        DATABASE_APP_URL: 'https://db.internal/harbour',
      });
      expect(problems).toEqual([expect.stringContaining('DATABASE_APP_URL')]);
    });

    it('reports every problem at once', () => {
      const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });
      expect(problems).toHaveLength(3);
    });

    it('refuses a runtime URL without the owner URL that migrates', () => {
      expect(problemsOf({ DATABASE_APP_URL: PRODUCTION.DATABASE_APP_URL })).toEqual([
        expect.stringMatching(/DATABASE_APP_URL is set but DATABASE_URL/),
      ]);
    });

    it('lists the problems in the error message', () => {
      expect(() => load({ PORT: 'x' })).toThrow(/Invalid configuration:\n {2}- PORT must be an integer/);
    });
  });

  describe('secrets', () => {
    it.each([
      ['an unparsable URL', 'postgres://harbour:s3cret-pw@db.internal:99999/harbour'],
      ['a URL of another database', 'mysql://harbour:s3cret-pw@db.internal/harbour'],
    ])('never echoes a database URL with its password: %s', (_case, url) => {
      for (const name of ['DATABASE_URL', 'DATABASE_APP_URL']) {
        expect(() => load({ DATABASE_URL: PRODUCTION.DATABASE_URL, [name]: url })).toThrow(ConfigError);
        expect(problemsOf({ DATABASE_URL: PRODUCTION.DATABASE_URL, [name]: url }).join('\n')).not.toContain(
          's3cret-pw',
        );
      }
    });

    it('never echoes a JWT secret that is too short', () => {
      expect(problemsOf({ JWT_SECRET: 'tiny-s3cret' }).join('\n')).not.toContain('tiny-s3cret');
    });

    it('never echoes a webhook secret key it cannot use', () => {
      const key = Buffer.from('a-31-byte-key-that-is-too-short').toString('base64');
      expect(problemsOf({ WEBHOOK_SECRET_KEY: key })).toEqual([
        expect.stringMatching(
          /^WEBHOOK_SECRET_KEY must be the base64 of 32 random bytes.*\(31 bytes once decoded, not 32\)$/,
        ),
      ]);
      expect(problemsOf({ WEBHOOK_SECRET_KEY: key }).join('\n')).not.toContain(key.slice(0, 16));
    });

    it('never echoes a signing key it cannot use', () => {
      const broken = `-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEs3cret\n-----END PRIVATE KEY-----`;
      expect(problemsOf({ AUDIT_SIGNING_KEY: broken }).join('\n')).not.toContain('s3cret');
    });
  });

  describe('checkpoint signing keys', () => {
    it('uses the configured private key and derives the public key from it', () => {
      expect(load({ AUDIT_SIGNING_KEY: SIGNING_KEY }).audit).toMatchObject({
        signingKey: SIGNING_KEY,
        signingKeyGenerated: false,
        verifyKey: VERIFY_KEY,
      });
    });

    it('reads keys as base64 DER and as one-line PEM with escaped newlines', () => {
      const der = parsePrivateKey(SIGNING_KEY).export({ format: 'der', type: 'pkcs8' }).toString('base64');
      expect(load({ AUDIT_SIGNING_KEY: der }).audit.verifyKey).toBe(VERIFY_KEY);
      expect(load({ AUDIT_SIGNING_KEY: SIGNING_KEY.replace(/\n/g, '\\n') }).audit.verifyKey).toBe(VERIFY_KEY);
    });

    it('accepts a matching pair and refuses a mismatched one', () => {
      expect(load({ AUDIT_SIGNING_KEY: SIGNING_KEY, AUDIT_VERIFY_KEY: VERIFY_KEY }).audit.verifyKey).toBe(VERIFY_KEY);
      const other = publicKeyPem(parsePrivateKey(generatePrivateKeyPem()));
      expect(problemsOf({ AUDIT_SIGNING_KEY: SIGNING_KEY, AUDIT_VERIFY_KEY: other })).toEqual([
        expect.stringMatching(/AUDIT_VERIFY_KEY is not the public key of AUDIT_SIGNING_KEY/),
      ]);
    });

    it('keeps a configured public key to verify with when the private key is made for this process', () => {
      expect(load({ AUDIT_VERIFY_KEY: VERIFY_KEY }).audit).toMatchObject({
        signingKey: GENERATED_SIGNING_KEY,
        signingKeyGenerated: true,
        verifyKey: VERIFY_KEY,
      });
    });

    it('refuses a private key in AUDIT_VERIFY_KEY and a key of another algorithm', () => {
      expect(problemsOf({ AUDIT_VERIFY_KEY: SIGNING_KEY })).toEqual([expect.stringContaining('AUDIT_VERIFY_KEY')]);
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString();
      expect(problemsOf({ AUDIT_SIGNING_KEY: rsa })).toEqual([
        expect.stringMatching(/AUDIT_SIGNING_KEY must be an Ed25519 private key.*rsa key/),
      ]);
    });
  });

  describe('production', () => {
    it('accepts external databases, a configured secret and standard hashing', () => {
      const config = load(PRODUCTION);
      expect(config).toMatchObject({
        env: 'production',
        database: { seedDemo: false },
        auth: { passwordHashing: 'standard', jwtSecretGenerated: false },
      });
    });

    it.each([
      ['DATABASE_URL', /DATABASE_URL is required/],
      ['DATABASE_APP_URL', /DATABASE_APP_URL is required/],
      ['JWT_SECRET', /JWT_SECRET is required/],
      ['AUDIT_PSEUDONYM_KEY', /AUDIT_PSEUDONYM_KEY is required/],
      ['AUDIT_SIGNING_KEY', /AUDIT_SIGNING_KEY is required/],
      ['WEBHOOK_SECRET_KEY', /WEBHOOK_SECRET_KEY is required/],
    ])('requires %s', (name, problem) => {
      const env: Record<string, string | undefined> = { ...PRODUCTION, [name]: undefined };
      // Without the owner URL the runtime URL is refused too; drop it so that one problem remains.
      if (name === 'DATABASE_URL') env.DATABASE_APP_URL = undefined;
      expect(problemsOf(env)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
    });

    it('refuses the public development key for webhook secrets', () => {
      expect(problemsOf({ ...PRODUCTION, WEBHOOK_SECRET_KEY: DEVELOPMENT_WEBHOOK_SECRET_KEY })).toEqual([
        'WEBHOOK_SECRET_KEY must not be the public development key when HARBOUR_ENV=production',
      ]);
    });

    it('refuses fast password hashing', () => {
      expect(problemsOf({ ...PRODUCTION, HARBOUR_FAST_PASSWORD_HASHING: 'true' })).toEqual([
        expect.stringMatching(/HARBOUR_FAST_PASSWORD_HASHING is refused when HARBOUR_ENV=production/),
      ]);
    });
  });

  describe('training', () => {
    it('refuses client data to untrained staff unless told otherwise', () => {
      expect(load({}).training.required).toBe(true);
    });

    it('turns the gate off with TRAINING_REQUIRED=false', () => {
      expect(load({ TRAINING_REQUIRED: 'false' }).training.required).toBe(false);
    });

    it('refuses a TRAINING_REQUIRED that is not true or false, naming it', () => {
      expect(problemsOf({ TRAINING_REQUIRED: 'sometimes' })).toEqual([
        'TRAINING_REQUIRED must be true or false (got "sometimes")',
      ]);
    });
  });

  describe('consent', () => {
    it('caps consents at 365 days unless told otherwise', () => {
      expect(load({}).consent.maxDays).toBe(365);
    });

    it('takes the network maximum from CONSENT_MAX_DAYS', () => {
      expect(load({ CONSENT_MAX_DAYS: '90' }).consent.maxDays).toBe(90);
    });

    it.each(['0', '-30', '3651', '12.5', 'forever'])(
      'refuses CONSENT_MAX_DAYS=%p, naming the variable and its bounds',
      (value) => {
        expect(problemsOf({ CONSENT_MAX_DAYS: value })).toEqual([
          `CONSENT_MAX_DAYS must be an integer between 1 and 3650 (got "${value}")`,
        ]);
      },
    );
  });

  describe('reports', () => {
    it('suppresses report cells under 10 referrals unless told otherwise', () => {
      expect(load({}).reports.minimumCellSize).toBe(10);
      expect(load({ REPORT_MIN_CELL: '20' }).reports.minimumCellSize).toBe(20);
    });

    it.each(['0', '2', '1001', 'ten'])(
      'refuses REPORT_MIN_CELL=%p: below 3 a report would point at one or two people',
      (value) => {
        expect(problemsOf({ REPORT_MIN_CELL: value })).toEqual([
          `REPORT_MIN_CELL must be an integer between 3 and 1000 (got "${value}")`,
        ]);
      },
    );
  });

  describe('outbox relay', () => {
    it('relays every 200 ms by default, and not at all under HARBOUR_ENV=test unless asked', () => {
      expect(load({}).outbox.relayIntervalMs).toBe(200);
      expect(load({ HARBOUR_ENV: 'test' }).outbox.relayIntervalMs).toBe(0);
      expect(load({ HARBOUR_ENV: 'test', OUTBOX_RELAY_INTERVAL_MS: '50' }).outbox.relayIntervalMs).toBe(50);
      expect(() => load({ OUTBOX_RELAY_INTERVAL_MS: '-1' })).toThrow(/OUTBOX_RELAY_INTERVAL_MS/);
    });
  });

  describe('subscriptions', () => {
    it('buffers 1,000 events per subscriber, rechecks credentials every 5 s and allows 5 connections per credential by default', () => {
      expect(load({}).subscriptions).toEqual({ bufferEvents: 1000, recheckMs: 5000, maxConnectionsPerCredential: 5 });
      expect(
        load({
          SUBSCRIPTION_BUFFER_EVENTS: '20',
          SUBSCRIPTION_RECHECK_MS: '100',
          SUBSCRIPTION_MAX_CONNECTIONS_PER_CREDENTIAL: '2',
        }).subscriptions,
      ).toEqual({ bufferEvents: 20, recheckMs: 100, maxConnectionsPerCredential: 2 });
    });

    it.each([
      ['SUBSCRIPTION_BUFFER_EVENTS', '0'],
      ['SUBSCRIPTION_BUFFER_EVENTS', 'many'],
      ['SUBSCRIPTION_RECHECK_MS', '10'],
      ['SUBSCRIPTION_RECHECK_MS', '1.5'],
      ['SUBSCRIPTION_MAX_CONNECTIONS_PER_CREDENTIAL', '0'],
      ['SUBSCRIPTION_MAX_CONNECTIONS_PER_CREDENTIAL', '1001'],
    ])('refuses %s=%s, naming it', (name, value) => {
      expect(problemsOf({ [name]: value })).toEqual([expect.stringContaining(name)]);
    });
  });

  describe('webhooks', () => {
    it('seals webhook secrets with the fixed development key unless one is configured', () => {
      expect(DEVELOPMENT_WEBHOOK_SECRET_KEY).toBe(Buffer.from('harbour-development-webhook-key!').toString('base64'));
      expect(load({ HARBOUR_ENV: 'test' }).webhooks).toMatchObject({
        secretKey: DEVELOPMENT_WEBHOOK_SECRET_KEY,
        secretKeyIsDevelopmentKey: true,
      });
      expect(load({ WEBHOOK_SECRET_KEY: WEBHOOK_KEY }).webhooks).toMatchObject({
        secretKey: WEBHOOK_KEY,
        secretKeyIsDevelopmentKey: false,
      });
      expect(load(PRODUCTION).webhooks).toMatchObject({ secretKey: WEBHOOK_KEY, secretKeyIsDevelopmentKey: false });
    });

    it('reads the allowed networks as comma-separated CIDRs', () => {
      expect(
        load({ WEBHOOK_ALLOWED_NETWORKS: ' 127.0.0.0/8, ::1/128,10.20.0.0/16 ' }).webhooks.allowedNetworks,
      ).toEqual(['127.0.0.0/8', '::1/128', '10.20.0.0/16']);
      expect(load({ ...PRODUCTION, WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16' }).webhooks.allowedNetworks).toEqual([
        '10.20.0.0/16',
      ]);
    });

    it('delivers every second by default, and not at all under HARBOUR_ENV=test unless asked; keeps deliveries 30 days', () => {
      expect(load({}).webhooks.workerIntervalMs).toBe(1000);
      expect(load({ HARBOUR_ENV: 'test' }).webhooks.workerIntervalMs).toBe(0);
      expect(load({ HARBOUR_ENV: 'test', WEBHOOK_WORKER_INTERVAL_MS: '60000' }).webhooks.workerIntervalMs).toBe(60_000);
      expect(load({ WEBHOOK_WORKER_INTERVAL_MS: '0' }).webhooks.workerIntervalMs).toBe(0);
      expect(load({}).webhooks.deliveryRetentionDays).toBe(30);
      expect(load({ WEBHOOK_DELIVERY_RETENTION_DAYS: '7' }).webhooks.deliveryRetentionDays).toBe(7);
    });

    it('names every bad entry of WEBHOOK_ALLOWED_NETWORKS', () => {
      expect(problemsOf({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8, 10.0.0.1/8, intranet, ::/129,' })).toEqual([
        'WEBHOOK_ALLOWED_NETWORKS must list CIDRs: "10.0.0.1/8" has address bits set beyond its /8',
        'WEBHOOK_ALLOWED_NETWORKS must list CIDRs: "intranet" is not a CIDR (address/prefix length)',
        'WEBHOOK_ALLOWED_NETWORKS must list CIDRs: "::/129" has a prefix length above 128',
        'WEBHOOK_ALLOWED_NETWORKS must list CIDRs: an empty entry',
      ]);
    });
  });
});

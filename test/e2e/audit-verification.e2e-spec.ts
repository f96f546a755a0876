/**
 * Verification of the audit log (docs/design.md, invariant 4): the chains are recomputed and every kind
 * of tampering — made as a superuser with the append-only triggers switched off, the only way it
 * can be made — is found at the right event; signed checkpoints catch a cut-off end; the runtime
 * role cannot change the log at all. Events come from real audited operations over HTTP.
 */
import {
  AuditCategory,
  AuditTrail,
  canonicalFieldsOfRow,
  chainHash,
  checkpointSignatureValid,
  entityManagerReader,
  generatePrivateKeyPem,
  parseCheckpoint,
  parsePrivateKey,
  parsePublicKey,
  pgReader,
  publicKeyPem,
  systemContext,
  verifyChain,
  verifyCheckpoint,
  type AuditEventRow,
  type HashedFields,
} from '@harbour/audit';
import { ApiScope, Role } from '@harbour/authz';
import { execFile } from 'node:child_process';
import { verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { Fixtures, type StaffFixture } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

const VERIFY =
  'query ($chainId: ID) { verifyAuditLog(chainId: $chainId) { chainId valid eventsChecked firstInvalidSeq reason } }';
const CHECKPOINT =
  '{ auditCheckpoint { version createdAt chains { chainId seq hash } signedPayload algorithm signature publicKey temporaryKey document } }';
const CREATE_LOCATION = 'mutation ($i: CreateLocationInput!) { createLocation(input: $i) { location { id } } }';

/** Counts and positions are Int64: decimal strings. */
interface Verification {
  chainId: string;
  valid: boolean;
  eventsChecked: string;
  firstInvalidSeq: string | null;
  reason: string | null;
}

interface Checkpoint {
  version: number;
  createdAt: string;
  chains: { chainId: string; seq: string; hash: string }[];
  signedPayload: string;
  algorithm: string;
  signature: string;
  publicKey: string;
  temporaryKey: boolean;
  document: string;
}

type EventRow = AuditEventRow & { details: Record<string, unknown> };

/** Every column but the key: what a swap of two events exchanges. */
const CONTENT_COLUMNS = [
  'recorded_at',
  'actor_kind',
  'actor_id',
  'actor_organization_id',
  'actor_roles',
  'action',
  'category',
  'entity_type',
  'entity_id',
  'subject_client_id',
  'purpose',
  'outcome',
  'request_id',
  'source_address',
  'details',
  'prev_hash',
  'hash',
];

function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data as T;
}

function codeOf(response: GraphQLResponse): unknown {
  return response.errors?.[0]?.extensions?.code;
}

function hashedFields(row: EventRow, overrides: Partial<HashedFields> = {}): HashedFields {
  return { ...canonicalFieldsOfRow(row), recordedAt: new Date(row.recorded_at), ...overrides };
}

describe('Audit log verification', () => {
  let t: TestApp;
  let f: Fixtures;
  let operatorAuditor: StaffFixture & { token: string };
  /** A chain no test tampers with: it must stay valid whatever happens to the others. */
  let untouched: Organization;

  const sql = <R extends object>(text: string, params: unknown[] = []) =>
    superuserQuery<R & Record<string, unknown>>(t.database.name, text, params);
  const chainLength = async (chainId: string) =>
    Number((await sql<{ n: string }>('select count(*) as n from audit_event where chain_id = $1', [chainId]))[0].n);
  const eventAt = async (chainId: string, seq: number) =>
    (await sql<EventRow>('select * from audit_event where chain_id = $1 and seq = $2', [chainId, seq]))[0];

  /** Tampering is possible only as a superuser who first switches the append-only triggers off. */
  async function tamper(...statements: [string, unknown[]?][]): Promise<void> {
    await sql('alter table audit_event disable trigger user');
    try {
      for (const [text, params] of statements) await sql(text, params ?? []);
    } finally {
      await sql('alter table audit_event enable trigger user');
    }
  }

  /** A new organization whose chain holds a sign-in and `locations` location.create events. */
  async function chainWithEvents(
    locations = 5,
  ): Promise<{ org: Organization; admin: StaffFixture & { token: string }; length: number }> {
    const org = await f.organization();
    const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
    for (let i = 0; i < locations; i++) {
      ok(
        await t.gql(
          CREATE_LOCATION,
          { i: { name: `Phone line ${i}`, kind: 'VIRTUAL', url: `https://example.test/line-${i}` } },
          admin.token,
        ),
      );
    }
    return { org, admin, length: await chainLength(org.id) };
  }

  async function verifyAs(
    token: string,
    chainId?: string,
  ): Promise<GraphQLResponse<{ verifyAuditLog: Verification[] }>> {
    return t.gql<{ verifyAuditLog: Verification[] }>(VERIFY, chainId === undefined ? {} : { chainId }, token);
  }

  /** The operator's auditor verifies one chain; the untouched one is checked alongside. */
  async function verified(chainId: string): Promise<Verification> {
    const [result] = ok(await verifyAs(operatorAuditor.token, chainId)).verifyAuditLog;
    const [control] = ok(await verifyAs(operatorAuditor.token, untouched.id)).verifyAuditLog;
    expect(control).toMatchObject({ valid: true, firstInvalidSeq: null });
    return result;
  }

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    operatorAuditor = await f.signedIn(await f.operator(), [Role.AUDITOR]);
    untouched = (await chainWithEvents(3)).org;
  });
  afterAll(() => t.close());

  describe('verifyAuditLog', () => {
    it('finds every chain intact after real audited work, and counts its events', async () => {
      const { org, length } = await chainWithEvents(4);
      // An anonymous refusal, so that the network chain has events too.
      await t.gql(VERIFY, {});
      const results = ok(await verifyAs(operatorAuditor.token)).verifyAuditLog;
      expect(results.map((r) => r.chainId)).toEqual(
        expect.arrayContaining([org.id, untouched.id, operatorAuditor.organizationId, 'network']),
      );
      for (const result of results) expect(result).toMatchObject({ valid: true, firstInvalidSeq: null, reason: null });
      expect(results.find((r) => r.chainId === org.id)?.eventsChecked).toBe(String(length));
      expect(Number(results.find((r) => r.chainId === 'network')?.eventsChecked)).toBeGreaterThan(0);
    });

    it('verifies values with quotes, tabs, new lines, backslashes and any script, through both ways of reading', async () => {
      const { org } = await chainWithEvents(1);
      const awkward = 'tab\there "quoted" back\\slash \\N new\nline\r\u0001 é 中文 😀 \u2028';
      await t.app.get(AuditTrail).transaction(systemContext(org.id), async (_em, audit) => {
        audit.record({
          action: `test.${awkward}`,
          category: AuditCategory.EXECUTE,
          entityType: awkward,
          entityId: awkward,
          purpose: awkward,
          details: { [awkward]: awkward, list: [awkward, 'x'] },
        });
        await Promise.resolve();
      });
      expect(await verified(org.id)).toMatchObject({ valid: true, eventsChecked: String(await chainLength(org.id)) });
      const client = new Client({ connectionString: t.database.appUrl });
      await client.connect();
      try {
        expect(await verifyChain(pgReader(client), org.id)).toMatchObject({
          valid: true,
          eventsChecked: await chainLength(org.id),
        });
      } finally {
        await client.end();
      }
    });

    it('finds an edited event at its seq', async () => {
      const { org } = await chainWithEvents();
      await tamper(["update audit_event set action = 'location.delete' where chain_id = $1 and seq = 3", [org.id]]);
      expect(await verified(org.id)).toMatchObject({
        chainId: org.id,
        valid: false,
        eventsChecked: '2',
        firstInvalidSeq: '3',
        reason: expect.stringContaining('event 3 was changed'),
      });
    });

    it('finds an edit of a single detail, or of the time by a microsecond', async () => {
      const { org } = await chainWithEvents();
      await tamper([
        `update audit_event set details = details || '{"tampered": true}' where chain_id = $1 and seq = 4`,
        [org.id],
      ]);
      expect(await verified(org.id)).toMatchObject({ valid: false, firstInvalidSeq: '4' });
      const other = await chainWithEvents();
      await tamper([
        "update audit_event set recorded_at = recorded_at + interval '1 microsecond' where chain_id = $1 and seq = 2",
        [other.org.id],
      ]);
      expect(await verified(other.org.id)).toMatchObject({ valid: false, firstInvalidSeq: '2' });
    });

    it('finds a removed event: the missing seq', async () => {
      const { org } = await chainWithEvents();
      await tamper(['delete from audit_event where chain_id = $1 and seq = 3', [org.id]]);
      expect(await verified(org.id)).toMatchObject({
        valid: false,
        eventsChecked: '2',
        firstInvalidSeq: '3',
        reason: expect.stringContaining('event 3 is missing'),
      });
    });

    it('finds an inserted event that was hashed correctly, at the first original event after it', async () => {
      const { org, length } = await chainWithEvents();
      const [second, third] = [await eventAt(org.id, 2), await eventAt(org.id, 3)];
      // The forger knows the algorithm (there is no secret in a hash chain): the forged event links
      // to event 2 and hashes right; the events after it are renumbered and the head moved along.
      const forged = hashedFields(third, { action: 'location.create', entityId: 'forged-location' });
      await tamper(
        ['update audit_event set seq = -seq where chain_id = $1 and seq >= 3', [org.id]],
        ['update audit_event set seq = -seq + 1 where chain_id = $1 and seq < 0', [org.id]],
        [
          `insert into audit_event select chain_id, 3, recorded_at, actor_kind, actor_id, actor_organization_id, actor_roles, $2, category, entity_type,
             $3, subject_client_id, purpose, outcome, request_id, source_address, details, $4, $5 from audit_event where chain_id = $1 and seq = 4`,
          [org.id, forged.action, forged.entityId, second.hash, chainHash(second.hash, forged)],
        ],
        ['update audit_chain_head set seq = seq + 1 where chain_id = $1', [org.id]],
      );
      expect(await chainLength(org.id)).toBe(length + 1);
      expect(await verified(org.id)).toMatchObject({
        valid: false,
        eventsChecked: '3',
        firstInvalidSeq: '4',
        reason: expect.stringContaining('does not link'),
      });
    });

    it('finds an inserted event whose hash only looks right, at the event itself', async () => {
      const { org } = await chainWithEvents();
      const second = await eventAt(org.id, 2);
      await tamper(
        ['update audit_event set seq = -seq where chain_id = $1 and seq >= 3', [org.id]],
        ['update audit_event set seq = -seq + 1 where chain_id = $1 and seq < 0', [org.id]],
        [
          `insert into audit_event select chain_id, 3, recorded_at, actor_kind, actor_id, actor_organization_id, actor_roles, 'location.create', category,
             entity_type, entity_id, subject_client_id, purpose, outcome, request_id, source_address, details, $2, encode(sha256('forged'::bytea), 'hex')
           from audit_event where chain_id = $1 and seq = 4`,
          [org.id, second.hash],
        ],
        ['update audit_chain_head set seq = seq + 1 where chain_id = $1', [org.id]],
      );
      expect(await verified(org.id)).toMatchObject({ valid: false, eventsChecked: '2', firstInvalidSeq: '3' });
    });

    it('finds a reordering: the contents of events 2 and 3 swapped', async () => {
      const { org } = await chainWithEvents();
      await tamper([
        `update audit_event a set (${CONTENT_COLUMNS.join(', ')}) = (select ${CONTENT_COLUMNS.map((c) => `b.${c}`).join(', ')} from audit_event b
           where b.chain_id = a.chain_id and b.seq = case a.seq when 2 then 3 else 2 end)
         where a.chain_id = $1 and a.seq in (2, 3)`,
        [org.id],
      ]);
      expect(await verified(org.id)).toMatchObject({ valid: false, eventsChecked: '1', firstInvalidSeq: '2' });
    });

    it("finds a prevHash that is not the previous event's hash", async () => {
      const { org } = await chainWithEvents();
      await tamper([
        `update audit_event set prev_hash = (select hash from audit_event where chain_id = $1 and seq = 1) where chain_id = $1 and seq = 3`,
        [org.id],
      ]);
      expect(await verified(org.id)).toMatchObject({
        valid: false,
        firstInvalidSeq: '3',
        reason: expect.stringContaining('does not link'),
      });
    });

    it('finds an event added after the chain head, outside Harbour', async () => {
      const { org, length } = await chainWithEvents();
      await tamper([
        `insert into audit_event select chain_id, seq + 1, recorded_at, actor_kind, actor_id, actor_organization_id, actor_roles, action, category, entity_type,
           entity_id, subject_client_id, purpose, outcome, request_id, source_address, details, hash, hash from audit_event where chain_id = $1 and seq = $2`,
        [org.id, length],
      ]);
      expect(await verified(org.id)).toMatchObject({
        valid: false,
        eventsChecked: String(length),
        firstInvalidSeq: String(length + 1),
        reason: expect.stringContaining('beyond the chain head'),
      });
    });

    it('finds a chain head that points past the last event', async () => {
      const { org, length } = await chainWithEvents();
      await sql('update audit_chain_head set seq = seq + 2 where chain_id = $1', [org.id]);
      expect(await verified(org.id)).toMatchObject({
        valid: false,
        eventsChecked: String(length),
        firstInvalidSeq: String(length + 1),
        reason: expect.stringContaining('removed'),
      });
    });
  });

  describe('reach', () => {
    it("lets an organization's auditor verify its own chain only: another chain is NOT_FOUND, like one that does not exist", async () => {
      const { org } = await chainWithEvents(1);
      const auditor = await f.signedIn(org, [Role.AUDITOR]);
      expect(ok(await verifyAs(auditor.token)).verifyAuditLog).toEqual([
        expect.objectContaining({ chainId: org.id, valid: true }),
      ]);
      expect(ok(await verifyAs(auditor.token, org.id)).verifyAuditLog).toEqual([
        expect.objectContaining({ chainId: org.id, valid: true }),
      ]);
      for (const other of [
        untouched.id,
        'network',
        operatorAuditor.organizationId,
        '00000000-0000-4000-8000-000000000000',
      ]) {
        const refused = await verifyAs(auditor.token, other);
        expect(codeOf(refused)).toBe('NOT_FOUND');
        expect(refused.data).toBeNull();
      }
      const checkpoint = ok(
        await t.gql<{ auditCheckpoint: Checkpoint }>(CHECKPOINT, {}, auditor.token),
      ).auditCheckpoint;
      expect(checkpoint.chains.map((c) => c.chainId)).toEqual([org.id]);
    });

    it("lets the network operator's auditor verify every chain, or one of them", async () => {
      const { org } = await chainWithEvents(1);
      const all = ok(await verifyAs(operatorAuditor.token)).verifyAuditLog.map((r) => r.chainId);
      expect(all).toEqual(expect.arrayContaining([org.id, untouched.id, 'network', operatorAuditor.organizationId]));
      expect(ok(await verifyAs(operatorAuditor.token, org.id)).verifyAuditLog).toEqual([
        expect.objectContaining({ chainId: org.id }),
      ]);
      expect(ok(await verifyAs(operatorAuditor.token, 'network')).verifyAuditLog).toEqual([
        expect.objectContaining({ chainId: 'network' }),
      ]);
      expect(codeOf(await verifyAs(operatorAuditor.token, '00000000-0000-4000-8000-000000000000'))).toBe('NOT_FOUND');
      const checkpoint = ok(
        await t.gql<{ auditCheckpoint: Checkpoint }>(CHECKPOINT, {}, operatorAuditor.token),
      ).auditCheckpoint;
      expect(checkpoint.chains.map((c) => c.chainId)).toEqual(
        expect.arrayContaining([org.id, untouched.id, 'network', operatorAuditor.organizationId]),
      );
    });

    it('lets an API client with audit:read verify its own chain only', async () => {
      const { org } = await chainWithEvents(1);
      const client = await f.apiClient(org, [ApiScope.AUDIT_READ]);
      expect(ok(await verifyAs(client.key)).verifyAuditLog).toEqual([
        expect.objectContaining({ chainId: org.id, valid: true }),
      ]);
      expect(codeOf(await verifyAs(client.key, untouched.id))).toBe('NOT_FOUND');
    });

    it('refuses callers without an audit permission, and anonymous ones', async () => {
      const { org, admin } = await chainWithEvents(0);
      const partner = await f.apiClient(org, [ApiScope.DIRECTORY_WRITE]);
      for (const token of [admin.token, partner.key]) {
        expect(codeOf(await verifyAs(token))).toBe('FORBIDDEN');
        expect(codeOf(await t.gql(CHECKPOINT, {}, token))).toBe('FORBIDDEN');
      }
      expect(codeOf(await verifyAs(''))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(CHECKPOINT, {}))).toBe('UNAUTHENTICATED');
    });

    it("records each call in the caller's chain, and a refused one as DENIED", async () => {
      const { org } = await chainWithEvents(1);
      const auditor = await f.signedIn(org, [Role.AUDITOR]);
      const last = async () =>
        (await sql<EventRow>('select * from audit_event where chain_id = $1 order by seq desc limit 1', [org.id]))[0];
      ok(await verifyAs(auditor.token));
      expect(await last()).toMatchObject({
        action: 'audit.verify',
        category: 'EXECUTE',
        outcome: 'SUCCESS',
        actor_id: auditor.accountId,
        details: { chains: 1, invalid: 0 },
      });
      ok(await t.gql(CHECKPOINT, {}, auditor.token));
      expect(await last()).toMatchObject({
        action: 'audit.checkpoint',
        category: 'EXECUTE',
        outcome: 'SUCCESS',
        details: { chains: 1 },
      });
      await verifyAs(auditor.token, untouched.id);
      expect(await last()).toMatchObject({
        action: 'graphql.verifyAuditLog',
        outcome: 'DENIED',
        entity_type: 'AuditChain',
        entity_id: untouched.id,
      });
      // The calls themselves keep the chain valid.
      expect(ok(await verifyAs(auditor.token)).verifyAuditLog[0]).toMatchObject({
        valid: true,
        eventsChecked: String((await chainLength(org.id)) - 1),
      });
    });
  });

  describe('signed checkpoints', () => {
    const trustedKey = () => parsePublicKey(t.config.audit.verifyKey);

    it('come with the signed text, a signature that verifies, and the public key', async () => {
      const checkpoint = ok(
        await t.gql<{ auditCheckpoint: Checkpoint }>(CHECKPOINT, {}, operatorAuditor.token),
      ).auditCheckpoint;
      expect(checkpoint).toMatchObject({
        version: 1,
        algorithm: 'Ed25519',
        temporaryKey: true,
        publicKey: t.config.audit.verifyKey,
      });
      expect(
        verify(
          null,
          Buffer.from(checkpoint.signedPayload, 'utf8'),
          trustedKey(),
          Buffer.from(checkpoint.signature, 'base64'),
        ),
      ).toBe(true);
      const document = parseCheckpoint(checkpoint.document);
      expect(document.checkpoint.createdAt).toBe(checkpoint.createdAt);
      expect(document.checkpoint.chains).toEqual(checkpoint.chains.map((c) => ({ ...c, seq: Number(c.seq) })));
    });

    it('catch the end of a chain cut off together with its head, which the chain alone cannot show', async () => {
      const { org } = await chainWithEvents(6);
      const auditor = await f.signedIn(org, [Role.AUDITOR]);
      const checkpoint = ok(
        await t.gql<{ auditCheckpoint: Checkpoint }>(CHECKPOINT, {}, auditor.token),
      ).auditCheckpoint;
      const signedSeq = Number(checkpoint.chains[0].seq);
      // Cut the last three events (the checkpoint's own event and two it vouches for), head and all.
      const keep = signedSeq - 2;
      const kept = await eventAt(org.id, keep);
      await tamper(
        ['delete from audit_event where chain_id = $1 and seq > $2', [org.id, keep]],
        ['update audit_chain_head set seq = $2, hash = $3 where chain_id = $1', [org.id, keep, kept.hash]],
      );

      expect(await verified(org.id)).toMatchObject({ valid: true, eventsChecked: String(keep) });
      const result = await verifyCheckpoint(
        parseCheckpoint(checkpoint.document),
        trustedKey(),
        entityManagerReader(t.orm.em.fork()),
      );
      expect(result).toEqual({
        signatureValid: true,
        chains: [
          expect.objectContaining({
            chainId: org.id,
            valid: false,
            eventsChecked: keep,
            firstInvalidSeq: keep + 1,
            reason: expect.stringContaining('checkpoint'),
          }),
        ],
      });
    });

    it('accept a log that has only grown since, read through a plain connection of the runtime role', async () => {
      const { org, admin } = await chainWithEvents(2);
      const checkpoint = ok(
        await t.gql<{ auditCheckpoint: Checkpoint }>(CHECKPOINT, {}, operatorAuditor.token),
      ).auditCheckpoint;
      ok(
        await t.gql(
          CREATE_LOCATION,
          { i: { name: 'Later line', kind: 'VIRTUAL', url: 'https://example.test/later' } },
          admin.token,
        ),
      );
      const client = new Client({ connectionString: t.database.appUrl });
      await client.connect();
      try {
        const result = await verifyCheckpoint(parseCheckpoint(checkpoint.document), trustedKey(), pgReader(client), {
          batchSize: 2,
        });
        expect(result.signatureValid).toBe(true);
        expect(result.chains.find((c) => c.chainId === org.id)).toMatchObject({
          valid: true,
          eventsChecked: await chainLength(org.id),
        });
        expect(result.chains.find((c) => c.chainId === untouched.id)).toMatchObject({ valid: true });
      } finally {
        await client.end();
      }
    });

    it('are refused whole when the signature, the body or the key does not match', async () => {
      const checkpoint = ok(
        await t.gql<{ auditCheckpoint: Checkpoint }>(CHECKPOINT, {}, operatorAuditor.token),
      ).auditCheckpoint;
      const signed = parseCheckpoint(checkpoint.document);
      const reader = entityManagerReader(t.orm.em.fork());
      const flipped = {
        ...signed,
        signature: `${signed.signature.startsWith('A') ? 'B' : 'A'}${signed.signature.slice(1)}`,
      };
      expect(await verifyCheckpoint(flipped, trustedKey(), reader)).toEqual({ signatureValid: false, chains: [] });
      const lowered = {
        ...signed,
        checkpoint: {
          ...signed.checkpoint,
          chains: signed.checkpoint.chains.map((c) => ({ ...c, seq: Math.max(0, c.seq - 1) })),
        },
      };
      expect(await verifyCheckpoint(lowered, trustedKey(), reader)).toEqual({ signatureValid: false, chains: [] });
      const otherKey = parsePublicKey(publicKeyPem(parsePrivateKey(generatePrivateKeyPem())));
      expect(checkpointSignatureValid(signed, otherKey)).toBe(false);
      expect(await verifyCheckpoint(signed, otherKey, reader)).toEqual({ signatureValid: false, chains: [] });
    });
  });

  describe('append-only, enforced by PostgreSQL', () => {
    const asRuntimeRole = (text: string) => t.orm.em.fork().getConnection().execute(text);

    it('the application connects as harbour_app, which owns nothing', async () => {
      expect(await asRuntimeRole('select current_user as role')).toEqual([{ role: 'harbour_app' }]);
      const [{ owner }] = await sql<{ owner: string }>(
        `select tableowner as owner from pg_tables where tablename = 'audit_event'`,
      );
      expect(owner).not.toBe('harbour_app');
    });

    it.each([
      ['UPDATE', "update audit_event set action = 'x'", /permission denied/],
      ['DELETE', 'delete from audit_event', /permission denied/],
      ['TRUNCATE', 'truncate audit_event', /permission denied/],
      ['switching triggers off', 'alter table audit_event disable trigger all', /must be owner/],
      ['switching user triggers off', 'alter table audit_event disable trigger user', /must be owner/],
    ])("refuses %s through the application's own connection", async (_what, statement, error) => {
      await expect(asRuntimeRole(statement)).rejects.toThrow(error);
    });

    it.each([
      ['UPDATE', "update audit_event set action = 'x' where seq = 1"],
      ['DELETE', 'delete from audit_event where seq = 1'],
      ['TRUNCATE', 'truncate audit_event'],
    ])('refuses %s even to a superuser while the triggers are on, saying why', async (operation, statement) => {
      await expect(sql(statement)).rejects.toThrow(`audit_event is append-only: ${operation} is not allowed`);
    });
  });

  describe('npm run audit:verify and audit:checkpoint', () => {
    const ROOT = join(__dirname, '..', '..');
    const signingKey = generatePrivateKeyPem();

    function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join('src', 'cli', script), ...args],
          {
            cwd: ROOT,
            env: {
              ...process.env,
              HARBOUR_ENV: 'test',
              DATABASE_URL: t.database.ownerUrl,
              DATABASE_APP_URL: t.database.appUrl,
              AUDIT_SIGNING_KEY: signingKey,
            },
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    }

    it('exit 0 for an intact chain, 1 against a checkpoint the log no longer holds', async () => {
      const { org } = await chainWithEvents(3);
      const intact = await run('audit-verify.ts', ['--chain', untouched.id]);
      expect(intact).toMatchObject({ code: 0, stderr: '' });
      expect(intact.stdout).toMatch(new RegExp(`^ok +${untouched.id} +\\d+ events$`, 'm'));
      expect(intact.stdout).toContain('All 1 chain(s) intact');

      const made = await run('audit-checkpoint.ts', []);
      expect(made).toMatchObject({ code: 0, stderr: '' });
      const signed = parseCheckpoint(made.stdout);
      expect(checkpointSignatureValid(signed, parsePublicKey(publicKeyPem(parsePrivateKey(signingKey))))).toBe(true);
      const seq = signed.checkpoint.chains.find((c) => c.chainId === org.id)?.seq ?? 0;
      await tamper(
        ['delete from audit_event where chain_id = $1 and seq = $2', [org.id, seq]],
        [
          'update audit_chain_head set seq = $2, hash = (select hash from audit_event where chain_id = $1 and seq = $2) where chain_id = $1',
          [org.id, seq - 1],
        ],
      );

      const dir = mkdtempSync(join(tmpdir(), 'harbour-checkpoint-'));
      try {
        writeFileSync(join(dir, 'checkpoint.json'), made.stdout);
        const broken = await run('audit-verify.ts', ['--checkpoint', join(dir, 'checkpoint.json')]);
        expect(broken.code).toBe(1);
        expect(broken.stdout).toContain('signature valid');
        expect(broken.stdout).toMatch(new RegExp(`^INVALID +${org.id} +at seq ${seq} .*checkpoint`, 'm'));
        expect(broken.stdout).toMatch(new RegExp(`^ok +${untouched.id} `, 'm'));
        expect(broken.stdout).toMatch(/chain\(s\) INVALID/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});

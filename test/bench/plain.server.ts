/**
 * The floors under the referrals benchmark (`npm run bench`, issue 11 §3): the work of Harbour's
 * inbox page and of `sendReferral` done plainly — node:http and pg, no framework — so that the
 * benchmark can say how close Harbour comes to what the database allows.
 *
 * The inbox, per request, as Harbour does it:
 *   1. the access token checked (jsonwebtoken, HS256, audience and issuer, as Harbour);
 *   2. the membership looked up (ActorLoader's statement);
 *   3. the page with client and consent (ReferralPageQuery's statement), then the services with
 *      their organization and locations, and the organizations the page names;
 *   4. with PLAIN_AUDIT=on, one READ event per referral whose client is shown, appended to the
 *      reader's chain by the application's own ChainAppender, on its own (one statement, its own
 *      commit, per request: no group commit) before the answer;
 *   5. the answer in the shape of the GraphQL response.
 *
 * `sendReferral`, per request, in one transaction as Harbour does it: the token and membership as
 * above (a CASEWORKER); the client (of the caller's organization), the service with its
 * organization and locations, the consent locked FOR SHARE (of the caller's organization, active,
 * naming the service's organization); the outbox event, the referral and its SEND step; the
 * sending organization for the answer; the `referral.send` CREATE event appended to the caller's
 * chain by the application's ChainAppender inside the transaction (PLAIN_AUDIT=off leaves it out);
 * then COMMIT and the answer.
 *
 * It answers only those two of the benchmark's requests; anything else is a 400.
 *
 * Env: PLAIN_DATABASE_URL (the runtime role's URL), JWT_SECRET, PORT, PLAIN_AUDIT (on|off).
 * Run by bench-support's startPlainServer in its own process, like the application.
 */
import { AuditActorKind, AuditCategory, ChainAppender, pendingEvents } from '@harbour/audit';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { verify } from 'jsonwebtoken';
import { Pool } from 'pg';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../../src/auth/request-authenticator';

const PAGE_SIZE = 20;
const TERMINAL = new Set(['COMPLETED', 'UNMET', 'DECLINED', 'CANCELLED']);

const pool = new Pool({ connectionString: process.env.PLAIN_DATABASE_URL, max: 10 });
const secret = process.env.JWT_SECRET ?? '';
const audited = process.env.PLAIN_AUDIT !== 'off';
const chains = new ChainAppender();

interface PageRow {
  id: string;
  status: string;
  priority: string;
  sent_at: string;
  service_id: string;
  sending_organization_id: string;
  receiving_organization_id: string;
  client_id: string;
  preferred_name: string;
  languages: string[];
  needs: string | null;
  consent_revoked_at: string | null;
  consent_expires_at: string;
  consent_data_categories: string[];
}

/**
 * The caller: the access token checked as Harbour checks it, and the roles by ActorLoader's
 * statement (the plain handlers keep nothing between requests).
 */
async function caller(token: string): Promise<{ claims: Claims; roles: string[] | undefined }> {
  const claims = verify(token, secret, {
    algorithms: ['HS256'],
    audience: ACCESS_TOKEN_AUDIENCE,
    issuer: ACCESS_TOKEN_ISSUER,
  }) as Claims;
  const membership = await pool.query<{ roles: string[] }>(
    `select m.roles, o.is_network_operator
     from membership m join organization o on o.id = m.organization_id join staff_account a on a.id = m.account_id
     where m.account_id = $1 and m.organization_id = $2 and m.active and o.active and a.credential_version = $3
     limit 1`,
    [claims.sub, claims.org, claims.cv],
  );
  return { claims, roles: membership.rows[0]?.roles };
}

interface Claims {
  sub: string;
  org: string;
  cv: number;
}

async function inbox(token: string, requestId: string, sourceAddress: string): Promise<unknown> {
  const { claims, roles } = await caller(token);
  if (!roles?.includes('INTAKE')) throw new Error('not an intake worker');

  const { rows } = await pool.query<PageRow>(
    `select r.id, r.status, r.version, r.priority, r.outcome, r.reason, r.based_on_id, r.service_id, r.sending_organization_id, r.receiving_organization_id,
       to_json(r.sent_at) as sent_at, to_json(r.received_at) as received_at, to_json(r.updated_at) as updated_at,
       c.id as client_id, c.preferred_name, c.languages, c.needs, c.legal_name, c.birth_year, c.pronouns, c.municipal_id_number,
       c.contact_phone, c.contact_email, c.contact_preference, c.contact_safe_to_leave_message,
       to_json(k.revoked_at) as consent_revoked_at, to_json(k.expires_at) as consent_expires_at, k.data_categories as consent_data_categories
     from referral r join client c on c.id = r.client_id join consent k on k.id = r.consent_id
     where r.receiving_organization_id = $1
     order by r.sent_at desc, r.id desc
     limit $2`,
    [claims.org, PAGE_SIZE + 1],
  );
  const page = rows.slice(0, PAGE_SIZE);
  const [services, organizations] = await Promise.all([
    pool.query<{ id: string; name: string }>(
      `select s.*, o.name as organization_name, l.id as location_id, l.name as location_name
       from service s join organization o on o.id = s.organization_id
         left join service_at_location sl on sl.service_id = s.id left join location l on l.id = sl.location_id
       where s.id = any($1)`,
      [[...new Set(page.map((row) => row.service_id))]],
    ),
    pool.query<{ id: string; name: string }>(`select * from organization where id = any($1)`, [
      [...new Set(page.flatMap((row) => [row.sending_organization_id, row.receiving_organization_id]))],
    ]),
  ]);
  const serviceName = new Map(services.rows.map((s) => [s.id, s.name]));
  const organizationName = new Map(organizations.rows.map((o) => [o.id, o.name]));

  // The receiver's view (referral-view.ts, in short): nothing once terminal, revoked or expired;
  // the preferred name and languages while the consent holds; needs when the consent shares them.
  const now = Date.now();
  const shown = page.map((row) => {
    const active =
      !TERMINAL.has(row.status) && row.consent_revoked_at === null && new Date(row.consent_expires_at).getTime() > now;
    return {
      row,
      client: active
        ? {
            preferredName: row.preferred_name,
            languages: row.languages,
            needs: row.consent_data_categories.includes('NEEDS') ? row.needs : null,
          }
        : { preferredName: null, languages: null, needs: null },
      active,
    };
  });
  const reads = shown.filter((s) => s.active);
  if (audited && reads.length > 0) {
    const connection = await pool.connect();
    try {
      await chains.append(
        connection,
        pendingEvents(
          {
            actorKind: AuditActorKind.STAFF,
            actorId: claims.sub,
            organizationId: claims.org,
            roles,
            requestId,
            sourceAddress,
          },
          reads.map(({ row }) => ({
            action: 'referral.client.read',
            category: AuditCategory.READ,
            entityType: 'Referral',
            entityId: row.id,
            subjectClientId: row.client_id,
            purpose: 'REFERRAL',
          })),
        ),
      );
    } finally {
      connection.release();
    }
  }
  return {
    data: {
      referrals: {
        edges: shown.map(({ row, client }) => ({
          node: {
            id: row.id,
            status: row.status,
            priority: row.priority,
            sentAt: row.sent_at,
            client,
            service: { name: serviceName.get(row.service_id) },
            sendingOrganization: { name: organizationName.get(row.sending_organization_id) },
            receivingOrganization: { name: organizationName.get(row.receiving_organization_id) },
          },
        })),
        pageInfo: { hasNextPage: rows.length > PAGE_SIZE, endCursor: page.length ? page[page.length - 1].id : null },
      },
    },
  };
}

interface SendInput {
  clientId: string;
  consentId: string;
  serviceId: string;
  priority: string;
  reason: string | null;
}

async function send(token: string, input: SendInput, requestId: string, sourceAddress: string): Promise<unknown> {
  const { claims, roles } = await caller(token);
  if (!roles?.includes('CASEWORKER')) throw new Error('not a caseworker');
  const connection = await pool.connect();
  try {
    await connection.query('begin');
    const client = await connection.query<{ id: string }>(
      'select * from client where id = $1 and organization_id = $2 limit 1',
      [input.clientId, claims.org],
    );
    const service = await connection.query<{ id: string; organization_id: string; accepts_referrals: boolean }>(
      `select s.*, o.name as organization_name, l.id as location_id, l.name as location_name
       from service s join organization o on o.id = s.organization_id
         left join service_at_location sl on sl.service_id = s.id left join location l on l.id = sl.location_id
       where s.id = $1`,
      [input.serviceId],
    );
    const consent = await connection.query<{ client_id: string; recipient_organization_ids: string[] }>(
      `select * from consent where id = $1 and organization_id = $2 and revoked_at is null and expires_at > now()
       limit 1 for share`,
      [input.consentId, claims.org],
    );
    const receiver = service.rows[0]?.organization_id;
    if (
      !client.rows[0] ||
      !receiver ||
      consent.rows[0]?.client_id !== input.clientId ||
      !consent.rows[0].recipient_organization_ids.includes(receiver)
    )
      throw new Error('not a referral the caseworker may send');
    const referralId = randomUUID();
    const parties = [claims.org, receiver];
    await connection.query(
      `insert into outbox_event (id, type, organization_ids, acting_organization_id, aggregate_type, aggregate_id, data)
       values ($1, 'referral.sent', $2, $3, 'Referral', $4, $5)`,
      [
        randomUUID(),
        parties,
        claims.org,
        referralId,
        JSON.stringify({
          referralId,
          status: 'SENT',
          previousStatus: null,
          version: 1,
          sendingOrganizationId: claims.org,
          receivingOrganizationId: receiver,
          actingOrganizationId: claims.org,
        }),
      ],
    );
    const inserted = await connection.query<{ sent_at: string }>(
      `insert into referral (id, client_id, sending_organization_id, receiving_organization_id, service_id, consent_id,
         based_on_id, status, priority, reason, outcome, sent_by, sent_at, received_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, null, 'SENT', $7, $8, null, $9, now(), null, now())
       returning to_json(sent_at) as sent_at`,
      [
        referralId,
        input.clientId,
        claims.org,
        receiver,
        input.serviceId,
        input.consentId,
        input.priority,
        input.reason,
        claims.sub,
      ],
    );
    await connection.query(
      `insert into referral_transition (id, referral_id, action, from_status, to_status, side, organization_id,
         actor_kind, actor_role, actor_id, reason_code, outcome, text, at)
       values ($1, $2, 'SEND', null, 'SENT', 'SENDER', $3, 'STAFF', 'CASEWORKER', $4, null, null, null, now())`,
      [randomUUID(), referralId, claims.org, claims.sub],
    );
    await connection.query('select * from organization where id = any($1)', [[claims.org]]);
    if (audited)
      await chains.append(
        connection,
        pendingEvents(
          {
            actorKind: AuditActorKind.STAFF,
            actorId: claims.sub,
            organizationId: claims.org,
            roles,
            requestId,
            sourceAddress,
          },
          [
            {
              action: 'referral.send',
              category: AuditCategory.CREATE,
              entityType: 'Referral',
              entityId: referralId,
              subjectClientId: input.clientId,
              details: { serviceId: input.serviceId, receivingOrganizationId: receiver, priority: input.priority },
            },
          ],
        ),
      );
    await connection.query('commit');
    return {
      data: {
        sendReferral: { referral: { id: referralId, status: 'SENT', sentAt: inserted.rows[0].sent_at }, warnings: [] },
      },
    };
  } catch (error) {
    await connection.query('rollback');
    throw error;
  } finally {
    connection.release();
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/health/ready') return answer(res, 200, { status: 'ready' });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    query?: string;
    variables?: { input?: SendInput };
  };
  const token = req.headers.authorization?.replace(/^Bearer /, '');
  const sourceAddress = req.socket.remoteAddress ?? 'unknown';
  if (req.method === 'POST' && req.url === '/graphql' && token) {
    if (body.query?.includes('referrals(box: INBOX'))
      return answer(res, 200, await inbox(token, randomUUID(), sourceAddress));
    if (body.query?.includes('sendReferral(') && body.variables?.input)
      return answer(res, 200, await send(token, body.variables.input, randomUUID(), sourceAddress));
  }
  answer(res, 400, { errors: [{ message: 'the plain handler answers the inbox query and sendReferral only' }] });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) =>
    answer(res, 500, { errors: [{ message: error instanceof Error ? error.message : 'failed' }] }),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});

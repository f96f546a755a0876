/**
 * Training before client data (docs/design.md, Accountability): every operation that returns client
 * data (the register's CLIENT_DATA_OPERATIONS) × a trained person, an untrained one and an API
 * client; what stays open to the untrained; versions; who must acknowledge what; who may publish;
 * the coverage counts; the API-key attestation; the gate switched off.
 */
import { ApiScope, RETURNS_CLIENT_DATA, Role } from '@harbour/authz';
import { ModulesContainer } from '@nestjs/core';
import { ServiceArea } from '../../src/common/service-area';
import { CLIENT_DATA_OPERATIONS } from '../../src/modules/consent/client-data.registry';
import { ServiceStatus } from '../../src/modules/directory/directory.enums';
import { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { ReferralStatus } from '../../src/modules/referrals/referral.enums';
import type { TrainingModule } from '../../src/modules/training/training-module.entity';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-network';
import { DEMO_PASSWORD, DemoSeeder } from '../../src/seed/demo-seeder';
import { DEMO_UNTRAINED_ACCOUNT } from '../../src/seed/demo-training';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';

interface Person {
  token: string;
  accountId: string;
}

interface World {
  t: TestApp;
  f: Fixtures;
  shelter: Organization;
  clinic: Organization;
  all: TrainingModule;
  shelterModule: TrainingModule;
  healthModule: TrainingModule;
}

type Caller = 'CASEWORKER' | 'INTAKE';
interface Call {
  query: string;
  variables?: Record<string, unknown>;
}
/**
 * How to call each client-data operation on the shelter's own objects, and which of its roles calls
 * it. `partnerRefused`: no API scope grants the operation at all (a person acts on the client's
 * request), so a partner system is FORBIDDEN by its scopes, never by the training gate.
 */
type Row = { caller: Caller; call: (w: World) => Promise<Call>; partnerRefused?: true };

const key = () => `training-${Math.random().toString(36).slice(2)}`;

async function sentReferral(w: World, status = ReferralStatus.SENT) {
  const client = await w.f.client(w.shelter);
  const consent = await w.f.consent(client, [w.clinic]);
  return w.f.referral(consent, await w.f.service(w.clinic, { serviceArea: ServiceArea.HEALTH }), { status });
}

async function receivedReferral(w: World, status: ReferralStatus) {
  const client = await w.f.client(w.clinic);
  const consent = await w.f.consent(client, [w.shelter]);
  return w.f.referral(consent, await w.f.service(w.shelter, { serviceArea: ServiceArea.SHELTER }), { status });
}

function step(from: ReferralStatus, call: string): Row {
  return {
    caller: 'INTAKE',
    call: async (w) => {
      const referral = await receivedReferral(w, from);
      return { query: `mutation ($id: ID!) { ${call} { referral { id status } } }`, variables: { id: referral.id } };
    },
  };
}

const ROWS: Record<string, Row> = {
  'Query.client': {
    caller: 'CASEWORKER',
    call: async (w) => ({
      query: 'query ($id: ID!) { client(id: $id) { id preferredName } }',
      variables: { id: (await w.f.client(w.shelter)).id },
    }),
  },
  'Query.clients': {
    caller: 'CASEWORKER',
    call: () => Promise.resolve({ query: '{ clients(first: 2) { edges { node { preferredName } } } }' }),
  },
  'Query.consent': {
    caller: 'CASEWORKER',
    call: async (w) => ({
      query: 'query ($id: ID!) { consent(id: $id) { id status } }',
      variables: { id: (await w.f.consent(await w.f.client(w.shelter), [w.clinic])).id },
    }),
  },
  'Query.referral': {
    caller: 'CASEWORKER',
    call: async (w) => ({
      query: 'query ($id: ID!) { referral(id: $id) { id client { preferredName } } }',
      variables: { id: (await sentReferral(w)).id },
    }),
  },
  'Query.referrals': {
    caller: 'INTAKE',
    call: async (w) => {
      await receivedReferral(w, ReferralStatus.SENT);
      return { query: '{ referrals(box: INBOX, first: 2) { edges { node { id client { preferredName } } } } }' };
    },
  },
  'Mutation.registerClient': {
    caller: 'CASEWORKER',
    call: () =>
      Promise.resolve({
        query: 'mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }',
        variables: { i: { preferredName: 'Trained only', idempotencyKey: key() } },
      }),
  },
  'Mutation.updateClient': {
    caller: 'CASEWORKER',
    call: async (w) => ({
      query: 'mutation ($id: ID!) { updateClient(id: $id, input: { pronouns: "they/them" }) { client { id } } }',
      variables: { id: (await w.f.client(w.shelter)).id },
    }),
  },
  'Mutation.recordConsent': {
    caller: 'CASEWORKER',
    call: async (w) => ({
      query: 'mutation ($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } } }',
      variables: {
        i: {
          clientId: (await w.f.client(w.shelter)).id,
          recipientOrganizationIds: [w.clinic.id],
          purpose: 'SERVICE_REFERRAL',
          dataCategories: ['NEEDS'],
          method: 'VERBAL',
          language: 'en',
          noticeVersion: 'training-1',
          expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      },
    }),
  },
  'Mutation.revokeConsent': {
    caller: 'CASEWORKER',
    call: async (w) => ({
      query: 'mutation ($id: ID!) { revokeConsent(id: $id, reason: { code: CLIENT_WITHDREW }) { consent { id } } }',
      variables: { id: (await w.f.consent(await w.f.client(w.shelter), [w.clinic])).id },
    }),
  },
  'Mutation.sendReferral': {
    caller: 'CASEWORKER',
    call: async (w) => {
      const client = await w.f.client(w.shelter);
      const consent = await w.f.consent(client, [w.clinic]);
      const service = await w.f.service(w.clinic, { serviceArea: ServiceArea.HEALTH });
      return {
        query: 'mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }',
        variables: {
          i: { clientId: client.id, consentId: consent.id, serviceId: service.id, reason: 'Needs a clinic.' },
        },
      };
    },
  },
  'Mutation.acceptReferral': step(ReferralStatus.SENT, 'acceptReferral(id: $id)'),
  'Mutation.declineReferral': step(ReferralStatus.SENT, 'declineReferral(id: $id, reason: { code: NO_CAPACITY })'),
  'Mutation.startReferral': step(ReferralStatus.ACCEPTED, 'startReferral(id: $id)'),
  'Mutation.holdReferral': step(ReferralStatus.ACCEPTED, 'holdReferral(id: $id, reason: { code: WAITLISTED })'),
  'Mutation.resumeReferral': step(ReferralStatus.ON_HOLD, 'resumeReferral(id: $id)'),
  'Mutation.completeReferral': step(
    ReferralStatus.IN_PROGRESS,
    'completeReferral(id: $id, outcome: { code: SERVICE_PROVIDED })',
  ),
  'Mutation.closeReferralUnmet': step(
    ReferralStatus.ACCEPTED,
    'closeReferralUnmet(id: $id, reason: { code: NO_CAPACITY })',
  ),
  'Mutation.cancelReferral': {
    caller: 'CASEWORKER',
    call: async (w) => ({
      query: 'mutation ($id: ID!) { cancelReferral(id: $id, reason: { code: CLIENT_REQUEST }) { referral { id } } }',
      variables: { id: (await sentReferral(w)).id },
    }),
  },
  'Mutation.eraseClient': {
    caller: 'CASEWORKER',
    partnerRefused: true,
    call: async (w) => ({
      query: 'mutation ($id: ID!) { eraseClient(id: $id) { client { id erased } } }',
      variables: { id: (await w.f.client(w.shelter)).id },
    }),
  },
  'Mutation.addReferralNote': {
    caller: 'CASEWORKER',
    call: async (w) => ({
      query: 'mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }',
      variables: { i: { referralId: (await sentReferral(w)).id, body: 'Called the clinic.' } },
    }),
  },
};

const operationName = (coordinate: string) => coordinate.split('.')[1];

function codes(res: GraphQLResponse): unknown[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

describe('Training before client data', () => {
  const w = {} as World;
  const people = {} as Record<`${'trained' | 'untrained'} ${Caller}`, Person>;
  let partner: string;

  beforeAll(async () => {
    w.t = await startTestApp();
    w.f = new Fixtures(w.t);
    await w.f.operator();
    w.shelter = await w.f.organization({ name: 'Training shelter' });
    w.clinic = await w.f.organization({ name: 'Training clinic' });
    await w.f.service(w.shelter, { serviceArea: ServiceArea.SHELTER });
    await w.f.service(w.clinic, { serviceArea: ServiceArea.HEALTH });
    w.all = await w.f.trainingModule({ title: 'Serving every resident regardless of status' });
    w.shelterModule = await w.f.trainingModule({ serviceArea: ServiceArea.SHELTER, title: 'Shelter intake' });
    w.healthModule = await w.f.trainingModule({ serviceArea: ServiceArea.HEALTH, title: 'Clinic intake' });
    for (const role of ['CASEWORKER', 'INTAKE'] as const) {
      const trained = await w.f.signedIn(w.shelter, [Role[role]]);
      await w.f.acknowledge(trained.accountId, w.all);
      await w.f.acknowledge(trained.accountId, w.shelterModule);
      people[`trained ${role}`] = trained;
      // Everything but the shelter's own module: not enough.
      const untrained = await w.f.signedIn(w.shelter, [Role[role]]);
      await w.f.acknowledge(untrained.accountId, w.all);
      await w.f.acknowledge(untrained.accountId, w.healthModule);
      people[`untrained ${role}`] = untrained;
    }
    partner = (await w.f.apiClient(w.shelter, Object.values(ApiScope))).key;
  });
  afterAll(() => w.t.close());

  it('has a row for every operation the client-data register lists', () => {
    expect(Object.keys(ROWS).sort()).toEqual([...CLIENT_DATA_OPERATIONS].sort());
  });

  it('marks exactly the operations the register lists with @ReturnsClientData', () => {
    const marked: string[] = [];
    for (const module of w.t.app.get(ModulesContainer).values())
      for (const { metatype } of module.providers.values()) {
        const prototype = (metatype as { prototype?: Record<string, unknown> } | null)?.prototype;
        if (!prototype) continue;
        for (const method of Object.getOwnPropertyNames(prototype)) {
          // The descriptor's value: reading a getter would run it.
          const handler = Object.getOwnPropertyDescriptor(prototype, method)?.value as unknown;
          if (typeof handler !== 'function') continue;
          // Where @Query, @Mutation and @Subscription record the root type and the field's name.
          const root = Reflect.getMetadata('graphql:resolver_type', handler) as unknown;
          const name = (Reflect.getMetadata('graphql:resolver_name', handler) as string | undefined) ?? method;
          if (
            ['Query', 'Mutation', 'Subscription'].includes(root as string) &&
            Reflect.getMetadata(RETURNS_CLIENT_DATA, handler)
          )
            marked.push(`${root as string}.${name}`);
        }
      }
    expect(marked.sort()).toEqual([...CLIENT_DATA_OPERATIONS].sort());
  });

  const cells = Object.keys(ROWS).flatMap((operation) =>
    (['trained', 'untrained', 'API client'] as const).map((who) => ({ operation, who })),
  );

  it.each(cells)('$operation by a $who person or system', async ({ operation, who }) => {
    const row = ROWS[operation];
    const { query, variables } = await row.call(w);
    const token = who === 'API client' ? partner : people[`${who} ${row.caller}`].token;
    const res = await w.t.gql<Record<string, unknown>>(query, variables, token);
    const name = operationName(operation);
    if (who === 'API client' && row.partnerRefused) {
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.errors![0].extensions!.reason).toBeUndefined();
      return;
    }
    if (who !== 'untrained') {
      expect(res.errors).toBeUndefined();
      expect(res.data?.[name]).toBeTruthy();
      return;
    }
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data?.[name] ?? null).toBeNull();
    const extensions = res.errors![0].extensions!;
    expect(extensions.reason).toBe('TRAINING_REQUIRED');
    // The module the person is missing, by its facts: no personal data.
    expect(extensions.trainingModules).toEqual([
      { id: w.shelterModule.id, title: 'Shelter intake', version: 1, audience: 'SHELTER' },
    ]);
    const [denial] = await w.t.orm.em
      .fork()
      .getConnection()
      .execute<{ outcome: string; details: Record<string, unknown> }[]>(
        `select outcome, details from audit_event where actor_id = ? and action = ? order by recorded_at desc limit 1`,
        [people[`untrained ${row.caller}`].accountId, `graphql.${name}`],
      );
    expect(denial).toMatchObject({ outcome: 'DENIED', details: { code: 'FORBIDDEN', reason: 'TRAINING_REQUIRED' } });
  });

  it('leaves the directory, the service areas, `me`, the modules and acknowledging open to the untrained', async () => {
    const { token } = people['untrained CASEWORKER'];
    for (const query of [
      '{ organizations(first: 1) { totalCount } }',
      '{ services(first: 1) { totalCount } }',
      '{ serviceAreas { area } }',
      '{ me { id } }',
      '{ trainingModules { totalCount } }',
      '{ referralChanges(first: 1) { edges { cursor } } }',
    ]) {
      expect(codes(await w.t.gql(query, {}, token))).toEqual([]);
    }
  });

  it('shows the person their status in `me`, with the modules still to acknowledge', async () => {
    const me = async (token: string) =>
      (
        await w.t.gql<{ me: { training: unknown } }>(
          '{ me { training { complete enforced pending { id title version audience } } } }',
          {},
          token,
        )
      ).data!.me.training;
    expect(await me(people['trained CASEWORKER'].token)).toEqual({ complete: true, enforced: true, pending: [] });
    expect(await me(people['untrained CASEWORKER'].token)).toEqual({
      complete: false,
      enforced: true,
      pending: [{ id: w.shelterModule.id, title: 'Shelter intake', version: 1, audience: 'SHELTER' }],
    });
    const partnerMe = await w.t.gql<{ me: { training: unknown } }>('{ me { training { complete } } }', {}, partner);
    expect(partnerMe.data!.me.training).toBeNull();
  });

  it('lets a person through once they acknowledge, and a new version holds them back until they acknowledge it', async () => {
    const person = await w.f.signedIn(w.clinic, [Role.CASEWORKER]);
    await w.f.acknowledge(person.accountId, w.all);
    const read = () => w.t.gql('{ clients(first: 1) { totalCount } }', {}, person.token);
    const acknowledge = (version: number) =>
      w.t.gql<{ acknowledgeTraining: { trainingModule: { acknowledged: boolean }; training: { complete: boolean } } }>(
        'mutation ($id: ID!, $v: Int!) { acknowledgeTraining(moduleId: $id, version: $v) { trainingModule { acknowledged } training { complete } } }',
        { id: w.healthModule.id, v: version },
        person.token,
      );

    expect((await read()).errors?.[0].extensions?.reason).toBe('TRAINING_REQUIRED');
    const acknowledged = await acknowledge(1);
    expect(acknowledged.data!.acknowledgeTraining).toEqual({
      trainingModule: { acknowledged: true },
      training: { complete: true },
    });
    expect(codes(await read())).toEqual([]);

    const admin = await w.f.signedIn(await w.f.operator(), [Role.NETWORK_ADMIN]);
    const published = await w.t.gql<{ publishTrainingModule: { trainingModule: { version: number } } }>(
      'mutation ($i: PublishTrainingModuleInput!) { publishTrainingModule(input: $i) { trainingModule { version } } }',
      {
        i: {
          moduleId: w.healthModule.id,
          title: 'Clinic intake',
          summary: 'Revised: what the clinic never asks.',
          url: 'https://training.example.test/clinic-v2',
        },
      },
      admin.token,
    );
    expect(published.data!.publishTrainingModule.trainingModule.version).toBe(2);
    expect((await read()).errors?.[0].extensions).toMatchObject({
      reason: 'TRAINING_REQUIRED',
      trainingModules: [{ id: w.healthModule.id, version: 2 }],
    });

    // Only the current version can be acknowledged: the old one is a conflict naming the field.
    const stale = await acknowledge(1);
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0].extensions?.fields).toEqual([
      { field: 'version', message: 'must be the current version, 2' },
    ]);
    expect(codes(await acknowledge(2))).toEqual([]);
    expect(codes(await read())).toEqual([]);
  });

  it("asks of each person the modules for ALL and for the areas of their organization's ACTIVE services", async () => {
    const pendingOf = async (organization: Organization) => {
      const person = await w.f.signedIn(organization, [Role.CASEWORKER]);
      const res = await w.t.gql<{ me: { training: { pending: { audience: string }[] } } }>(
        '{ me { training { pending { audience } } } }',
        {},
        person.token,
      );
      return res.data!.me.training.pending.map((p) => p.audience).sort();
    };
    expect(await pendingOf(w.shelter)).toEqual(['ALL', 'SHELTER']);
    expect(await pendingOf(w.clinic)).toEqual(['ALL', 'HEALTH']);
    expect(await pendingOf(await w.f.organization())).toEqual(['ALL']);
    // A service that is not ACTIVE does not oblige its organization's staff.
    const closed = await w.f.organization();
    const service = await w.f.service(closed, { serviceArea: ServiceArea.SHELTER });
    await w.t.orm.em.fork().nativeUpdate(ServiceOffering, { id: service.id }, { status: ServiceStatus.INACTIVE });
    expect(await pendingOf(closed)).toEqual(['ALL']);
  });

  describe('publishing', () => {
    const publish = (token: string, input: Record<string, unknown>) =>
      w.t.gql<{ publishTrainingModule: { trainingModule: { audience: string; version: number } } }>(
        'mutation ($i: PublishTrainingModuleInput!) { publishTrainingModule(input: $i) { trainingModule { audience version } } }',
        { i: { title: 'A module', summary: 'What to know.', url: 'https://training.example.test/x', ...input } },
        token,
      );
    let lead: Person;

    beforeAll(async () => {
      lead = await w.f.signedIn(await w.f.operator(), [Role.SERVICE_AREA_LEAD], {
        leadServiceArea: ServiceArea.FOOD,
      });
    });

    it('lets a lead publish for the area they lead, and new versions of its modules', async () => {
      const created = await publish(lead.token, { audience: 'FOOD' });
      expect(created.data!.publishTrainingModule.trainingModule).toEqual({ audience: 'FOOD', version: 1 });
    });

    it.each([['ALL'], ['HEALTH']])('refuses a lead publishing for %s, and audits the denial', async (audience) => {
      const res = await publish(lead.token, { audience });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      const [denial] = await w.t.orm.em
        .fork()
        .getConnection()
        .execute<{ outcome: string }[]>(
          `select outcome from audit_event where actor_id = ? and action = 'graphql.publishTrainingModule' order by recorded_at desc limit 1`,
          [lead.accountId],
        );
      expect(denial.outcome).toBe('DENIED');
    });

    it("refuses a lead a new version of another area's module", async () => {
      expect(codes(await publish(lead.token, { moduleId: w.healthModule.id }))).toEqual(['FORBIDDEN']);
    });

    it('names the field of a bad input: an http URL, a missing or changed audience', async () => {
      const fieldsOf = (res: GraphQLResponse) =>
        (res.errors?.[0].extensions?.fields as { field: string }[] | undefined)?.map((f) => f.field);
      const insecure = await publish(lead.token, { audience: 'FOOD', url: 'http://training.example.test/x' });
      expect(codes(insecure)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(insecure)).toEqual(['input.url']);
      const admin = await w.f.signedIn(await w.f.operator(), [Role.NETWORK_ADMIN]);
      expect(fieldsOf(await publish(admin.token, {}))).toEqual(['input.audience']);
      expect(fieldsOf(await publish(admin.token, { moduleId: w.all.id, audience: 'HEALTH' }))).toEqual([
        'input.audience',
      ]);
    });
  });

  describe('coverage', () => {
    interface Coverage {
      organizationName: string;
      staffCount: number;
      trainedCount: number;
      untrainedCount: number;
      audiences: { audience: string; moduleCount: number; trainedCount: number; untrainedCount: number }[];
    }
    const coverage = async (token: string) =>
      (
        await w.t.gql<{ trainingCoverage: { edges: { node: Coverage }[] } }>(
          '{ trainingCoverage(first: 100) { edges { node { organizationName staffCount trainedCount untrainedCount audiences { audience moduleCount trainedCount untrainedCount } } } } }',
          {},
          token,
        )
      ).data!.trainingCoverage.edges.map((edge) => edge.node);

    it("counts each organization's trained and untrained staff, overall and per audience, for the network operator", async () => {
      const organization = await w.f.organization({ name: 'Coverage shelter' });
      await w.f.service(organization, { serviceArea: ServiceArea.SHELTER });
      const trained = await w.f.staff(organization, [Role.CASEWORKER]);
      const halfway = await w.f.staff(organization, [Role.INTAKE]);
      await w.f.staff(organization, [Role.ORG_ADMIN]);
      for (const module of [w.all, w.shelterModule]) await w.f.acknowledge(trained.accountId, module);
      await w.f.acknowledge(halfway.accountId, w.all);
      const admin = await w.f.signedIn(await w.f.operator(), [Role.NETWORK_ADMIN]);
      const row = (await coverage(admin.token)).find((c) => c.organizationName === 'Coverage shelter');
      expect(row).toEqual({
        organizationName: 'Coverage shelter',
        staffCount: 3,
        trainedCount: 1,
        untrainedCount: 2,
        audiences: [
          { audience: 'ALL', moduleCount: 1, trainedCount: 2, untrainedCount: 1 },
          { audience: 'SHELTER', moduleCount: 1, trainedCount: 1, untrainedCount: 2 },
        ],
      });
    });

    it('shows a lead the organizations with services in their area only, with ALL and that area', async () => {
      const lead = await w.f.signedIn(await w.f.operator(), [Role.SERVICE_AREA_LEAD], {
        leadServiceArea: ServiceArea.SHELTER,
      });
      const rows = await coverage(lead.token);
      // Not the clinic (HEALTH), nor an organization whose SHELTER service is INACTIVE.
      expect(rows.map((row) => row.organizationName)).toEqual(['Coverage shelter', 'Training shelter']);
      expect(rows[0].audiences.map((a) => a.audience)).toEqual(['ALL', 'SHELTER']);
    });
  });

  describe('API clients', () => {
    const create = (token: string, operatorsTrained: boolean) =>
      w.t.gql<{ createApiClient: { apiClient: { id: string; operatorsTrainingAttestedAt: string } } }>(
        'mutation ($t: Boolean!) { createApiClient(input: { name: "Case system", scopes: [CLIENTS_READ], operatorsTrained: $t }) { apiClient { id operatorsTrainingAttestedAt } } }',
        { t: operatorsTrained },
        token,
      );

    it("need the ORG_ADMIN's attestation that their operators were trained, kept with who and when", async () => {
      const admin = await w.f.signedIn(w.shelter, [Role.ORG_ADMIN]);
      const refused = await create(admin.token, false);
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      expect((refused.errors![0].extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual([
        'input.operatorsTrained',
      ]);
      const created = await create(admin.token, true);
      const { id, operatorsTrainingAttestedAt } = created.data!.createApiClient.apiClient;
      expect(operatorsTrainingAttestedAt).toEqual(expect.any(String));
      const [row] = await w.t.orm.em
        .fork()
        .getConnection()
        .execute<{ operators_training_attested_by: string }[]>(
          'select operators_training_attested_by from api_client where id = ?',
          [id],
        );
      expect(row.operators_training_attested_by).toBe(admin.accountId);
    });
  });
});

describe('Training before client data, with TRAINING_REQUIRED=false', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('lets the untrained through, and still tells them what to acknowledge', async () => {
    t = await startTestApp({ TRAINING_REQUIRED: 'false' });
    const f = new Fixtures(t);
    const organization = await f.organization();
    const module = await f.trainingModule();
    const person = await f.signedIn(organization, [Role.CASEWORKER]);
    expect(codes(await t.gql('{ clients(first: 1) { totalCount } }', {}, person.token))).toEqual([]);
    const me = await t.gql<{ me: { training: unknown } }>(
      '{ me { training { complete enforced pending { id } } } }',
      {},
      person.token,
    );
    expect(me.data!.me.training).toEqual({ complete: false, enforced: false, pending: [{ id: module.id }] });
  });
});

describe('Training in the demo network', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DemoSeeder).seedIfEmpty();
  });
  afterAll(() => t.close());

  const signIn = async (email: string) =>
    (
      await t.gql<{ login: { accessToken: string } }>(
        'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }',
        {
          i: { email, password: DEMO_PASSWORD },
        },
      )
    ).data!.login.accessToken;

  it('has trained every demo account but one, which the gate refuses until it acknowledges', async () => {
    for (const { email } of DEMO_ACCOUNTS.filter((a) => a.email !== DEMO_UNTRAINED_ACCOUNT)) {
      const me = await t.gql<{ me: { training: { complete: boolean } } }>(
        '{ me { training { complete } } }',
        {},
        await signIn(email),
      );
      expect([email, me.data!.me.training.complete]).toEqual([email, true]);
    }
    const token = await signIn(DEMO_UNTRAINED_ACCOUNT);
    const refused = await t.gql('{ referrals(box: OUTBOX) { totalCount } }', {}, token);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TRAINING_REQUIRED' });
    const modules = await t.gql<{ me: { training: { pending: { id: string; version: number }[] } } }>(
      '{ me { training { pending { id version } } } }',
      {},
      token,
    );
    const pending = modules.data!.me.training.pending;
    expect(pending.length).toBeGreaterThan(0);
    for (const { id, version } of pending)
      expect(
        codes(
          await t.gql(
            'mutation ($id: ID!, $v: Int!) { acknowledgeTraining(moduleId: $id, version: $v) { training { complete } } }',
            { id, v: version },
            token,
          ),
        ),
      ).toEqual([]);
    expect(codes(await t.gql('{ referrals(box: OUTBOX) { totalCount } }', {}, token))).toEqual([]);
  });
});

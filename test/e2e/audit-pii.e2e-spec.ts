/**
 * No personal data in the audit log, the outbox or the server log: every text field of every
 * mutation's input is filled with a recognisable marker, secrets handed out (invitation tokens, API
 * keys, access tokens) are collected, and then no audit row, no outbox row (partners are told from
 * it) and no log line at any level may contain any of them. The schema-driven fuzz test does the
 * same for calls that fail.
 */
import { Role } from '@harbour/authz';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

const M = (n: number) => `piimark${String(n).padStart(2, '0')}`;

describe('Audit log holds no personal data', () => {
  let t: TestApp;
  let f: Fixtures;
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'trace' });
    f = new Fixtures(t);
  });
  afterAll(() => t.close());

  it('after every mutation with markers in every text field, no audit or outbox row contains a marker or a secret', async () => {
    const operator = await f.operator();
    const networkAdmin = await f.signedIn(operator, [Role.NETWORK_ADMIN]);
    // Every call must really run (a refused input would carry no marker into the log).
    const call = async (query: string, variables: Record<string, unknown>, token?: string, refused = false) => {
      const res = await t.gql<Record<string, Record<string, unknown>>>(query, variables, token);
      if (refused) expect(res.errors).toBeDefined();
      else expect(res.errors).toBeUndefined();
      return res;
    };

    // Sign-in attempts: unknown email, wrong password, then a success.
    await call(
      'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }',
      { i: { email: `${M(1)}@example.test`, password: `${M(2)} wrong password` } },
      undefined,
      true,
    );
    const orgFields = {
      name: `Org ${M(3)}`,
      alternateName: `Alt ${M(4)}`,
      description: `About ${M(5)}`,
      email: `${M(6)}@example.test`,
      website: `https://${M(7)}.example.test`,
      phone: '+1 555 0199 x4242',
    };
    const org = await call(
      'mutation ($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }',
      { i: { ...orgFields, kind: 'COMMUNITY_ORGANIZATION' } },
      networkAdmin.token,
    );
    const orgId = (org.data!.createOrganization.organization as { id: string }).id;
    await call(
      'mutation ($id: ID!, $i: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $i) { organization { id } } }',
      { id: orgId, i: { ...orgFields, name: `Org2 ${M(8)}`, description: `About ${M(9)}` } },
      networkAdmin.token,
    );

    const invited = await call(
      'mutation ($i: CreateStaffAccountInput!) { createStaffAccount(input: $i) { invitationToken } }',
      {
        i: {
          email: `${M(10)}@example.test`,
          displayName: `Name ${M(11)}`,
          roles: ['ORG_ADMIN'],
          organizationId: orgId,
        },
      },
      networkAdmin.token,
    );
    const invitationToken = invited.data!.createStaffAccount.invitationToken as string;
    secrets.push(invitationToken);
    const accepted = await call(
      'mutation ($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken } }',
      {
        i: { token: invitationToken, password: `${M(12)} long passphrase` },
      },
    );
    const firstToken = accepted.data!.acceptInvitation.accessToken as string;
    secrets.push(firstToken);

    // The change ends every earlier token: the answer is the one to go on with.
    const changed = await call(
      'mutation ($i: ChangePasswordInput!) { changePassword(input: $i) { accessToken } }',
      { i: { currentPassword: `${M(12)} long passphrase`, newPassword: `${M(13)} new passphrase` } },
      firstToken,
    );
    const adminToken = changed.data!.changePassword.accessToken as string;
    secrets.push(adminToken);

    const locationFields = {
      name: `Loc ${M(14)}`,
      description: `Where ${M(15)}`,
      addressLine1: `1 ${M(16)} Street`,
      addressLine2: `Unit ${M(17)}`,
      city: `City ${M(18)}`,
      region: `Region ${M(19)}`,
      postalCode: M(20),
    };
    const location = await call(
      'mutation ($i: CreateLocationInput!) { createLocation(input: $i) { location { id } } }',
      { i: { ...locationFields, kind: 'PHYSICAL' } },
      adminToken,
    );
    const locationId = (location.data!.createLocation.location as { id: string }).id;
    await call(
      'mutation ($id: ID!, $i: UpdateLocationInput!) { updateLocation(id: $id, input: $i) { location { id } } }',
      { id: locationId, i: { ...locationFields, name: `Loc2 ${M(21)}` } },
      adminToken,
    );

    const serviceFields = {
      name: `Svc ${M(22)}`,
      alternateName: `Alt ${M(23)}`,
      description: `Does ${M(24)}`,
      url: `https://${M(25)}.example.test/service`,
      email: `${M(26)}@example.test`,
      eligibilityDescription: `For ${M(27)}`,
      applicationProcess: `Apply ${M(28)}`,
      feesDescription: `Fees ${M(29)}`,
      languages: ['en'],
      schedules: [{ days: ['MO'], opensAt: '09:00', closesAt: '17:00', description: `Hours ${M(30)}` }],
    };
    const service = await call(
      'mutation ($i: CreateServiceInput!) { createService(input: $i) { service { id } } }',
      { i: { ...serviceFields, serviceArea: 'FOOD', locationIds: [locationId] } },
      adminToken,
    );
    const serviceId = (service.data!.createService.service as { id: string }).id;
    await call(
      'mutation ($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { service { id } } }',
      { id: serviceId, i: { ...serviceFields, name: `Svc2 ${M(31)}` } },
      adminToken,
    );

    const staff = await call(
      'mutation ($i: CreateStaffAccountInput!) { createStaffAccount(input: $i) { invitationToken invitation { id } } }',
      { i: { email: `${M(32)}@example.test`, displayName: `Name ${M(33)}`, roles: ['CASEWORKER'] } },
      adminToken,
    );
    const staffInvitationToken = staff.data!.createStaffAccount.invitationToken as string;
    secrets.push(staffInvitationToken);
    const joined = await call('mutation ($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken } }', {
      i: { token: staffInvitationToken, password: 'violet kettle orbit sunrise' },
    });
    secrets.push(joined.data!.acceptInvitation.accessToken as string);
    const me = await call('{ me { id } }', {}, joined.data!.acceptInvitation.accessToken as string);
    const accountId = (me.data!.me as { id: string }).id;
    await call(
      'mutation ($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { staffMember { accountId } } }',
      { i: { accountId, roles: ['INTAKE'] } },
      adminToken,
    );
    await call(
      'mutation ($id: ID!) { deactivateStaffAccount(accountId: $id) { staffMember { accountId } } }',
      { id: accountId },
      adminToken,
    );

    const client = await call(
      'mutation { createApiClient(input: { name: "System piimark34", scopes: [DIRECTORY_WRITE], operatorsTrained: true }) { apiKey apiClient { id } } }',
      {},
      adminToken,
    );
    secrets.push(client.data!.createApiClient.apiKey as string);
    await call(
      'mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id } } }',
      { id: (client.data!.createApiClient.apiClient as { id: string }).id },
      adminToken,
    );

    // Clients and consents: every text field, and the searches and reads that show them.
    const caseworker = await f.signedIn(await f.organization(), [Role.CASEWORKER]);
    const registered = await call(
      'mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }',
      {
        i: {
          preferredName: `Pref ${M(36)}`,
          legalName: `Legal ${M(37)}`,
          pronouns: `pro ${M(38)}`,
          municipalIdNumber: M(39),
          needs: `Needs ${M(40)}`,
          contact: { phone: '+1 555 0177', email: `${M(41)}@example.test`, preference: 'ANY' },
        },
      },
      caseworker.token,
    );
    const clientId = (registered.data!.registerClient.client as { id: string }).id;
    await call(
      'mutation ($id: ID!, $i: UpdateClientInput!) { updateClient(id: $id, input: $i) { client { id } } }',
      { id: clientId, i: { preferredName: `Pref2 ${M(42)}`, needs: `Needs2 ${M(43)}` } },
      caseworker.token,
    );
    await call('query ($id: ID!) { client(id: $id) { id } }', { id: clientId }, caseworker.token);
    await call('query ($s: String) { clients(search: $s) { totalCount } }', { s: M(42) }, caseworker.token);
    const consent = await call(
      'mutation ($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } } }',
      {
        i: {
          clientId,
          recipientOrganizationIds: [orgId],
          purpose: 'SERVICE_REFERRAL',
          method: 'WRITTEN',
          language: 'en',
          noticeVersion: M(44),
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      caseworker.token,
    );
    await call(
      'mutation ($id: ID!, $r: ConsentRevocationInput!) { revokeConsent(id: $id, reason: $r) { consent { id } } }',
      { id: (consent.data!.recordConsent.consent as { id: string }).id, r: { code: 'OTHER', note: `Note ${M(45)}` } },
      caseworker.token,
    );
    await call(
      'query ($id: ID!) { clientAccessReport(clientId: $id) { totalCount } }',
      { id: clientId },
      caseworker.token,
    );

    // Referrals: every free text of sending, working and noting, on both sides, and the reads that show them.
    const receiving = await f.organization();
    const receivingService = await f.service(receiving);
    const intake = await f.signedIn(receiving, [Role.INTAKE]);
    const referralConsent = await call(
      'mutation ($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } } }',
      {
        i: {
          clientId,
          recipientOrganizationIds: [receiving.id],
          purpose: 'SERVICE_REFERRAL',
          dataCategories: ['NEEDS', 'CONTACT', 'DEMOGRAPHICS', 'MUNICIPAL_ID', 'NOTES'],
          method: 'VERBAL',
          language: 'en',
          noticeVersion: M(46),
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      caseworker.token,
    );
    const send = async (reason: string, idempotencyKey?: string) => {
      const sent = await call(
        'mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } warnings { field } } }',
        {
          i: {
            clientId,
            serviceId: receivingService.id,
            consentId: (referralConsent.data!.recordConsent.consent as { id: string }).id,
            reason,
            idempotencyKey,
          },
        },
        caseworker.token,
      );
      return sent.data!.sendReferral as { referral: { id: string }; warnings: unknown[] };
    };
    const transition = (operation: string, id: string, argument = '', token = intake.token) =>
      call(`mutation ($id: ID!) { ${operation}(id: $id${argument}) { referral { id } } }`, { id }, token);
    const note = (referralId: string, body: string, token: string, refused = false) =>
      call(
        'mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }',
        { i: { referralId, body } },
        token,
        refused,
      );
    const VIEW = `id reason client { preferredName needs contact { email } legalName pronouns municipalIdNumber }
      notes { body } history { text } lastTransition { text }`;
    const read = (id: string, token: string) =>
      call(`query ($id: ID!) { referral(id: $id) { ${VIEW} } }`, { id }, token);

    // Words that read like status information take the warning path too: only the field is named.
    const first = await send(`Reason ${M(47)}: she lost her papers`, M(48));
    expect(first.warnings).toHaveLength(1);
    const a = first.referral.id;
    expect((await send(`Reason ${M(47)}: she lost her papers`, M(48))).referral.id).toBe(a);
    await read(a, intake.token);
    await note(a, `Note ${M(49)}`, caseworker.token);
    await note(a, `Note ${M(50)}`, intake.token);
    await transition('acceptReferral', a);
    await transition('startReferral', a);
    await call(
      'mutation ($id: ID!, $r: ReferralReasonInput!) { holdReferral(id: $id, reason: $r) { referral { id } } }',
      { id: a, r: { code: 'OTHER', text: `Hold ${M(51)}` } },
      intake.token,
    );
    await transition('resumeReferral', a);
    await read(a, intake.token);
    await read(a, caseworker.token);
    await call(
      'mutation ($id: ID!, $o: ReferralOutcomeInput!) { completeReferral(id: $id, outcome: $o) { referral { id } } }',
      { id: a, o: { code: 'PARTIALLY_PROVIDED', text: `Outcome ${M(52)}` } },
      intake.token,
    );
    const reasoned = (operation: string, id: string, text: string, token = intake.token, refused = false) =>
      call(
        `mutation ($id: ID!, $r: ReferralReasonInput!) { ${operation}(id: $id, reason: $r) { referral { id } } }`,
        { id, r: { code: 'OTHER', text } },
        token,
        refused,
      );
    const b = (await send(`Reason ${M(53)}`)).referral.id;
    await reasoned('declineReferral', b, `Decline ${M(54)}`);
    const c = (await send(`Reason ${M(55)}`)).referral.id;
    await transition('acceptReferral', c);
    await reasoned('closeReferralUnmet', c, `Unmet ${M(56)}`);
    const d = (await send(`Reason ${M(57)}`)).referral.id;
    await reasoned('cancelReferral', d, `Cancel ${M(58)}`, caseworker.token);
    const LIST = `query ($box: ReferralBox!) { referrals(box: $box) { edges { node { ${VIEW} } } } }`;
    await call(LIST, { box: 'INBOX' }, intake.token);
    await call(LIST, { box: 'OUTBOX' }, caseworker.token);
    // Refused attempts on a terminal referral, with markers in their text.
    await reasoned('declineReferral', a, `Decline ${M(59)}`, intake.token, true);
    await note(a, `Note ${M(60)}`, caseworker.token, true);

    // A refused attempt with markers in its input, too.
    const other = await f.organization();
    const foreign = await f.service(other);
    await call(
      'mutation ($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { service { id } } }',
      { id: foreign.id, i: { name: `Svc ${M(35)}` } },
      adminToken,
      true,
    );
    await call('mutation ($i: LoginInput!) { login(input: $i) { accessToken } }', {
      i: { email: networkAdmin.email, password: TEST_PASSWORD },
    });
    // And input refused for a NUL or a control character in it.
    await call(
      'mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }',
      { i: { preferredName: `Pref ${M(61)}\u0000` } },
      caseworker.token,
      true,
    );
    await call(
      'mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }',
      { i: { referralId: a, body: `Note ${M(62)}\u001b` } },
      intake.token,
      true,
    );

    // Training: a module's words stay out of the log, and so does an acknowledgement's.
    const published = await call(
      'mutation ($i: PublishTrainingModuleInput!) { publishTrainingModule(input: $i) { trainingModule { id version } } }',
      {
        i: {
          audience: 'ALL',
          title: `Module ${M(63)}`,
          summary: `About ${M(64)}`,
          url: 'https://training.example.test/pii',
        },
      },
      networkAdmin.token,
    );
    const trained = published.data!.publishTrainingModule.trainingModule as { id: string; version: number };
    await call(
      'mutation ($id: ID!, $v: Int!) { acknowledgeTraining(moduleId: $id, version: $v) { training { complete } } }',
      { id: trained.id, v: trained.version },
      networkAdmin.token,
    );

    const rows = await t.orm.em.fork().getConnection().execute<Record<string, unknown>[]>('select * from audit_event');
    expect(rows.length).toBeGreaterThan(15);
    const outbox = await superuserQuery(t.database.name, 'select * from outbox_event');
    expect(outbox.length).toBeGreaterThan(10);
    expect(t.logs.length).toBeGreaterThan(50);
    for (const log of [
      JSON.stringify(rows).toLowerCase(),
      JSON.stringify(outbox).toLowerCase(),
      t.logs.join('\n').toLowerCase(),
    ]) {
      const found = Array.from({ length: 64 }, (_, i) => M(i + 1)).filter((marker) => log.includes(marker));
      expect(found).toEqual([]);
      expect(log).not.toContain('papers');
      expect(log).not.toContain('5550199');
      expect(log).not.toContain('5550177');
      expect(log).not.toContain(networkAdmin.email);
      for (const secret of [...secrets, TEST_PASSWORD]) expect(log).not.toContain(secret.toLowerCase());
    }
  });
});

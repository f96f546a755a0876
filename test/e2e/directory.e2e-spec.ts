import { ApiScope, Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { codeOf, dataOf } from '../support/responses';

const LOCATION_FIELDS =
  'id name kind description addressLine1 addressLine2 city region postalCode latitude longitude url confidential';
const SERVICE_FIELDS = `id name alternateName description url email serviceArea languages eligibilityDescription minimumAge maximumAge
  status acceptsReferrals capacity assuredAt applicationProcess feesDescription
  schedules { days opensAt closesAt description }
  organization { id name }
  locations { ${LOCATION_FIELDS} }`;

const SERVICE = `query ($id: ID!) { service(id: $id) { ${SERVICE_FIELDS} } }`;
const SERVICES = `query ($first: Int, $after: String, $filter: ServicesFilterInput) {
  services(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name } }
  }
}`;
const WARNINGS = 'warnings { field code message }';
const CREATE_SERVICE = `mutation ($input: CreateServiceInput!) { createService(input: $input) { service { ${SERVICE_FIELDS} } ${WARNINGS} } }`;
const UPDATE_SERVICE = `mutation ($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { service { ${SERVICE_FIELDS} } ${WARNINGS} } }`;
const CREATE_LOCATION = `mutation ($input: CreateLocationInput!) { createLocation(input: $input) { location { ${LOCATION_FIELDS} } ${WARNINGS} } }`;
const UPDATE_LOCATION = `mutation ($id: ID!, $input: UpdateLocationInput!) { updateLocation(id: $id, input: $input) { location { ${LOCATION_FIELDS} } ${WARNINGS} } }`;
const ORGANIZATION_DIRECTORY = `query ($id: ID!, $first: Int, $after: String) {
  organization(id: $id) {
    services(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { name locations { name } } } }
    locations { totalCount edges { node { ${LOCATION_FIELDS} } } }
  }
}`;

interface LocationNode {
  id: string;
  name: string;
  confidential: boolean;
  addressLine1: string | null;
  latitude: number | null;
  longitude: number | null;
  [field: string]: unknown;
}
interface ServiceNode {
  id: string;
  name: string;
  assuredAt: string;
  organization: { id: string; name: string };
  locations: LocationNode[];
  [field: string]: unknown;
}
/** What the directory's mutations answer: the object, and warnings that are always empty (directory text is not a client's). */
type Payload<Name extends string, Node> = Record<Name, Node> & { warnings: unknown[] };

interface ServicesPage {
  services: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { cursor: string; node: { id: string; name: string } }[];
  };
}

/** The input fields an error names, each once (a field breaking several rules is named once per rule). */
const fieldsOf = (response: GraphQLResponse<unknown>) => [
  ...new Set(((response.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((problem) => problem.field)),
];

/** Downtown, a point ~5.8 km north of it, and a city ~500 km away. */
const DOWNTOWN = { latitude: 43.65, longitude: -79.38 };
const NORTH = { latitude: 43.7025, longitude: -79.39 };
const FAR_CITY = { latitude: 45.5017, longitude: -73.5673 };

const physical = (overrides: Record<string, unknown> = {}) => ({
  name: `Site ${randomUUID().slice(0, 6)}`,
  kind: 'PHYSICAL',
  addressLine1: '100 Queen St W',
  city: 'Harbourtown',
  region: 'ON',
  postalCode: 'M5H 2N2',
  ...DOWNTOWN,
  ...overrides,
});
const newService = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: `Service ${randomUUID().slice(0, 6)}`,
  description: 'Help for people who need it.',
  serviceArea: 'HEALTH',
  ...overrides,
});

describe('Directory', () => {
  let t: TestApp;
  let f: Fixtures;
  let shelter: Organization;
  let clinic: Organization;
  /** ORG_ADMIN tokens of the shelter and the clinic, and a clinic caseworker (reads only). */
  let shelterAdmin: string;
  let clinicAdmin: string;
  let clinicReader: string;

  /** The object of a directory mutation's payload, once its warnings are found empty. */
  const objectOf = <Name extends string, Node>(payload: Payload<Name, Node>, name: Name): Node => {
    expect(payload.warnings).toEqual([]);
    return payload[name];
  };
  const createLocation = async (token: string, input: Record<string, unknown>) =>
    objectOf(
      dataOf(await t.gql<{ createLocation: Payload<'location', LocationNode> }>(CREATE_LOCATION, { input }, token))
        .createLocation,
      'location',
    );
  const createService = async (token: string, input: Record<string, unknown>) =>
    objectOf(
      dataOf(await t.gql<{ createService: Payload<'service', ServiceNode> }>(CREATE_SERVICE, { input }, token))
        .createService,
      'service',
    );

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    shelter = await f.organization({ name: 'City shelter' });
    clinic = await f.organization({ name: 'Public-health clinic' });
    shelterAdmin = (await f.signedIn(shelter, [Role.ORG_ADMIN])).token;
    clinicAdmin = (await f.signedIn(clinic, [Role.ORG_ADMIN])).token;
    clinicReader = (await f.signedIn(clinic, [Role.CASEWORKER])).token;
  });
  afterAll(() => t.close());

  // Runs first, on a database with no other services, so that every list can be checked exactly.
  describe('services', () => {
    let safeHouse: LocationNode;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const downtown = await createLocation(shelterAdmin, physical({ name: 'Downtown drop-in' }));
      safeHouse = await createLocation(
        shelterAdmin,
        physical({ name: 'Safe house', confidential: true, ...NORTH, addressLine1: '7 Hidden Lane' }),
      );
      const farClinic = await createLocation(clinicAdmin, physical({ name: 'Far clinic', ...FAR_CITY }));
      const specs: [string, string, Record<string, unknown>][] = [
        [
          'beds',
          shelterAdmin,
          {
            name: 'Emergency beds',
            description: 'Up to 1000 beds a night.',
            serviceArea: 'SHELTER',
            languages: ['en', 'fr-CA'],
            capacity: 'WAITLIST',
            locationIds: [downtown.id],
          },
        ],
        [
          'safe',
          shelterAdmin,
          {
            name: 'Safe house intake',
            description: 'Rooms for people fleeing violence.',
            serviceArea: 'VICTIM_SERVICES',
            languages: ['en', 'es'],
            capacity: 'FULL',
            locationIds: [safeHouse.id],
          },
        ],
        [
          'walkin',
          clinicAdmin,
          {
            name: 'Walk-in clinic',
            description: 'Free care, 100% covered.',
            serviceArea: 'HEALTH',
            languages: ['fr'],
            locationIds: [farClinic.id],
          },
        ],
        [
          'dental',
          clinicAdmin,
          {
            name: 'Dental care_program',
            description: 'Cleanings and fillings.',
            serviceArea: 'HEALTH',
            languages: ['en'],
            acceptsReferrals: false,
            status: 'TEMPORARILY_CLOSED',
          },
        ],
        [
          'old',
          clinicAdmin,
          {
            name: 'Old program',
            description: 'No longer offered.',
            serviceArea: 'HEALTH',
            languages: ['en'],
            acceptsReferrals: false,
            capacity: 'FULL',
            status: 'INACTIVE',
          },
        ],
      ];
      for (const [key, token, input] of specs) ids[key] = (await createService(token, input)).id;
    });

    const search = async (
      filter: Record<string, unknown> | undefined,
      token = clinicReader,
      page: Record<string, unknown> = {},
    ) => dataOf(await t.gql<ServicesPage>(SERVICES, { filter, ...page }, token)).services;
    const namesOf = async (filter: Record<string, unknown> | undefined, token = clinicReader) =>
      (await search(filter, token)).edges.map((edge) => edge.node.name);

    it('lists every service of the network, every status, by name, with the total count', async () => {
      const page = await search(undefined);
      expect(page.edges.map((e) => e.node.name)).toEqual([
        'Dental care_program',
        'Emergency beds',
        'Old program',
        'Safe house intake',
        'Walk-in clinic',
      ]);
      expect(page.totalCount).toBe(5);
    });

    it('filters by service area', async () => {
      expect(await namesOf({ serviceArea: 'HEALTH' })).toEqual([
        'Dental care_program',
        'Old program',
        'Walk-in clinic',
      ]);
    });

    it('filters by language: case-insensitive, a bare language matching its regional variants', async () => {
      expect(await namesOf({ language: 'fr' })).toEqual(['Emergency beds', 'Walk-in clinic']);
      expect(await namesOf({ language: 'fr-ca' })).toEqual(['Emergency beds']);
      expect(await namesOf({ language: 'en' })).toEqual([
        'Dental care_program',
        'Emergency beds',
        'Old program',
        'Safe house intake',
      ]);
      expect(await namesOf({ language: 'de' })).toEqual([]);
    });

    it('filters by whether referrals are accepted', async () => {
      expect(await namesOf({ acceptsReferrals: false })).toEqual(['Dental care_program', 'Old program']);
      expect(await namesOf({ acceptsReferrals: true })).toEqual([
        'Emergency beds',
        'Safe house intake',
        'Walk-in clinic',
      ]);
    });

    it('filters by capacity', async () => {
      expect(await namesOf({ capacity: 'FULL' })).toEqual(['Old program', 'Safe house intake']);
    });

    it('filters by status', async () => {
      expect(await namesOf({ status: 'INACTIVE' })).toEqual(['Old program']);
      expect(await namesOf({ status: 'ACTIVE' })).toEqual(['Emergency beds', 'Safe house intake', 'Walk-in clinic']);
    });

    it('filters by organization', async () => {
      expect(await namesOf({ organizationId: shelter.id })).toEqual(['Emergency beds', 'Safe house intake']);
      expect(await namesOf({ organizationId: randomUUID() })).toEqual([]);
    });

    it('searches name and description, ignoring case, with % and _ taken literally', async () => {
      expect(await namesOf({ text: 'CLINIC' })).toEqual(['Walk-in clinic']);
      expect(await namesOf({ text: 'fleeing' })).toEqual(['Safe house intake']);
      expect(await namesOf({ text: '100%' })).toEqual(['Walk-in clinic']);
      expect(await namesOf({ text: '_program' })).toEqual(['Dental care_program']);
    });

    it('filters by distance from a point', async () => {
      expect(await namesOf({ near: { ...FAR_CITY, radiusKm: 5 } })).toEqual(['Walk-in clinic']);
      expect(await namesOf({ near: { ...DOWNTOWN, radiusKm: 1 } }, shelterAdmin)).toEqual(['Emergency beds']);
      expect(await namesOf({ near: { ...DOWNTOWN, radiusKm: 10 } }, shelterAdmin)).toEqual([
        'Emergency beds',
        'Safe house intake',
      ]);
    });

    it("never uses a confidential location's coordinates for another organization's search", async () => {
      expect(await namesOf({ near: { ...DOWNTOWN, radiusKm: 10 } }, clinicReader)).toEqual(['Emergency beds']);
      expect(await namesOf({ near: { ...NORTH, radiusKm: 0.5 } }, clinicReader)).toEqual([]);
      expect(await namesOf({ near: { ...NORTH, radiusKm: 0.5 } }, shelterAdmin)).toEqual(['Safe house intake']);
    });

    it('combines filters with AND', async () => {
      expect(
        await namesOf({ serviceArea: 'HEALTH', language: 'en', acceptsReferrals: false, status: 'TEMPORARILY_CLOSED' }),
      ).toEqual(['Dental care_program']);
      expect(
        await namesOf({
          near: { ...DOWNTOWN, radiusKm: 10 },
          language: 'fr',
          capacity: 'WAITLIST',
          organizationId: shelter.id,
          text: 'beds',
        }),
      ).toEqual(['Emergency beds']);
      expect(await namesOf({ serviceArea: 'SHELTER', capacity: 'FULL' })).toEqual([]);
    });

    it('pages with first/after, keeping the order and the total count', async () => {
      const all = (await search(undefined)).edges.map((e) => e.node.name);
      const seen: string[] = [];
      let after: string | null = null;
      for (let pageNumber = 0; pageNumber < 3; pageNumber++) {
        const page = await search(undefined, clinicReader, { first: 2, after });
        expect(page.totalCount).toBe(5);
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        expect(page.pageInfo.hasNextPage).toBe(pageNumber < 2);
        seen.push(...page.edges.map((e) => e.node.name));
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(all);
    });

    it('pages with filters applied', async () => {
      const first = await search({ serviceArea: 'HEALTH' }, clinicReader, { first: 1 });
      const rest = await search({ serviceArea: 'HEALTH' }, clinicReader, { first: 5, after: first.pageInfo.endCursor });
      expect(first.totalCount).toBe(3);
      expect([...first.edges, ...rest.edges].map((e) => e.node.name)).toEqual([
        'Dental care_program',
        'Old program',
        'Walk-in clinic',
      ]);
    });

    it('refuses bad page sizes, foreign cursors and bad filters with BAD_USER_INPUT naming the argument', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ first: 101 }, 'first'],
        [{ first: 0 }, 'first'],
        [{ after: 'garbage' }, 'after'],
        [{ after: Buffer.from('v1:["x","not-a-uuid"]').toString('base64url') }, 'after'],
        [{ filter: { near: { ...DOWNTOWN, radiusKm: 101 } } }, 'filter.near.radiusKm'],
        [{ filter: { near: { ...DOWNTOWN, radiusKm: 0 } } }, 'filter.near.radiusKm'],
        [{ filter: { near: { latitude: 91, longitude: 0, radiusKm: 1 } } }, 'filter.near.latitude'],
        [{ filter: { language: 'English!' } }, 'filter.language'],
        [{ filter: { organizationId: 'abc' } }, 'filter.organizationId'],
        [{ filter: { text: 'x'.repeat(201) } }, 'filter.text'],
      ];
      for (const [variables, field] of cases) {
        const res = await t.gql(SERVICES, variables, clinicReader);
        expect({ variables, code: codeOf(res), fields: fieldsOf(res) }).toEqual({
          variables,
          code: 'BAD_USER_INPUT',
          fields: [field],
        });
      }
      expect(codeOf(await t.gql(SERVICES, { first: 100 }, clinicReader))).toBeUndefined();
    });

    it('orders services of the same name by id', async () => {
      const twins = [
        await createService(clinicAdmin, newService({ name: 'Twin service' })),
        await createService(clinicAdmin, newService({ name: 'Twin service' })),
      ];
      const expected = twins.map((s) => s.id).sort();
      const first = await search({ text: 'Twin service' }, clinicReader, { first: 1 });
      const second = await search({ text: 'Twin service' }, clinicReader, {
        first: 1,
        after: first.pageInfo.endCursor,
      });
      expect([first.edges[0].node.id, second.edges[0].node.id]).toEqual(expected);
    });

    describe('service', () => {
      it('returns a service with its organization and locations', async () => {
        const { service } = dataOf(await t.gql<{ service: ServiceNode }>(SERVICE, { id: ids.beds }, clinicReader));
        expect(service).toMatchObject({
          name: 'Emergency beds',
          serviceArea: 'SHELTER',
          languages: ['en', 'fr-CA'],
          capacity: 'WAITLIST',
          status: 'ACTIVE',
          acceptsReferrals: true,
          organization: { id: shelter.id, name: 'City shelter' },
          locations: [{ name: 'Downtown drop-in', addressLine1: '100 Queen St W', ...DOWNTOWN, confidential: false }],
        });
      });

      it('shows a confidential location in full to its own organization', async () => {
        const { service } = dataOf(await t.gql<{ service: ServiceNode }>(SERVICE, { id: ids.safe }, shelterAdmin));
        expect(service.locations).toEqual([
          expect.objectContaining({
            name: 'Safe house',
            addressLine1: '7 Hidden Lane',
            ...NORTH,
            city: 'Harbourtown',
            confidential: true,
          }),
        ]);
      });

      it('shows other organizations that a confidential location exists, without where it is', async () => {
        const { service } = dataOf(await t.gql<{ service: ServiceNode }>(SERVICE, { id: ids.safe }, clinicReader));
        expect(service.locations).toEqual([
          {
            id: safeHouse.id,
            name: 'Safe house',
            kind: 'PHYSICAL',
            description: null,
            addressLine1: null,
            addressLine2: null,
            city: null,
            region: null,
            postalCode: null,
            latitude: null,
            longitude: null,
            url: null,
            confidential: true,
          },
        ]);
        const listed = dataOf(
          await t.gql<{ organization: { locations: { edges: { node: LocationNode }[] } } }>(
            ORGANIZATION_DIRECTORY,
            { id: shelter.id },
            clinicReader,
          ),
        );
        const hidden = listed.organization.locations.edges.map((e) => e.node).find((l) => l.id === safeHouse.id);
        expect(hidden).toMatchObject({
          confidential: true,
          addressLine1: null,
          latitude: null,
          longitude: null,
          city: null,
        });
      });

      it('answers NOT_FOUND for an unknown id', async () => {
        expect(codeOf(await t.gql(SERVICE, { id: randomUUID() }, clinicReader))).toBe('NOT_FOUND');
      });

      it('refuses an id that is not a UUID as BAD_USER_INPUT naming it, before any SQL', async () => {
        const res = await t.gql(SERVICE, { id: 'not-a-uuid' }, clinicReader);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.errors![0].extensions!.fields).toEqual([{ field: 'id', message: 'must be an id (a UUID)' }]);
      });

      it("lists an organization's services and locations on the organization", async () => {
        const first = dataOf(
          await t.gql<{
            organization: {
              services: {
                totalCount: number;
                pageInfo: { hasNextPage: boolean; endCursor: string };
                edges: { node: { name: string } }[];
              };
            };
          }>(ORGANIZATION_DIRECTORY, { id: shelter.id, first: 1 }, clinicReader),
        ).organization.services;
        expect(first.totalCount).toBe(2);
        expect(first.edges.map((e) => e.node.name)).toEqual(['Emergency beds']);
        expect(first.pageInfo.hasNextPage).toBe(true);
        const next = dataOf(
          await t.gql<{ organization: { services: { edges: { node: { name: string } }[] } } }>(
            ORGANIZATION_DIRECTORY,
            { id: shelter.id, first: 1, after: first.pageInfo.endCursor },
            clinicReader,
          ),
        ).organization.services;
        expect(next.edges.map((e) => e.node.name)).toEqual(['Safe house intake']);
        const tooMany = await t.gql(ORGANIZATION_DIRECTORY, { id: shelter.id, first: 101 }, clinicReader);
        expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
      });
    });
  });

  describe('createLocation', () => {
    it('adds a physical location of the acting organization', async () => {
      const input = physical({ description: 'Ring the bell.', addressLine2: 'Unit 2' });
      expect(await createLocation(shelterAdmin, input)).toMatchObject({ ...input, url: null, confidential: false });
    });

    it('adds a virtual location', async () => {
      const input = { name: 'Video appointments', kind: 'VIRTUAL', url: 'https://video.example.test/clinic' };
      expect(await createLocation(clinicAdmin, input)).toMatchObject({ ...input, addressLine1: null, latitude: null });
    });

    it('works for an API client with directory:write', async () => {
      const client = await f.apiClient(clinic, [ApiScope.DIRECTORY_WRITE]);
      expect((await createLocation(client.key, physical())).name).toMatch(/^Site /);
    });

    it.each([
      ['name', { name: 'x'.repeat(201) }],
      ['description', { description: 'x'.repeat(4001) }],
      ['city', { city: null }],
      ['addressLine1', { addressLine1: null }],
      ['latitude', { latitude: 90.5 }],
      ['longitude', { longitude: -181 }],
      ['longitude', { longitude: null }],
      ['url', { url: 'www.example.test' }],
    ])('refuses a bad %s with BAD_USER_INPUT naming it', async (field, overrides) => {
      const res = await t.gql(CREATE_LOCATION, { input: physical(overrides) }, shelterAdmin);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toContain(`input.${field}`);
    });

    it('asks a virtual location for a url and no address', async () => {
      const noUrl = await t.gql(CREATE_LOCATION, { input: { name: 'Hotline', kind: 'VIRTUAL' } }, shelterAdmin);
      expect(fieldsOf(noUrl)).toEqual(['input.url']);
      const withAddress = await t.gql(
        CREATE_LOCATION,
        { input: { name: 'Hotline', kind: 'VIRTUAL', url: 'https://example.test', city: 'Harbourtown' } },
        shelterAdmin,
      );
      expect(fieldsOf(withAddress)).toEqual(['input.city']);
    });

    it('needs DIRECTORY_MANAGE', async () => {
      expect(codeOf(await t.gql(CREATE_LOCATION, { input: physical() }, clinicReader))).toBe('FORBIDDEN');
    });
  });

  describe('updateLocation', () => {
    it('changes a location of the acting organization, keeping omitted fields and clearing nulls', async () => {
      const location = await createLocation(shelterAdmin, physical({ addressLine2: 'Unit 2' }));
      const res = dataOf(
        await t.gql<{ updateLocation: Payload<'location', LocationNode> }>(
          UPDATE_LOCATION,
          { id: location.id, input: { name: 'Renamed', addressLine2: null, confidential: true } },
          shelterAdmin,
        ),
      );
      expect(res.updateLocation).toEqual({
        location: { ...location, name: 'Renamed', addressLine2: null, confidential: true },
        warnings: [],
      });
    });

    it("answers NOT_FOUND for another organization's location, exactly as for an unknown id", async () => {
      const theirs = await createLocation(clinicAdmin, physical());
      const unknown = randomUUID();
      const other = await t.gql(UPDATE_LOCATION, { id: theirs.id, input: { name: 'Taken' } }, shelterAdmin);
      const missing = await t.gql(UPDATE_LOCATION, { id: unknown, input: { name: 'Taken' } }, shelterAdmin);
      expect(codeOf(other)).toBe('NOT_FOUND');
      expect(codeOf(missing)).toBe('NOT_FOUND');
      expect(other.errors![0].message).toBe(missing.errors![0].message);
      expect(codeOf(await t.gql(UPDATE_LOCATION, { id: 'nope', input: { name: 'Taken' } }, shelterAdmin))).toBe(
        'BAD_USER_INPUT',
      );
    });

    it('checks the location as it would be stored, naming the field', async () => {
      const location = await createLocation(shelterAdmin, physical());
      const noCity = await t.gql(UPDATE_LOCATION, { id: location.id, input: { city: null } }, shelterAdmin);
      expect(codeOf(noCity)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(noCity)).toEqual(['input.city']);
      const halfCoordinates = await t.gql(
        UPDATE_LOCATION,
        { id: location.id, input: { latitude: null } },
        shelterAdmin,
      );
      expect(fieldsOf(halfCoordinates)).toEqual(['input.latitude']);
      const nullName = await t.gql(UPDATE_LOCATION, { id: location.id, input: { name: null } }, shelterAdmin);
      expect(fieldsOf(nullName)).toEqual(['input.name']);
    });
  });

  describe('createService', () => {
    it('publishes a service with its schedules and locations, assured now', async () => {
      const location = await createLocation(clinicAdmin, physical({ name: 'Main clinic' }));
      const before = Date.now();
      const input = newService({
        alternateName: 'Walk-in',
        url: 'https://clinic.example.test/walk-in',
        email: 'walkin@clinic.example.test',
        languages: ['en', 'zh-Hant', 'es-419'],
        eligibilityDescription: 'Anyone who lives or works in the city.',
        minimumAge: 0,
        maximumAge: 130,
        status: 'ACTIVE',
        acceptsReferrals: true,
        capacity: 'AVAILABLE',
        applicationProcess: 'Walk in.',
        feesDescription: 'Free.',
        schedules: [
          { days: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '17:30', description: 'Walk-in' },
          { days: ['SA'], opensAt: '20:00', closesAt: '08:00' },
        ],
        locationIds: [location.id, location.id],
      });
      const service = await createService(clinicAdmin, input);
      const { locationIds: _locationIds, schedules, ...fields } = input;
      expect(service).toMatchObject({ ...fields, organization: { id: clinic.id, name: 'Public-health clinic' } });
      expect(service.schedules).toEqual([
        { ...(schedules as object[])[0] },
        { ...(schedules as object[])[1], description: null },
      ]);
      expect(service.locations.map((l) => l.id)).toEqual([location.id]);
      expect(Date.parse(service.assuredAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(dataOf(await t.gql<{ service: ServiceNode }>(SERVICE, { id: service.id }, clinicReader)).service).toEqual(
        service,
      );
    });

    it('applies the defaults: active, taking referrals, available, no languages, no hours', async () => {
      const service = await createService(shelterAdmin, newService());
      expect(service).toMatchObject({
        status: 'ACTIVE',
        acceptsReferrals: true,
        capacity: 'AVAILABLE',
        languages: [],
        schedules: [],
        locations: [],
      });
    });

    it("refuses another organization's location with NOT_FOUND, as for an unknown one", async () => {
      const theirs = await createLocation(clinicAdmin, physical());
      expect(
        codeOf(await t.gql(CREATE_SERVICE, { input: newService({ locationIds: [theirs.id] }) }, shelterAdmin)),
      ).toBe('NOT_FOUND');
      expect(
        codeOf(await t.gql(CREATE_SERVICE, { input: newService({ locationIds: [randomUUID()] }) }, shelterAdmin)),
      ).toBe('NOT_FOUND');
    });

    it.each([
      ['name', { name: 'x'.repeat(201) }],
      ['description', { description: 'x'.repeat(4001) }],
      ['eligibilityDescription', { eligibilityDescription: 'x'.repeat(4001) }],
      ['email', { email: 'clinic at example' }],
      ['url', { url: 'javascript:alert(1)' }],
      ['languages', { languages: ['English'] }],
      ['languages', { languages: Array.from({ length: 21 }, () => 'en') }],
      ['minimumAge', { minimumAge: -1 }],
      ['maximumAge', { maximumAge: 131 }],
      ['minimumAge', { minimumAge: 65, maximumAge: 18 }],
      ['schedules.0.opensAt', { schedules: [{ days: ['MO'], opensAt: '25:00', closesAt: '17:00' }] }],
      ['schedules.0.closesAt', { schedules: [{ days: ['MO'], opensAt: '09:00', closesAt: '5pm' }] }],
      ['schedules.0.days', { schedules: [{ days: [], opensAt: '09:00', closesAt: '17:00' }] }],
      ['locationIds.0', { locationIds: ['not-a-uuid'] }],
    ])('refuses a bad %s with BAD_USER_INPUT naming it', async (field, overrides) => {
      const res = await t.gql(CREATE_SERVICE, { input: newService(overrides) }, shelterAdmin);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toContain(`input.${field}`);
    });

    it('needs DIRECTORY_MANAGE', async () => {
      expect(codeOf(await t.gql(CREATE_SERVICE, { input: newService() }, clinicReader))).toBe('FORBIDDEN');
    });
  });

  describe('updateService', () => {
    it('changes a service of the acting organization and assures it again', async () => {
      const [first, second] = [
        await createLocation(shelterAdmin, physical({ name: 'A site' })),
        await createLocation(shelterAdmin, physical({ name: 'B site' })),
      ];
      const service = await createService(
        shelterAdmin,
        newService({ eligibilityDescription: 'Adults.', minimumAge: 18, locationIds: [first.id] }),
      );
      const res = objectOf(
        dataOf(
          await t.gql<{ updateService: Payload<'service', ServiceNode> }>(
            UPDATE_SERVICE,
            {
              id: service.id,
              input: {
                capacity: 'FULL',
                eligibilityDescription: null,
                minimumAge: null,
                locationIds: [second.id, first.id],
                schedules: [{ days: ['SU'], opensAt: '10:00', closesAt: '14:00' }],
              },
            },
            shelterAdmin,
          ),
        ).updateService,
        'service',
      );
      expect(res).toMatchObject({
        name: service.name,
        description: service.description,
        capacity: 'FULL',
        eligibilityDescription: null,
        minimumAge: null,
      });
      expect(res.locations.map((l) => l.name)).toEqual(['A site', 'B site']);
      expect(res.schedules).toEqual([{ days: ['SU'], opensAt: '10:00', closesAt: '14:00', description: null }]);
      expect(Date.parse(res.assuredAt)).toBeGreaterThan(Date.parse(service.assuredAt));

      const cleared = objectOf(
        dataOf(
          await t.gql<{ updateService: Payload<'service', ServiceNode> }>(
            UPDATE_SERVICE,
            { id: service.id, input: { locationIds: [] } },
            shelterAdmin,
          ),
        ).updateService,
        'service',
      );
      expect(cleared.locations).toEqual([]);
    });

    it('checks age bounds against the stored values', async () => {
      const service = await createService(shelterAdmin, newService({ maximumAge: 17 }));
      const res = await t.gql(UPDATE_SERVICE, { id: service.id, input: { minimumAge: 18 } }, shelterAdmin);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['input.minimumAge']);
      expect(
        dataOf(await t.gql<{ service: ServiceNode }>(SERVICE, { id: service.id }, shelterAdmin)).service.minimumAge,
      ).toBeNull();
    });

    it('refuses null for fields that cannot be cleared, naming them', async () => {
      const service = await createService(shelterAdmin, newService());
      for (const field of ['name', 'status', 'languages', 'locationIds']) {
        const res = await t.gql(UPDATE_SERVICE, { id: service.id, input: { [field]: null } }, shelterAdmin);
        expect({ field, code: codeOf(res), fields: fieldsOf(res) }).toEqual({
          field,
          code: 'BAD_USER_INPUT',
          fields: [`input.${field}`],
        });
      }
    });

    it("answers NOT_FOUND for another organization's service, exactly as for an unknown id", async () => {
      const theirs = await createService(clinicAdmin, newService());
      const unknown = randomUUID();
      const other = await t.gql(UPDATE_SERVICE, { id: theirs.id, input: { capacity: 'FULL' } }, shelterAdmin);
      const missing = await t.gql(UPDATE_SERVICE, { id: unknown, input: { capacity: 'FULL' } }, shelterAdmin);
      expect(codeOf(other)).toBe('NOT_FOUND');
      expect(codeOf(missing)).toBe('NOT_FOUND');
      expect(other.errors![0].message.replace(theirs.id, '<id>')).toBe(
        missing.errors![0].message.replace(unknown, '<id>'),
      );
      expect(
        dataOf(await t.gql<{ service: ServiceNode }>(SERVICE, { id: theirs.id }, clinicAdmin)).service.capacity,
      ).toBe('AVAILABLE');
    });

    it("refuses another organization's location with NOT_FOUND and changes nothing", async () => {
      const service = await createService(shelterAdmin, newService({ name: 'Unchanged' }));
      const theirs = await createLocation(clinicAdmin, physical());
      const res = await t.gql(
        UPDATE_SERVICE,
        { id: service.id, input: { name: 'Changed', locationIds: [theirs.id] } },
        shelterAdmin,
      );
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(
        dataOf(await t.gql<{ service: ServiceNode }>(SERVICE, { id: service.id }, shelterAdmin)).service.name,
      ).toBe('Unchanged');
    });
  });
});

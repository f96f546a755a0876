import { LocationKind } from '../../src/modules/directory/directory.enums';
import { mayLocate, toLocationModel, type LocationSource } from '../../src/modules/directory/location.mapper';

const OWN = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function location(overrides: Partial<LocationSource> = {}): LocationSource {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    name: 'Safe house',
    kind: LocationKind.PHYSICAL,
    description: 'Call the intake line first.',
    addressLine1: '12 Hidden Lane',
    addressLine2: 'Back door',
    city: 'Harbourtown',
    region: 'ON',
    postalCode: 'H0H 0H0',
    latitude: 43.65,
    longitude: -79.38,
    url: 'https://maps.example.test/safe-house',
    confidential: true,
    organizationId: OWN,
    ...overrides,
  };
}

const WHEREABOUTS = [
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'latitude',
  'longitude',
  'url',
] as const;

describe(toLocationModel.name, () => {
  it('shows a confidential location in full to its own organization', () => {
    const model = toLocationModel({ organizationId: OWN }, location());
    for (const field of WHEREABOUTS) expect(model[field]).toEqual(location()[field]);
    expect(model.confidential).toBe(true);
  });

  it("hides a confidential location's address, coordinates and URL from other organizations", () => {
    const model = toLocationModel({ organizationId: OTHER }, location());
    for (const field of WHEREABOUTS) expect(model[field]).toBeNull();
  });

  it('still tells other organizations that the confidential location exists, with its name, kind and description', () => {
    const model = toLocationModel({ organizationId: OTHER }, location());
    expect(model).toMatchObject({
      id: location().id,
      name: 'Safe house',
      kind: LocationKind.PHYSICAL,
      description: 'Call the intake line first.',
      confidential: true,
    });
  });

  it('shows a location that is not confidential to everyone', () => {
    const model = toLocationModel({ organizationId: OTHER }, location({ confidential: false }));
    for (const field of WHEREABOUTS) expect(model[field]).toEqual(location()[field]);
  });

  it('returns nothing beyond the GraphQL fields (no organization id, no timestamps)', () => {
    expect(Object.keys(toLocationModel({ organizationId: OWN }, location())).sort()).toEqual(
      ['id', 'name', 'kind', 'description', 'confidential', ...WHEREABOUTS].sort(),
    );
  });
});

describe(mayLocate.name, () => {
  it.each([
    { confidential: false, viewer: OTHER, expected: true },
    { confidential: false, viewer: OWN, expected: true },
    { confidential: true, viewer: OWN, expected: true },
    { confidential: true, viewer: OTHER, expected: false },
  ])('confidential=$confidential, viewer of own organization=$expected', ({ confidential, viewer, expected }) => {
    expect(mayLocate({ organizationId: viewer }, { confidential, organizationId: OWN })).toBe(expected);
  });
});

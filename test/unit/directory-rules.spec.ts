import { LocationKind } from '../../src/modules/directory/directory.enums';
import { BadUserInputError, requireNoProblems } from '@harbour/graphql-kit';
import { ageBoundsProblems, locationProblems, type LocationShape } from '../../src/modules/directory/directory-rules';

const EMPTY: LocationShape = {
  kind: LocationKind.PHYSICAL,
  addressLine1: null,
  addressLine2: null,
  city: null,
  region: null,
  postalCode: null,
  latitude: null,
  longitude: null,
  url: null,
};

const fields = (problems: { field: string }[]) => problems.map((p) => p.field);

describe(ageBoundsProblems.name, () => {
  it.each([
    [null, null],
    [0, null],
    [null, 130],
    [18, 18],
    [18, 64],
  ])('accepts minimumAge %p with maximumAge %p', (minimumAge, maximumAge) => {
    expect(ageBoundsProblems({ minimumAge, maximumAge })).toEqual([]);
  });

  it('refuses a minimum above the maximum, naming input.minimumAge', () => {
    expect(fields(ageBoundsProblems({ minimumAge: 65, maximumAge: 18 }))).toEqual(['input.minimumAge']);
  });
});

describe(locationProblems.name, () => {
  it('accepts a physical location with addressLine1 and city', () => {
    expect(locationProblems({ ...EMPTY, addressLine1: '1 Main St', city: 'Harbourtown' })).toEqual([]);
  });

  it('asks a physical location for addressLine1 and city', () => {
    expect(fields(locationProblems(EMPTY))).toEqual(['input.addressLine1', 'input.city']);
  });

  it('wants latitude and longitude together', () => {
    const base = { ...EMPTY, addressLine1: '1 Main St', city: 'Harbourtown' };
    expect(fields(locationProblems({ ...base, latitude: 43.6 }))).toEqual(['input.longitude']);
    expect(fields(locationProblems({ ...base, longitude: -79.4 }))).toEqual(['input.latitude']);
    expect(locationProblems({ ...base, latitude: 43.6, longitude: -79.4 })).toEqual([]);
  });

  it('asks a virtual location for a url', () => {
    expect(fields(locationProblems({ ...EMPTY, kind: LocationKind.VIRTUAL }))).toEqual(['input.url']);
    expect(locationProblems({ ...EMPTY, kind: LocationKind.VIRTUAL, url: 'https://example.test' })).toEqual([]);
  });

  it('refuses an address or coordinates on a virtual location', () => {
    const problems = locationProblems({
      ...EMPTY,
      kind: LocationKind.VIRTUAL,
      url: 'https://example.test',
      city: 'Harbourtown',
      latitude: 1,
      longitude: 2,
    });
    expect(fields(problems)).toEqual(['input.city', 'input.latitude', 'input.longitude']);
  });
});

describe(requireNoProblems.name, () => {
  it('passes when there is nothing to report', () => {
    expect(() => requireNoProblems([])).not.toThrow();
  });

  it('throws BAD_USER_INPUT carrying every problem', () => {
    const problems = [{ field: 'input.city', message: 'a PHYSICAL location needs city' }];
    let thrown: unknown;
    try {
      requireNoProblems(problems);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect((thrown as BadUserInputError).details.fields).toEqual(problems);
    expect((thrown as BadUserInputError).message).toContain('input.city');
  });
});

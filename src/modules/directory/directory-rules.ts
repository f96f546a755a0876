import { assertUnreachable, type FieldProblem } from '@harbour/graphql-kit';
import { LocationKind } from './directory.enums';

/**
 * Rules that span several input fields, checked on the record as it will be stored (after an update
 * is applied), so that create and update agree. Each problem names the input field to fix.
 */

export function ageBoundsProblems(service: { minimumAge: number | null; maximumAge: number | null }): FieldProblem[] {
  if (service.minimumAge === null || service.maximumAge === null || service.minimumAge <= service.maximumAge) return [];
  return [{ field: 'input.minimumAge', message: 'minimumAge must not be greater than maximumAge' }];
}

export interface LocationShape {
  kind: LocationKind;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  latitude: number | null;
  longitude: number | null;
  url: string | null;
}

const ADDRESS_FIELDS = [
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'latitude',
  'longitude',
] as const;

export function locationProblems(location: LocationShape): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field: `input.${field}`, message });
  switch (location.kind) {
    case LocationKind.PHYSICAL:
      if (location.addressLine1 === null) problem('addressLine1', 'a PHYSICAL location needs addressLine1');
      if (location.city === null) problem('city', 'a PHYSICAL location needs city');
      if ((location.latitude === null) !== (location.longitude === null)) {
        problem(
          location.latitude === null ? 'latitude' : 'longitude',
          'latitude and longitude go together: give both or neither',
        );
      }
      break;
    case LocationKind.VIRTUAL:
      if (location.url === null) problem('url', 'a VIRTUAL location needs url');
      for (const field of ADDRESS_FIELDS) {
        if (location[field] !== null)
          problem(field, `a VIRTUAL location has no street address or coordinates: leave ${field} out or null`);
      }
      break;
    default:
      return assertUnreachable(location.kind);
  }
  return problems;
}

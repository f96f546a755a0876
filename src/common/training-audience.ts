import { registerEnumType } from '@nestjs/graphql';
import { ServiceArea } from './service-area';

/**
 * Who must acknowledge a training module: the staff of every organization (ALL), or of the
 * organizations with an ACTIVE service in one service area. In the database ALL is a null area.
 */
export const TrainingAudience = { ALL: 'ALL', ...ServiceArea } as const;
export type TrainingAudience = (typeof TrainingAudience)[keyof typeof TrainingAudience];

export function audienceOf(area: ServiceArea | string | null): TrainingAudience {
  return (area ?? TrainingAudience.ALL) as TrainingAudience;
}

/** The service area of an audience; null for ALL. */
export function areaOf(audience: TrainingAudience): ServiceArea | null {
  return audience === TrainingAudience.ALL ? null : audience;
}

registerEnumType(TrainingAudience, {
  name: 'TrainingAudience',
  description:
    'Whose staff must acknowledge a training module: every organization (ALL), or the organizations with an ACTIVE service in one service area (the values of ServiceArea).',
  valuesMap: {
    ALL: { description: 'Every person of every organization, whatever its services.' },
    ...Object.fromEntries(
      Object.values(ServiceArea).map((area) => [
        area,
        { description: `The staff of organizations with an ACTIVE service in ${area}.` },
      ]),
    ),
  },
});

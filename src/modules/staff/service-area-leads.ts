import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '@harbour/graphql-kit';
import type { ServiceArea } from '../../common/service-area';
import { Membership, ONE_LEAD_PER_AREA_INDEX } from './membership.entity';

/**
 * One active lead per service area (docs/design.md, Accountability). The database enforces it
 * (`membership_one_active_lead_per_area`); these helpers turn it into answers that say what to do,
 * whichever path tries to name a second lead: an invitation, its acceptance, or a role change.
 */

/** The active lead of an area, other than the membership `except`. */
export function activeLeadOf(em: EntityManager, area: ServiceArea, except?: string): Promise<Membership | null> {
  return em.findOne(Membership, {
    leadServiceArea: area,
    active: true,
    ...(except === undefined ? {} : { id: { $ne: except } }),
  });
}

/** The database refused a second active lead of one area: another change named one at the same moment. */
export function isSecondLead(error: unknown): boolean {
  return (
    error instanceof UniqueConstraintViolationException &&
    (error as { constraint?: string }).constraint === ONE_LEAD_PER_AREA_INDEX
  );
}

export function areaHasLead(area: ServiceArea, field: string, whatToDo: string): ConflictError {
  return new ConflictError(`${area} already has a lead: an area has at most one. ${whatToDo}`, [
    { field, message: `${area} already has an active lead` },
  ]);
}

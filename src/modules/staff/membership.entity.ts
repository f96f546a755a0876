import {
  Check,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Rel,
  Unique,
} from '@mikro-orm/core';
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { ServiceArea } from '../../common/service-area';
import { Organization } from '../organizations/organization.entity';
import { StaffAccount } from './staff-account.entity';

/** At most one active lead per service area: the one accountable person the area's staff and partners can name. */
export const ONE_LEAD_PER_AREA_INDEX = 'membership_one_active_lead_per_area';

/**
 * A person's roles in one organization. Deactivating it ends that person's access for the
 * organization on the next request. The database refuses network roles outside the network
 * operator, a SERVICE_AREA_LEAD without its service area (see the migration's trigger) and a
 * second active lead of one area.
 */
@Entity({ tableName: 'membership' })
@Unique({ properties: ['account', 'organization'] })
@Unique({
  name: ONE_LEAD_PER_AREA_INDEX,
  expression: `create unique index "${ONE_LEAD_PER_AREA_INDEX}" on "membership" ("lead_service_area") where "active" and "lead_service_area" is not null`,
})
@Check({
  name: 'membership_roles_check',
  expression: `roles <@ array['NETWORK_ADMIN','ORG_ADMIN','CASEWORKER','INTAKE','AUDITOR','SERVICE_AREA_LEAD']::text[]`,
})
@Check({
  name: 'membership_lead_needs_service_area_check',
  expression: `(lead_service_area is not null) = ('SERVICE_AREA_LEAD' = any(roles))`,
})
export class Membership {
  [OptionalProps]?: 'organizationId' | 'leadServiceArea' | 'active' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => StaffAccount, { deleteRule: 'restrict' })
  // Rel<>: the two entities refer to each other; keeps decorator metadata free of the cycle.
  account: Rel<StaffAccount>;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  @Index()
  organization: Organization;

  /** How the person is named to colleagues in this organization: what its administrator typed when inviting them. */
  @Property({ type: 'text' })
  displayName: string;

  @Enum({ items: () => Role, array: true })
  roles: Role[] = [];

  /** The one service area a SERVICE_AREA_LEAD reports on. */
  @Enum({ items: () => ServiceArea, nativeEnumName: 'service_area', nullable: true })
  leadServiceArea: ServiceArea | null = null;

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  get organizationId(): string {
    return this.organization.id;
  }
}

import { Check, Entity, Enum, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { ServiceArea } from '../../common/service-area';
import { OrganizationKind } from './organization-kind.enum';

@Entity({ tableName: 'organization' })
@Unique({
  name: 'organization_single_network_operator',
  expression:
    'create unique index "organization_single_network_operator" on "organization" ("is_network_operator") where "is_network_operator"',
})
@Check({
  name: 'organization_service_areas_check',
  expression: `service_areas <@ enum_range(null::service_area)::text[]`,
})
export class Organization {
  [OptionalProps]?:
    | 'organizationId'
    | 'alternateName'
    | 'email'
    | 'website'
    | 'phone'
    | 'serviceAreas'
    | 'isNetworkOperator'
    | 'active'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: true })
  name: string;

  @Property({ type: 'text', nullable: true })
  alternateName: string | null = null;

  @Property({ type: 'text' })
  description: string;

  @Enum({ items: () => OrganizationKind, nativeEnumName: 'organization_kind' })
  kind: OrganizationKind;

  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  @Property({ type: 'text', nullable: true })
  website: string | null = null;

  @Property({ type: 'text', nullable: true })
  phone: string | null = null;

  @Enum({ items: () => ServiceArea, array: true })
  serviceAreas: ServiceArea[] = [];

  /** The city office that runs the network; exactly one, created at bootstrap; immutable. */
  @Property({ type: 'boolean' })
  isNetworkOperator: boolean = false;

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** An organization belongs to itself, for object-level access checks. */
  get organizationId(): string {
    return this.id;
  }
}

import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity';
import { LocationKind } from './directory.enums';

/** HSDS location. A confidential one (e.g. a shelter for people fleeing violence) hides its address outside its organization. */
@Entity({ tableName: 'location' })
@Check({
  name: 'location_coordinates_check',
  expression: `(latitude is null) = (longitude is null) and (latitude is null or latitude between -90 and 90) and (longitude is null or longitude between -180 and 180)`,
})
export class Location {
  [OptionalProps]?:
    | 'organizationId'
    | 'description'
    | 'addressLine1'
    | 'addressLine2'
    | 'city'
    | 'region'
    | 'postalCode'
    | 'latitude'
    | 'longitude'
    | 'url'
    | 'confidential'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  @Index()
  organization: Organization;

  @Property({ type: 'text' })
  name: string;

  @Enum({ items: () => LocationKind, nativeEnumName: 'location_kind' })
  kind: LocationKind;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'text', nullable: true })
  addressLine1: string | null = null;

  @Property({ type: 'text', nullable: true })
  addressLine2: string | null = null;

  @Property({ type: 'text', nullable: true })
  city: string | null = null;

  @Property({ type: 'text', nullable: true })
  region: string | null = null;

  @Property({ type: 'text', nullable: true })
  postalCode: string | null = null;

  @Property({ type: 'double', nullable: true })
  latitude: number | null = null;

  @Property({ type: 'double', nullable: true })
  longitude: number | null = null;

  @Property({ type: 'text', nullable: true })
  url: string | null = null;

  @Property({ type: 'boolean' })
  confidential: boolean = false;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  get organizationId(): string {
    return this.organization.id;
  }
}

import {
  Check,
  Collection,
  Entity,
  Enum,
  Index,
  ManyToMany,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
} from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity';
import { CapacitySignal, ServiceStatus, Weekday } from './directory.enums';
import { ServiceArea } from '../../common/service-area';
import { Location } from './location.entity';

export interface ScheduleEntry {
  days: Weekday[];
  /** Local time, HH:MM (24 h). */
  opensAt: string;
  closesAt: string;
  description?: string | null;
}

/** An HSDS service; called ServiceOffering in code so it is not confused with Nest services. */
@Entity({ tableName: 'service' })
@Check({
  name: 'service_age_bounds_check',
  expression: `(minimum_age is null or minimum_age between 0 and 130) and (maximum_age is null or maximum_age between 0 and 130) and (minimum_age is null or maximum_age is null or minimum_age <= maximum_age)`,
})
export class ServiceOffering {
  [OptionalProps]?:
    | 'organizationId'
    | 'alternateName'
    | 'url'
    | 'email'
    | 'languages'
    | 'eligibilityDescription'
    | 'minimumAge'
    | 'maximumAge'
    | 'status'
    | 'acceptsReferrals'
    | 'capacity'
    | 'assuredAt'
    | 'applicationProcess'
    | 'feesDescription'
    | 'schedules'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  @Index()
  organization: Organization;

  @Property({ type: 'text' })
  name: string;

  @Property({ type: 'text', nullable: true })
  alternateName: string | null = null;

  @Property({ type: 'text' })
  description: string;

  @Property({ type: 'text', nullable: true })
  url: string | null = null;

  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  @Enum({ items: () => ServiceArea, nativeEnumName: 'service_area' })
  serviceArea: ServiceArea;

  /** BCP 47 language tags the service is delivered in. */
  @Property({ type: 'text[]' })
  languages: string[] = [];

  @Property({ type: 'text', nullable: true })
  eligibilityDescription: string | null = null;

  @Property({ type: 'smallint', nullable: true })
  minimumAge: number | null = null;

  @Property({ type: 'smallint', nullable: true })
  maximumAge: number | null = null;

  @Enum({ items: () => ServiceStatus, nativeEnumName: 'service_status' })
  status: ServiceStatus = ServiceStatus.ACTIVE;

  @Property({ type: 'boolean' })
  acceptsReferrals: boolean = true;

  @Enum({ items: () => CapacitySignal, nativeEnumName: 'capacity_signal' })
  capacity: CapacitySignal = CapacitySignal.AVAILABLE;

  /** When the organization last confirmed this record is accurate (HSDS assured_date). */
  @Property({ type: 'timestamptz', nullable: true })
  assuredAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  applicationProcess: string | null = null;

  @Property({ type: 'text', nullable: true })
  feesDescription: string | null = null;

  @Property({ type: 'jsonb' })
  schedules: ScheduleEntry[] = [];

  /** Service-at-location (HSDS): where the service is delivered. */
  @ManyToMany({
    entity: () => Location,
    pivotTable: 'service_at_location',
    joinColumn: 'service_id',
    inverseJoinColumn: 'location_id',
    owner: true,
  })
  locations = new Collection<Location>(this);

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  get organizationId(): string {
    return this.organization.id;
  }
}

import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { ServiceArea } from '../../common/service-area';
import { StaffAccount } from '../staff/staff-account.entity';

/**
 * A training module in its current version (docs/design.md, Accountability). Staff of an
 * organization must acknowledge every module for ALL (`serviceArea` null) and for the areas of its
 * active services before they see client data. Publishing a new version replaces the text and
 * raises `version`: everyone acknowledges again. Earlier versions live on in the audit trail and in
 * the acknowledgements that name them.
 */
@Entity({ tableName: 'training_module' })
@Check({ name: 'training_module_version_check', expression: 'version >= 1' })
@Check({ name: 'training_module_url_check', expression: `url like 'https://%'` })
export class TrainingModule {
  [OptionalProps]?: 'serviceArea' | 'version' | 'publishedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The service area whose staff must acknowledge it; null for every organization (ALL). */
  @Enum({ items: () => ServiceArea, nativeEnumName: 'service_area', nullable: true })
  @Index()
  serviceArea: ServiceArea | null = null;

  @Property({ type: 'text' })
  title: string;

  @Property({ type: 'text' })
  summary: string;

  /** Where the material is (https only). */
  @Property({ type: 'text' })
  url: string;

  @Property({ type: 'integer' })
  version: number = 1;

  @Property({ type: 'timestamptz' })
  publishedAt: Date = new Date();

  @ManyToOne(() => StaffAccount, { deleteRule: 'restrict' })
  publishedBy: StaffAccount;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

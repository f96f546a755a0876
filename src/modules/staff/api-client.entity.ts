import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { ApiScope } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity';

/**
 * A partner system acting for one organization. Its key is shown once; only a SHA-256 of the
 * secret is stored, found by the public prefix and compared in constant time.
 */
@Entity({ tableName: 'api_client' })
@Check({
  name: 'api_client_scopes_check',
  expression: `scopes <@ array['directory:write','clients:read','clients:write','consents:write','referrals:read','referrals:write','audit:read','webhooks:write']::text[]`,
})
export class ApiClient {
  [OptionalProps]?:
    | 'organizationId'
    | 'revokedAt'
    | 'lastUsedAt'
    | 'createdAt'
    | 'operatorsTrainingAttestedBy'
    | 'operatorsTrainingAttestedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  @Index()
  organization: Organization;

  @Property({ type: 'text' })
  name: string;

  @Property({ type: 'text', unique: true })
  keyPrefix: string;

  @Property({ type: 'text', hidden: true })
  keyHash: string;

  @Enum({ items: () => ApiScope, array: true })
  scopes: ApiScope[] = [];

  /** Staff account id of the creator. */
  @Property({ type: 'uuid' })
  createdBy: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  /**
   * The ORG_ADMIN who attested, when creating the key, that the staff operating the system were
   * trained (API clients are exempt from the training gate on that word). Null for keys created
   * before attestations were required.
   */
  @Property({ type: 'uuid', nullable: true })
  operatorsTrainingAttestedBy: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  operatorsTrainingAttestedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  get organizationId(): string {
    return this.organization.id;
  }
}

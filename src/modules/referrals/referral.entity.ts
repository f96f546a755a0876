import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, raw } from '@mikro-orm/core';
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { Client } from '../clients/client.entity';
import { Consent } from '../consent/consent.entity';
import { ServiceOffering } from '../directory/service-offering.entity';
import { Organization } from '../organizations/organization.entity';
import {
  ReferralAction,
  ReferralActorKind,
  ReferralOutcome,
  ReferralPriority,
  ReferralReasonCode,
  ReferralSide,
  ReferralStatus,
} from './referral.enums';

/**
 * A referral of one of the sending organization's clients to a service of another organization,
 * under a consent that names that organization (docs/design.md, Referral lifecycle). The client stays
 * the sender's; the receiver sees what the consent view allows. `version` makes concurrent
 * transitions lose with CONFLICT instead of both winning.
 */
@Entity({ tableName: 'referral' })
@Index({ properties: ['receivingOrganization', 'sentAt', 'id'] })
@Index({ properties: ['sendingOrganization', 'sentAt', 'id'] })
@Index({ properties: ['consent', 'status'] })
@Check({ name: 'referral_reason_check', expression: `btrim(reason) <> ''` })
@Check({
  name: 'referral_between_organizations_check',
  expression: 'sending_organization_id <> receiving_organization_id',
})
@Check({ name: 'referral_outcome_check', expression: `(status = 'COMPLETED') = (outcome is not null)` })
export class Referral {
  [OptionalProps]?:
    | 'basedOn'
    | 'receivedAt'
    | 'outcome'
    | 'version'
    | 'updatedAt'
    | 'status'
    | 'sendingOrganizationId'
    | 'receivingOrganizationId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The sending organization's client. */
  @ManyToOne(() => Client, { deleteRule: 'restrict' })
  @Index()
  client: Client;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  sendingOrganization: Organization;

  /** The organization offering the service (denormalised from it for the inbox). */
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  receivingOrganization: Organization;

  @ManyToOne(() => ServiceOffering, { deleteRule: 'restrict' })
  service: ServiceOffering;

  /** What the receiving organization may see is decided by this consent, on every read. */
  @ManyToOne(() => Consent, { deleteRule: 'restrict' })
  consent: Consent;

  /** The earlier referral this one reopens or re-routes. */
  @ManyToOne(() => Referral, { nullable: true, deleteRule: 'restrict' })
  basedOn: Referral | null = null;

  @Enum({ items: () => ReferralStatus, nativeEnumName: 'referral_status' })
  status: ReferralStatus = ReferralStatus.SENT;

  @Enum({ items: () => ReferralPriority, nativeEnumName: 'referral_priority' })
  priority: ReferralPriority;

  /** Why the client is referred, in the client's words (consent category NEEDS); null once the client is erased. */
  @Property({ type: 'text', nullable: true })
  reason: string | null;

  @Enum({ items: () => ReferralOutcome, nativeEnumName: 'referral_outcome', nullable: true })
  outcome: ReferralOutcome | null = null;

  /** Staff account or API client that sent it; never shown to the receiving organization. */
  @Property({ type: 'uuid' })
  sentBy: string;

  @Property({ type: 'timestamptz' })
  sentAt: Date;

  /** The receiving organization's first look at it (its first `referral` read while SENT). */
  @Property({ type: 'timestamptz', nullable: true })
  receivedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  updatedAt: Date;

  /** Grows by one with every lifecycle step (not with notes or the opening); callers give it back as `expectedVersion`. */
  @Property({ version: true })
  version: number = 1;

  get sendingOrganizationId(): string {
    return this.sendingOrganization.id;
  }

  get receivingOrganizationId(): string {
    return this.receivingOrganization.id;
  }
}

/**
 * One step of a referral's history (FHIR Task history): who — organization, side and role, never a
 * name across organizations —, when, and why. Written once, never changed.
 */
@Entity({ tableName: 'referral_transition' })
@Index({ properties: ['referral', 'at', 'id'] })
@Check({
  name: 'referral_transition_system_check',
  expression: `(side = 'SYSTEM') = (actor_kind = 'SYSTEM') and (actor_kind = 'SYSTEM') = (actor_id is null)`,
})
export class ReferralTransition {
  [OptionalProps]?: 'fromStatus' | 'actorRole' | 'actorId' | 'reasonCode' | 'outcome' | 'text';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Referral, { deleteRule: 'restrict' })
  referral: Referral;

  @Enum({ items: () => ReferralAction, nativeEnumName: 'referral_action' })
  action: ReferralAction;

  /** Null for SEND, which creates the referral. */
  @Enum({ items: () => ReferralStatus, nativeEnumName: 'referral_status', nullable: true })
  fromStatus: ReferralStatus | null = null;

  @Enum({ items: () => ReferralStatus, nativeEnumName: 'referral_status' })
  toStatus: ReferralStatus;

  @Enum({ items: () => ReferralSide, nativeEnumName: 'referral_side' })
  side: ReferralSide;

  /** The organization that acted (for Harbour's own steps, the side it acted for: the sender). */
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization: Organization;

  @Enum({ items: () => ReferralActorKind, nativeEnumName: 'referral_actor_kind' })
  actorKind: ReferralActorKind;

  /** The role the person acted in (CASEWORKER, INTAKE); null for partner systems and Harbour. */
  @Enum({ items: () => Role, nullable: true })
  actorRole: Role | null = null;

  /** Staff account or API client; shown only to its own organization. */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Enum({ items: () => ReferralReasonCode, nativeEnumName: 'referral_reason_code', nullable: true })
  reasonCode: ReferralReasonCode | null = null;

  @Enum({ items: () => ReferralOutcome, nativeEnumName: 'referral_outcome', nullable: true })
  outcome: ReferralOutcome | null = null;

  /** The actor's words with the reason or outcome; null once the referral's client is erased. */
  @Property({ type: 'text', nullable: true })
  text: string | null = null;

  @Property({ type: 'timestamptz' })
  at: Date;
}

/** A note on a referral by either side; the receiving side sees the sender's notes only under the NOTES category. */
@Entity({ tableName: 'referral_note' })
@Index({ properties: ['referral', 'createdAt', 'id'] })
@Check({ name: 'referral_note_body_check', expression: `btrim(body) <> ''` })
export class ReferralNote {
  [OptionalProps]?: 'authorRole';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Referral, { deleteRule: 'restrict' })
  referral: Referral;

  @Enum({ items: () => ReferralSide, nativeEnumName: 'referral_side' })
  side: ReferralSide;

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization: Organization;

  @Enum({ items: () => ReferralActorKind, nativeEnumName: 'referral_actor_kind' })
  authorKind: ReferralActorKind;

  @Enum({ items: () => Role, nullable: true })
  authorRole: Role | null = null;

  @Property({ type: 'uuid' })
  authorId: string;

  /** The writer's words; null once the referral's client is erased. */
  @Property({ type: 'text', nullable: true })
  body: string | null;

  @Property({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * For a change to a referral that is no lifecycle step (its opening, a note): `em.nativeUpdate`
 * raises `version` unless the update names it, and the version counts steps only — a caller who read
 * it, or the other side writing a note, must not make a step fail as stale.
 */
export function sameVersion() {
  return { version: raw<Referral, number>('version') };
}

/** What every referral read loads with it, in the same statement: enough for `viewReferral` (referral-view.ts). */
export const REFERRAL_VIEW = [
  'client',
  'consent',
  'service',
  'service.organization',
  'service.locations',
  'sendingOrganization',
  'receivingOrganization',
] as const;

import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { AuditActorKind, AuditCategory, AuditOutcome } from '@harbour/audit';
import { ConnectionType, Int64 } from '@harbour/graphql-kit';

@ObjectType('AuditEvent', {
  description:
    "One entry of the tamper-evident audit log (after FHIR AuditEvent): who did what, to which object, for which organization, when, and how it ended. Ids, codes and reasons only, never personal data. The network operator's auditors see other organizations' client ids as pseudonyms (`pseud_…`): stable within one organization, unrelated across organizations.",
})
export class AuditEventModel {
  @Field({
    description:
      "The chain the event belongs to: the acting organization's id, or `network` for events without one (callers without a credential).",
  })
  chainId: string;

  @Field(() => Int64, { description: 'Position of the event in its chain, from 1, without gaps.' })
  seq: string;

  @Field(() => GraphQLISODateTime, {
    description: 'When the event was recorded: database time, UTC, to the millisecond.',
  })
  recordedAt: Date;

  @Field(() => AuditActorKind, { description: 'What kind of caller acted.' })
  actorKind: AuditActorKind;

  @Field(() => ID, {
    nullable: true,
    description: 'The staff account or API client that acted; null for anonymous callers and Harbour itself.',
  })
  actorId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The organization the caller acted for; null for anonymous callers.',
  })
  actorOrganizationId: string | null;

  @Field(() => [String], {
    description: "The caller's roles (people) or scopes (API clients) in that organization when it acted.",
  })
  actorRoles: string[];

  @Field({
    description:
      'What was done, as a dotted name: `location.create`, `service.update`, `staff.login`, `audit.read`, `graphql.<operation>` for refused attempts…',
  })
  action: string;

  @Field(() => AuditCategory, { description: 'What kind of thing the action is.' })
  category: AuditCategory;

  @Field(() => String, {
    nullable: true,
    description: 'Type of the object acted on (`Service`, `Location`, `StaffAccount`…); null when there is none.',
  })
  entityType: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Id of the object acted on. When the object is a person (a client) of another organization than yours, a pseudonym (`pseud_…`).',
  })
  entityId: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The client whose data was involved, if any. Outside your own organization's chain (network operator's auditors only), a pseudonym (`pseud_…`): the same client has the same pseudonym within one organization and unrelated ones across organizations.",
  })
  subjectClientId: string | null;

  @Field(() => String, { nullable: true, description: 'Why the data was used, where the operation has a purpose.' })
  purpose: string | null;

  @Field(() => AuditOutcome, { description: 'How the attempt ended.' })
  outcome: AuditOutcome;

  @Field(() => String, {
    nullable: true,
    description: 'The HTTP request the event was recorded in (the `x-request-id` response header of that request).',
  })
  requestId: string | null;

  @Field(() => String, { nullable: true, description: 'Network address the request came from.' })
  sourceAddress: string | null;

  @Field({
    description:
      'Small details of the event (field names changed, counts, codes) as the text of a JSON object. Client ids in it are pseudonymised like `subjectClientId`.',
  })
  details: string;

  @Field({ description: 'Hash of the previous event of the chain (64 zeros for the first), hex SHA-256.' })
  prevHash: string;

  @Field({
    description:
      "SHA-256 (hex) of `prevHash` and the event's canonical serialisation: `verifyAuditLog` recomputes it. Pseudonymised events cannot be rehashed by the caller; verification works on the stored values.",
  })
  hash: string;
}

export const AuditEventConnection = ConnectionType(AuditEventModel, 'audit event', 'AuditEvent', Int64);

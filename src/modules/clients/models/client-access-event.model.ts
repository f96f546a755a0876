import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { AuditActorKind, AuditCategory, AuditOutcome } from '@harbour/audit';
import { ConnectionType, Int64 } from '@harbour/graphql-kit';
import { OrganizationModel } from '../../organizations';

@ObjectType('ClientAccessEvent', {
  description:
    "One access to a client's data, from the audit log: which organization, acting with which roles, did what, when and why. Together these make the client's disclosure log.",
})
export class ClientAccessEventModel {
  @Field(() => GraphQLISODateTime, { description: 'When it happened (database time, UTC, to the millisecond).' })
  recordedAt: Date;

  @Field(() => OrganizationModel, {
    nullable: true,
    description: 'The organization the person or partner system acted for; null for Harbour itself.',
  })
  organization: OrganizationModel | null;

  @Field(() => AuditActorKind, { description: 'A person, a partner system, or Harbour itself.' })
  actorKind: AuditActorKind;

  @Field(() => [String], {
    description: "The person's roles (or the partner system's scopes) in that organization at the time.",
  })
  actorRoles: string[];

  @Field(() => ID, {
    nullable: true,
    description:
      "The staff account or API client that acted, for your own organization's accesses; null for other organizations' (each organization answers for its own staff).",
  })
  actorId: string | null;

  @Field({ description: 'What was done, as a dotted name: `client.read`, `client.update`, `consent.record`…' })
  action: string;

  @Field(() => AuditCategory, { description: 'What kind of access it was.' })
  category: AuditCategory;

  @Field(() => AuditOutcome, { description: 'How it ended.' })
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'The purpose recorded with a read, such as `CASE_MANAGEMENT`.' })
  purpose: string | null;
}

export const ClientAccessEventConnection = ConnectionType(
  ClientAccessEventModel,
  'client access event',
  'ClientAccessEvent',
  Int64,
);

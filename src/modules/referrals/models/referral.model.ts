import { Role } from '@harbour/authz';
import { ConnectionType } from '@harbour/graphql-kit';
import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { ClientContactModel } from '../../clients';
import { ConsentDataCategory } from '../../consent';
import { ServiceOfferingModel } from '../../directory';
import { OrganizationModel } from '../../organizations';
import {
  ReferralAction,
  ReferralActorKind,
  ReferralOutcome,
  ReferralPriority,
  ReferralReasonCode,
  ReferralSide,
  ReferralStatus,
} from '../referral.enums';

@ObjectType('ReferredClient', {
  description:
    "The client of a referral, as your organization may see them. The sending organization holds the client and sees every field. The receiving organization sees only what the client's consent shares, decided on every read: the preferred name and languages (and the NEEDS category) while the referral is SENT, every consented category once it is accepted, and nothing once it is terminal or the consent is revoked or expired. Fields not shared are null. Every read that returns any of it is recorded in the audit log (`referral.client.read`).",
})
export class ReferredClientModel {
  @Field(() => ID, {
    nullable: true,
    description:
      "The client's id, for the sending organization only (use it with `client`); null for the receiving organization.",
  })
  id: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The name the client wants to be called by. Shared under any active consent while the referral is open; "Erased client" for both sides once the client\'s data was erased.',
  })
  preferredName: string | null;

  @Field({
    description:
      'True once the holding organization erased the client\'s personal data (on the client\'s request or after the retention period): the referral remains as a shell with its status and history, `preferredName` is the placeholder "Erased client" for both sides, and every other field is null.',
  })
  erased: boolean;

  @Field(() => [String], {
    nullable: true,
    description:
      'Languages the client speaks, preferred first (BCP 47). Shared under any active consent while the referral is open.',
  })
  languages: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the client needs, in their own words (consent category NEEDS).',
  })
  needs: string | null;

  @Field(() => ClientContactModel, {
    nullable: true,
    description: 'How to reach the client (consent category CONTACT, after acceptance).',
  })
  contact: ClientContactModel | null;

  @Field(() => String, { nullable: true, description: 'Legal name (consent category DEMOGRAPHICS, after acceptance).' })
  legalName: string | null;

  @Field(() => Int, { nullable: true, description: 'Year of birth (consent category DEMOGRAPHICS, after acceptance).' })
  birthYear: number | null;

  @Field(() => String, { nullable: true, description: 'Pronouns (consent category DEMOGRAPHICS, after acceptance).' })
  pronouns: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Municipal ID number (consent category MUNICIPAL_ID, after acceptance).',
  })
  municipalIdNumber: string | null;
}

@ObjectType('ReferralTransition', {
  description:
    "One step of a referral's history: what happened, when, and who — the organization, its side and the role acted in; a person is identified only to their own organization.",
})
export class ReferralTransitionModel {
  @Field(() => ReferralAction, { description: 'What happened.' })
  action: ReferralAction;

  @Field(() => ReferralStatus, {
    nullable: true,
    description: 'The state before; null for SEND, which created the referral.',
  })
  fromStatus: ReferralStatus | null;

  @Field(() => ReferralStatus, { description: 'The state after.' })
  toStatus: ReferralStatus;

  @Field(() => ReferralSide, { description: 'Which side acted.' })
  side: ReferralSide;

  @Field(() => OrganizationModel, {
    description: "The organization that acted; for Harbour's own steps, the sending organization it acted for.",
  })
  organization: OrganizationModel;

  @Field(() => ReferralActorKind, { description: 'A person, a partner system or Harbour.' })
  actorKind: ReferralActorKind;

  @Field(() => Role, {
    nullable: true,
    description:
      'The role the person acted in (CASEWORKER for the sending side, INTAKE for the receiving side); null for partner systems and Harbour.',
  })
  actorRole: Role | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The staff account or API client that acted, shown only to its own organization.',
  })
  actorId: string | null;

  @Field(() => ReferralReasonCode, { nullable: true, description: 'Why, for actions that take a reason.' })
  reasonCode: ReferralReasonCode | null;

  @Field(() => ReferralOutcome, { nullable: true, description: 'The outcome, for COMPLETE.' })
  outcome: ReferralOutcome | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The actor's words with the reason or outcome. The receiving side's words are shown to both sides; the sending side's only to the receiving side under the NOTES category, like its notes. Null when there are none, when they are not shared, or once the client was erased.",
  })
  text: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it happened.' })
  at: Date;
}

@ObjectType('ReferralNote', {
  description:
    'A note on a referral. Notes of the receiving side are shown to both sides; notes of the sending side are shown to the receiving side only while the referral is open, accepted and its consent active and covering NOTES (the body is null otherwise). Every read of a body is recorded in the audit log (`referral.notes.read`).',
})
export class ReferralNoteModel {
  @Field(() => ID, { description: 'Id of the note.' })
  id: string;

  @Field(() => ReferralSide, { description: 'Which side wrote it.' })
  side: ReferralSide;

  @Field(() => OrganizationModel, { description: 'The organization that wrote it.' })
  organization: OrganizationModel;

  @Field(() => ReferralActorKind, { description: 'A person or a partner system.' })
  authorKind: ReferralActorKind;

  @Field(() => Role, { nullable: true, description: 'The role the person wrote it in; null for partner systems.' })
  authorRole: Role | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The staff account or API client that wrote it, shown only to its own organization.',
  })
  authorId: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The note, in the writer's words; null when it is not shared with your organization, or once the client was erased.",
  })
  body: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was written.' })
  createdAt: Date;
}

@ObjectType('Referral', {
  description:
    "A referral of a client from one organization to another organization's service, under the client's consent (FHIR Task, as profiled by the Gravity Project's SDOH referrals). Both organizations see its status and history; what the receiving one sees of the client is decided by the consent on every read (`client`, `reason`, `notes`).",
})
export class ReferralModel {
  @Field(() => ID, { description: 'Id of the referral.' })
  id: string;

  @Field(() => ReferralSide, {
    description: "Your organization's side of this referral: SENDER (your outbox) or RECEIVER (your inbox).",
  })
  side: ReferralSide;

  @Field(() => ReferralStatus, { description: 'Its state now.' })
  status: ReferralStatus;

  @Field(() => ReferralPriority, { description: 'How soon the client needs the service.' })
  priority: ReferralPriority;

  @Field(() => ReferralOutcome, { nullable: true, description: 'How it ended, once COMPLETED.' })
  outcome: ReferralOutcome | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was sent.' })
  sentAt: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the receiving organization first opened it (its first `referral` read while SENT; listing the inbox does not count). Null until then.',
  })
  receivedAt: Date | null;

  @Field(() => GraphQLISODateTime, { description: 'When it last changed: a transition, a note, or its first opening.' })
  updatedAt: Date;

  @Field(() => Int, {
    description:
      "Its version: 1 when sent, one more with every lifecycle step (yours, the other side's or Harbour's; not with notes or its first opening). Give it back as `expectedVersion` to a step, so that the step is refused (CONFLICT) if the referral changed since you read it.",
  })
  version: number;

  @Field({
    description:
      "Whether the consent it was sent under is active now (not revoked, not expired). When false, the receiving organization sees none of the client's data.",
  })
  consentActive: boolean;

  @Field(() => [ConsentDataCategory], {
    description:
      "The categories of the client's data the receiving organization sees now, beyond the preferred name and languages (which it sees whenever this list could be non-empty and the referral is open). Empty once the referral is terminal or the consent is no longer active.",
  })
  sharedCategories: ConsentDataCategory[];

  @Field(() => ServiceOfferingModel, { description: 'The service the client is referred to.' })
  service: ServiceOfferingModel;

  @Field(() => OrganizationModel, { description: 'The organization that sent the referral and holds the client.' })
  sendingOrganization: OrganizationModel;

  @Field(() => OrganizationModel, {
    description: 'The organization the referral is addressed to (the one offering the service).',
  })
  receivingOrganization: OrganizationModel;
}

export const ReferralConnection = ConnectionType(ReferralModel, 'referral', 'Referral');

@ObjectType('ReferralPayload', {
  description:
    'The answer of `sendReferral` and of every lifecycle step (`acceptReferral` … `cancelReferral`): the referral after the change, with warnings for the writer about the reason or outcome text.',
})
export class ReferralPayload extends MutationPayload {
  @Field(() => ReferralModel, { description: 'The referral after the change.' })
  referral: ReferralModel;
}

@ObjectType('ReferralNotePayload', {
  description: 'The answer of `addReferralNote`: the note as added, with warnings for the writer about its text.',
})
export class ReferralNotePayload extends MutationPayload {
  @Field(() => ReferralNoteModel, { description: 'The new note.' })
  note: ReferralNoteModel;
}

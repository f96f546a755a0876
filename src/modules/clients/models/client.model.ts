import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@harbour/graphql-kit';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { ContactPreference } from '../client.enums';

@ObjectType('ClientContact', {
  description: 'How to reach a client, and how the client agrees to be reached (consent category CONTACT).',
})
export class ClientContactModel {
  @Field(() => String, { nullable: true, description: 'Phone number, as the client gave it.' })
  phone: string | null;

  @Field(() => String, { nullable: true, description: 'Email address.' })
  email: string | null;

  @Field(() => ContactPreference, { description: 'How the client agrees to be contacted. Respect DO_NOT_CONTACT.' })
  preference: ContactPreference;

  @Field({
    description:
      'True only when the client said a voicemail or message may be left. False by default: a message can put someone at risk.',
  })
  safeToLeaveMessage: boolean;
}

@ObjectType('Client', {
  description:
    "A person your organization works with, as your organization holds them: only what the client chose to give, and nothing about status. Only your own organization's clients are ever found here; other organizations see a client only through a referral, and only what the client's consent covers. Every read is recorded in the audit log with the client's id and a purpose.",
})
export class ClientModel {
  @Field(() => ID, { description: 'Id of the client, meaningful only within your organization.' })
  id: string;

  @Field({
    description:
      'The name the client wants to be called by. The only required field. "Erased client" once the client\'s data was erased (see `erased`).',
  })
  preferredName: string;

  @Field(() => String, {
    nullable: true,
    description: 'Legal name, when the client chose to give it (consent category DEMOGRAPHICS).',
  })
  legalName: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Year of birth, when the client chose to give it (consent category DEMOGRAPHICS). Harbour never holds a date of birth.',
  })
  birthYear: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The client's pronouns, in their words (consent category DEMOGRAPHICS).",
  })
  pronouns: string | null;

  @Field(() => [String], {
    description: 'Languages the client speaks, preferred first, as BCP 47 tags (`en`, `fr-CA`, `zh-Hant`).',
  })
  languages: string[];

  @Field(() => ClientContactModel, { description: 'How to reach the client (consent category CONTACT).' })
  contact: ClientContactModel;

  @Field(() => String, {
    nullable: true,
    description:
      "Number of the client's municipal ID card, an alternative to identity documents (consent category MUNICIPAL_ID).",
  })
  municipalIdNumber: string | null;

  @Field(() => String, {
    nullable: true,
    description: "What the client needs, in the client's own words (consent category NEEDS). Never searched.",
  })
  needs: string | null;

  @Field({
    description:
      'True once the client\'s personal data was erased (`eraseClient`, or the retention schedule): `preferredName` is then the fixed placeholder "Erased client", every other field is null or empty, and the record can no longer change.',
  })
  erased: boolean;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "When the client's personal data was erased; null while it is held.",
  })
  erasedAt: Date | null;

  @Field(() => GraphQLISODateTime, { description: 'When your organization registered the client.' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { description: "When the client's record last changed." })
  updatedAt: Date;
}

export const ClientConnection = ConnectionType(ClientModel, 'client', 'Client');

@ObjectType('ClientPayload', {
  description:
    'The answer of `registerClient`, `updateClient` and `eraseClient`: the client as registered, updated or erased, with warnings for the writer about what was written.',
})
export class ClientPayload extends MutationPayload {
  @Field(() => ClientModel, { description: 'The client after the change.' })
  client: ClientModel;
}

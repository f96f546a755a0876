import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@harbour/graphql-kit';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { OrganizationModel } from '../../organizations';
import {
  ConsentDataCategory,
  ConsentMethod,
  ConsentPurpose,
  ConsentRevocationReason,
  ConsentStatus,
} from '../consent.enums';

@ObjectType('Consent', {
  description:
    "A client's consent to share some of their data with named organizations for a purpose, until it expires or is revoked (after FHIR Consent). Deny by default: only the listed categories are shared, plus the preferred name and languages. A refusal is a consent that names no organization. Visible only to the organization that holds the client; its terms never change once recorded.",
})
export class ConsentModel {
  @Field(() => ID, { description: 'Id of the consent.' })
  id: string;

  @Field(() => ID, { description: 'The client who gave (or refused) it.' })
  clientId: string;

  @Field(() => OrganizationModel, { description: 'The organization that holds the client and recorded the consent.' })
  organization: OrganizationModel;

  @Field(() => [OrganizationModel], {
    description: 'The organizations the client agreed to share with, by name. Empty for a refusal.',
  })
  recipientOrganizations: OrganizationModel[];

  @Field({
    description: 'True when the client refused: the consent names no organization, and nothing can be sent under it.',
  })
  refusal: boolean;

  @Field(() => ConsentPurpose, { description: 'What the named organizations may use the data for.' })
  purpose: ConsentPurpose;

  @Field(() => [ConsentDataCategory], {
    description:
      'The categories of data shared with the named organizations, beyond the preferred name and languages. Empty: nothing more.',
  })
  dataCategories: ConsentDataCategory[];

  @Field(() => ConsentMethod, { description: 'How the client gave it.' })
  method: ConsentMethod;

  @Field({ description: 'The language it was explained and given in, as a BCP 47 tag.' })
  language: string;

  @Field({ description: 'Version of the privacy notice the client was given.' })
  noticeVersion: string;

  @Field(() => ID, { description: 'The staff account or API client that recorded it.' })
  recordedBy: string;

  @Field(() => GraphQLISODateTime, { description: 'When the client gave it.' })
  givenAt: Date;

  @Field(() => GraphQLISODateTime, {
    description:
      'When it stops being active (exclusive). Every consent expires, at most the network maximum after it was given.',
  })
  expiresAt: Date;

  @Field(() => ConsentStatus, {
    description: 'Whether it is in force right now: computed on every read, so an expired consent is never ACTIVE.',
  })
  status: ConsentStatus;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was revoked; null while it is not.' })
  revokedAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The staff account or API client that revoked it.' })
  revokedBy: string | null;

  @Field(() => ConsentRevocationReason, { nullable: true, description: 'Why it was revoked.' })
  revocationReason: ConsentRevocationReason | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the person who revoked it wrote about why; null once the client was erased.',
  })
  revocationNote: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was recorded in Harbour.' })
  createdAt: Date;
}

export const ConsentConnection = ConnectionType(ConsentModel, 'consent', 'Consent');

@ObjectType('ConsentPayload', {
  description:
    'The answer of `recordConsent`: the consent as recorded, with `warnings` (empty: its input holds no free text about the client).',
})
export class ConsentPayload extends MutationPayload {
  @Field(() => ConsentModel, { description: 'The consent as recorded.' })
  consent: ConsentModel;
}

@ObjectType('RevokeConsentPayload', {
  description: 'The answer of `revokeConsent`: the revoked consent, with warnings for the writer about the note.',
})
export class RevokeConsentPayload extends MutationPayload {
  @Field(() => ConsentModel, { description: 'The consent, now REVOKED.' })
  consent: ConsentModel;
}

import { Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { ConsentDataCategory, ConsentMethod, ConsentPurpose } from '../consent.enums';
import { LANGUAGE_TAG } from '../../../common/text';
import { IdempotencyKeyField } from '../../../idempotency/idempotency-key';

export const MAX_RECIPIENTS = 50;
export const NOTICE_VERSION_MAX_LENGTH = 50;

@InputType({
  description:
    "A client's consent, or refusal, as the client gave it. Name the organizations that may receive data (none, for a refusal), the purpose, and the data categories; an expiry is required, at most the network maximum (`CONSENT_MAX_DAYS`, 365 days by default) after `givenAt`.",
})
export class RecordConsentInput {
  @Field(() => ID, {
    description: "One of your organization's clients. Another organization's client gives NOT_FOUND.",
  })
  @IsUUID('all')
  clientId: string;

  @Field(() => [ID], {
    description: `The organizations the client agrees to share with (up to ${MAX_RECIPIENTS}): existing, active organizations other than yours (NOT_FOUND otherwise). An empty list records a refusal.`,
  })
  @IsArray()
  @ArrayMaxSize(MAX_RECIPIENTS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  recipientOrganizationIds: string[];

  @Field(() => ConsentPurpose, { description: 'What the data may be used for.' })
  @IsEnum(ConsentPurpose)
  purpose: ConsentPurpose;

  @Field(() => [ConsentDataCategory], {
    nullable: true,
    description:
      'The categories of data to share beyond the preferred name and languages. Default: none (deny by default). Must be empty for a refusal.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(ConsentDataCategory, { each: true })
  dataCategories?: ConsentDataCategory[] | null;

  @Field(() => ConsentMethod, { description: 'How the client gave it.' })
  @IsEnum(ConsentMethod)
  method: ConsentMethod;

  @Field({ description: 'The language it was explained and given in: a BCP 47 tag such as `en`, `fr-CA`.' })
  @IsString()
  @Matches(LANGUAGE_TAG, { message: '$property must be a BCP 47 language tag such as en, fr-CA or zh-Hant' })
  language: string;

  @Field({
    description: `Version of the privacy notice the client was given (1 to ${NOTICE_VERSION_MAX_LENGTH} characters), e.g. \`2026-01\`.`,
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTICE_VERSION_MAX_LENGTH)
  noticeVersion: string;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the client gave it (default: now). Not in the future.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  givenAt?: Date | null;

  @Field(() => GraphQLISODateTime, {
    description: 'When it expires: in the future, after `givenAt`, and at most the network maximum after it.',
  })
  @Type(() => Date)
  @IsDate()
  expiresAt: Date;

  @IdempotencyKeyField('the consent', 'a consent revoked since shows REVOKED')
  idempotencyKey?: string | null;
}

import { trim } from '@harbour/graphql-kit';
import { Field, InputType, Int } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  MIN_BIRTH_YEAR,
  MUNICIPAL_ID_MAX_LENGTH,
  MUNICIPAL_ID_PATTERN,
  NAME_MAX_LENGTH,
  NEEDS_MAX_LENGTH,
  PRONOUNS_MAX_LENGTH,
} from '../client-fields';
import { ClientContactInput } from './client-contact.input';
import { LANGUAGE_TAG, LANGUAGE_TAG_MESSAGE, MAX_LANGUAGES } from '../../../common/text';
import { IdempotencyKeyField } from '../../../idempotency/idempotency-key';

export const MUNICIPAL_ID_MESSAGE = '$property must be letters, digits, spaces and dashes, as printed on the card';

@InputType({
  description:
    'A new client of the acting organization. Only `preferredName` is required: ask for nothing more than the client wants to give, and never for status or identity documents.',
})
export class RegisterClientInput {
  @Field({ description: `The name the client wants to be called by (1 to ${NAME_MAX_LENGTH} characters).` })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  preferredName: string;

  @Field(() => String, {
    nullable: true,
    description: `Legal name, only if the client chooses to give it (up to ${NAME_MAX_LENGTH} characters).`,
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  legalName?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Year of birth, only if the client chooses to give it: ${MIN_BIRTH_YEAR} to the current year.`,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_BIRTH_YEAR)
  birthYear?: number | null;

  @Field(() => String, {
    nullable: true,
    description: `The client's pronouns, in their words (up to ${PRONOUNS_MAX_LENGTH} characters).`,
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(PRONOUNS_MAX_LENGTH)
  pronouns?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Languages the client speaks, preferred first: up to ${MAX_LANGUAGES} BCP 47 tags such as \`en\`, \`fr-CA\` (default: none).`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LANGUAGES)
  @ArrayUnique()
  @Matches(LANGUAGE_TAG, { each: true, message: LANGUAGE_TAG_MESSAGE })
  languages?: string[] | null;

  @Field(() => ClientContactInput, {
    nullable: true,
    description: 'How to reach the client (default: no phone or email, preference ANY, no messages).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClientContactInput)
  contact?: ClientContactInput | null;

  @Field(() => String, {
    nullable: true,
    description: `Number of the client's municipal ID card (up to ${MUNICIPAL_ID_MAX_LENGTH} characters).`,
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(MUNICIPAL_ID_MAX_LENGTH)
  @Matches(MUNICIPAL_ID_PATTERN, { message: MUNICIPAL_ID_MESSAGE })
  municipalIdNumber?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `What the client needs, in the client's own words (up to ${NEEDS_MAX_LENGTH} characters). Saved as written; the payload warns when it seems to mention status information.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(NEEDS_MAX_LENGTH)
  needs?: string | null;

  @IdempotencyKeyField('the client', 'an update made since shows')
  idempotencyKey?: string | null;
}

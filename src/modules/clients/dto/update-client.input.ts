import { Field, InputType, Int } from '@nestjs/graphql';
import { NotNullWhenPresent, trim } from '@harbour/graphql-kit';
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
import { UpdateClientContactInput } from './client-contact.input';
import { LANGUAGE_TAG, LANGUAGE_TAG_MESSAGE, MAX_LANGUAGES } from '../../../common/text';
import { MUNICIPAL_ID_MESSAGE } from './register-client.input';

@InputType({
  description:
    "Changes to a client's record. An omitted field keeps its value; `null` clears a field that may be empty (and is refused for `preferredName`, `languages` and `contact`).",
})
export class UpdateClientInput {
  @Field(() => String, {
    nullable: true,
    description: `The name the client wants to be called by (1 to ${NAME_MAX_LENGTH} characters).`,
  })
  @Transform(trim)
  @NotNullWhenPresent()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  preferredName?: string;

  @Field(() => String, { nullable: true, description: 'Legal name; null clears it.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(NAME_MAX_LENGTH)
  legalName?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Year of birth (${MIN_BIRTH_YEAR} to the current year); null clears it.`,
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_BIRTH_YEAR)
  birthYear?: number | null;

  @Field(() => String, { nullable: true, description: 'Pronouns; null clears them.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(PRONOUNS_MAX_LENGTH)
  pronouns?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Languages as BCP 47 tags (up to ${MAX_LANGUAGES}), preferred first; replaces the list, an empty list clears it.`,
  })
  @NotNullWhenPresent()
  @IsArray()
  @ArrayMaxSize(MAX_LANGUAGES)
  @ArrayUnique()
  @Matches(LANGUAGE_TAG, { each: true, message: LANGUAGE_TAG_MESSAGE })
  languages?: string[];

  @Field(() => UpdateClientContactInput, { nullable: true, description: 'Changes to how to reach the client.' })
  @NotNullWhenPresent()
  @ValidateNested()
  @Type(() => UpdateClientContactInput)
  contact?: UpdateClientContactInput;

  @Field(() => String, { nullable: true, description: 'Municipal ID card number; null clears it.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(MUNICIPAL_ID_MAX_LENGTH)
  @Matches(MUNICIPAL_ID_PATTERN, { message: MUNICIPAL_ID_MESSAGE })
  municipalIdNumber?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `What the client needs, in their own words (up to ${NEEDS_MAX_LENGTH} characters); null clears it.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(NEEDS_MAX_LENGTH)
  needs?: string | null;
}

import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { ConsentRevocationReason } from '../consent.enums';

export const REVOCATION_NOTE_MAX_LENGTH = 1000;

@InputType({ description: 'Why a consent is revoked.' })
export class ConsentRevocationInput {
  @Field(() => ConsentRevocationReason, { description: 'The reason, as a code.' })
  @IsEnum(ConsentRevocationReason)
  code: ConsentRevocationReason;

  @Field(() => String, {
    nullable: true,
    description: `More about why (up to ${REVOCATION_NOTE_MAX_LENGTH} characters); required with OTHER. The payload warns when it seems to mention status information.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(REVOCATION_NOTE_MAX_LENGTH)
  note?: string | null;
}

import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { trim } from '@harbour/graphql-kit';
import { IdempotencyKeyField } from '../../../idempotency/idempotency-key';

export const NOTE_MAX_LENGTH = 4000;

@InputType({ description: "A note on a referral, in the writer's words." })
export class AddReferralNoteInput {
  @Field(() => ID, { description: 'The referral, sent or received by your organization (NOT_FOUND otherwise).' })
  @IsUUID('all')
  referralId: string;

  @Field({
    description: `The note (1 to ${NOTE_MAX_LENGTH} characters). The payload warns when it seems to mention status information.`,
  })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(NOTE_MAX_LENGTH)
  body: string;

  @IdempotencyKeyField('the note', "its text shown as the referral's consent allows now")
  idempotencyKey?: string | null;
}

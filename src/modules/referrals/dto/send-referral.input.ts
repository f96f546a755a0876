import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ReferralPriority } from '../referral.enums';
import { trim } from '@harbour/graphql-kit';

export const REASON_MAX_LENGTH = 4000;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

@InputType({
  description:
    "A referral of one of your organization's clients to another organization's service, under a consent of the client that is active and names that organization. Nothing about status is asked or needed.",
})
export class SendReferralInput {
  @Field(() => ID, {
    description: "One of your organization's clients. Another organization's client gives NOT_FOUND.",
  })
  @IsUUID('all')
  clientId: string;

  @Field(() => ID, { description: 'The service to refer to: ACTIVE and accepting referrals, of another organization.' })
  @IsUUID('all')
  serviceId: string;

  @Field(() => ID, {
    description:
      "The client's consent the referral is sent under: active, naming the service's organization. It decides what that organization sees of the client for the referral's whole life; revoking it cancels the referral.",
  })
  @IsUUID('all')
  consentId: string;

  @Field(() => ReferralPriority, {
    defaultValue: ReferralPriority.ROUTINE,
    description: 'How soon the client needs the service (default ROUTINE).',
  })
  @IsEnum(ReferralPriority)
  priority: ReferralPriority = ReferralPriority.ROUTINE;

  @Field({
    description: `Why the client is referred, in the client's own words (1 to ${REASON_MAX_LENGTH} characters; consent category NEEDS). The payload warns, and still sends, when it seems to mention status information.`,
  })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(REASON_MAX_LENGTH)
  reason: string;

  @Field(() => ID, {
    nullable: true,
    description: 'An earlier referral your organization sent for the same client, which this one reopens or re-routes.',
  })
  @IsOptional()
  @IsUUID('all')
  basedOnId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Makes retries safe (1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters: letters, digits, \`.\`, \`_\`, \`:\`, \`-\`), per organization: sending again with the same key and the same input returns the referral sent the first time; the same key with different input gives CONFLICT.`,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: '$property may hold letters, digits, ".", "_", ":" and "-" only' })
  @MaxLength(IDEMPOTENCY_KEY_MAX_LENGTH)
  idempotencyKey?: string | null;
}

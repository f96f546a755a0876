import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ReferralPriority } from '../referral.enums';
import { trim } from '@harbour/graphql-kit';
import { IdempotencyKeyField } from '../../../idempotency/idempotency-key';

export const REASON_MAX_LENGTH = 4000;

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

  @IdempotencyKeyField('the referral', 'a step taken since shows in its status')
  idempotencyKey?: string | null;
}

import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { ReferralOutcome, ReferralReasonCode } from '../referral.enums';
import { trim } from '@harbour/graphql-kit';

export const REASON_TEXT_MAX_LENGTH = 1000;

@InputType({
  description:
    'Why a referral is declined, cancelled, put on hold or closed unmet. Each action accepts its own codes; the error lists them.',
})
export class ReferralReasonInput {
  @Field(() => ReferralReasonCode, {
    description: 'The reason, as a code. CONSENT_WITHDRAWN and CONSENT_EXPIRED are set by Harbour only.',
  })
  @IsEnum(ReferralReasonCode)
  code: ReferralReasonCode;

  @Field(() => String, {
    nullable: true,
    description: `More about why (up to ${REASON_TEXT_MAX_LENGTH} characters); required with OTHER. The payload warns when it seems to mention status information.`,
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(REASON_TEXT_MAX_LENGTH)
  text?: string | null;
}

@InputType({ description: 'How a referral ended, when it is completed.' })
export class ReferralOutcomeInput {
  @Field(() => ReferralOutcome, { description: 'The outcome, as a code.' })
  @IsEnum(ReferralOutcome)
  code: ReferralOutcome;

  @Field(() => String, {
    nullable: true,
    description: `More about the outcome (up to ${REASON_TEXT_MAX_LENGTH} characters).`,
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(REASON_TEXT_MAX_LENGTH)
  text?: string | null;
}

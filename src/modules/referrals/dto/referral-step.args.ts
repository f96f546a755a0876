import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Min, ValidateNested } from 'class-validator';
import { IdempotencyKeyField } from '../../../idempotency/idempotency-key';
import { ReferralOutcomeInput, ReferralReasonInput } from './referral-reason.input';

export const REFERRAL_ID_DESCRIPTION =
  'Id of the referral. A referral your organization neither sent nor received gives NOT_FOUND, like an unknown id.';

/** The arguments of a lifecycle step that needs nothing more (accept, start, resume). */
@ArgsType()
export class ReferralStepArgs {
  @Field(() => ID, { description: REFERRAL_ID_DESCRIPTION })
  @IsUUID('all')
  id: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "The referral's `version` as you last read it. If the referral changed since (another step was taken, Harbour's included), the step is refused with CONFLICT — the referral changed since you read it — before its state is looked at, and nothing changes: read it again and decide anew. Omitted: the step is taken from whatever state the referral is in, if the lifecycle allows it. Not part of what an `idempotencyKey` stands for: a retry with the same key answers again whatever version it names.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number | null;

  @IdempotencyKeyField('the referral', 'a later step shows in its status')
  idempotencyKey?: string | null;
}

/** The arguments of a step that takes a reason (decline, hold, close unmet, cancel). */
@ArgsType()
export class ReferralReasonStepArgs extends ReferralStepArgs {
  @Field(() => ReferralReasonInput, {
    description: 'Why, as a code from those the action accepts, with optional text (required with OTHER).',
  })
  @ValidateNested()
  @Type(() => ReferralReasonInput)
  reason: ReferralReasonInput;
}

/** The arguments of completing a referral. */
@ArgsType()
export class ReferralOutcomeStepArgs extends ReferralStepArgs {
  @Field(() => ReferralOutcomeInput, { description: 'How it ended.' })
  @ValidateNested()
  @Type(() => ReferralOutcomeInput)
  outcome: ReferralOutcomeInput;
}

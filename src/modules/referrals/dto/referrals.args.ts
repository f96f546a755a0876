import { ConnectionArgs } from '@harbour/graphql-kit';
import { ArgsType, Field, GraphQLISODateTime, ID } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsDate, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ReferralBox, ReferralPriority, ReferralStatus } from '../referral.enums';

@ArgsType()
export class ReferralsArgs extends ConnectionArgs {
  @Field(() => ReferralBox, {
    description: 'INBOX: referrals addressed to your organization (INTAKE); OUTBOX: referrals it sent (CASEWORKER).',
  })
  @IsEnum(ReferralBox)
  box: ReferralBox;

  @Field(() => [ReferralStatus], { nullable: true, description: 'Only referrals in one of these states.' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(Object.keys(ReferralStatus).length)
  @IsEnum(ReferralStatus, { each: true })
  status?: ReferralStatus[] | null;

  @Field(() => ReferralPriority, { nullable: true, description: 'Only referrals of this priority.' })
  @IsOptional()
  @IsEnum(ReferralPriority)
  priority?: ReferralPriority | null;

  @Field(() => ID, { nullable: true, description: 'Only referrals to this service.' })
  @IsOptional()
  @IsUUID('all')
  serviceId?: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'Only referrals that changed at or after this time (`updatedAt`, inclusive: the referral at the boundary comes again). To catch up on changes without gaps or repeats, follow `referralChanges` instead.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  updatedSince?: Date | null;
}

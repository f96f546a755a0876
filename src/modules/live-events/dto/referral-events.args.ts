import { ArgsType, Field } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayUnique, IsEnum, IsOptional } from 'class-validator';
import { WebhookEventType } from '../../webhooks';

@ArgsType()
export class ReferralEventsArgs {
  @Field(() => [WebhookEventType], {
    nullable: true,
    description: 'Only events of these types; omitted, null or empty: every type.',
  })
  @IsOptional()
  @IsEnum(WebhookEventType, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(Object.values(WebhookEventType).length)
  types?: WebhookEventType[] | null;
}

import { ArgsType, Field } from '@nestjs/graphql';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEnum, IsOptional } from 'class-validator';
import { WebhookEventType } from '../../webhooks';

@ArgsType()
export class ReferralChangesArgs extends ConnectionArgs {
  @Field(() => [WebhookEventType], {
    nullable: true,
    description:
      'Only changes of these types (all when absent). A cursor marks a place in the whole feed, so a filter may change between pages: what follows is what the new filter shows after that place.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(Object.keys(WebhookEventType).length)
  @IsEnum(WebhookEventType, { each: true })
  types?: WebhookEventType[] | null;
}

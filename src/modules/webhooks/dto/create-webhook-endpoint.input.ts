import { Field, InputType } from '@nestjs/graphql';
import { trim } from '@harbour/graphql-kit';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { WebhookEventType } from '../webhook.enums';
import { WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_EVENT_TYPE_COUNT } from '../webhook-rules';

@InputType({ description: 'Where your partner system receives webhooks, and which events it wants.' })
export class CreateWebhookEndpointInput {
  @Field({
    description:
      'The receiving URL: absolute `https:`, at most 2,048 characters, no user name or password, no fragment; any port. Its host must not be a private, local or reserved address (checked again at every delivery). Outside production `http:` is accepted for `localhost` and loopback addresses, for development.',
  })
  @IsString()
  url: string;

  @Field(() => String, {
    nullable: true,
    description: `What the endpoint is for, shown to your administrators (at most ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters). Never a client's data.`,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(WEBHOOK_DESCRIPTION_MAX_LENGTH)
  description?: string | null;

  @Field(() => [WebhookEventType], {
    defaultValue: [],
    description: 'The events to deliver; an empty list (the default) means every event, including types added later.',
  })
  @IsEnum(WebhookEventType, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPE_COUNT)
  eventTypes: WebhookEventType[] = [];
}

import { Field, InputType } from '@nestjs/graphql';
import { NotNullWhenPresent, trim } from '@harbour/graphql-kit';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsBoolean, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { WebhookEventType } from '../webhook.enums';
import { WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_EVENT_TYPE_COUNT } from '../webhook-rules';

@InputType({
  description:
    'Changes to a webhook endpoint. An omitted field keeps its value; `null` clears `description` and is refused for the others.',
})
export class UpdateWebhookEndpointInput {
  @Field(() => String, {
    nullable: true,
    description: 'A new receiving URL, under the rules of `CreateWebhookEndpointInput.url`.',
  })
  @NotNullWhenPresent()
  @IsString()
  url?: string;

  @Field(() => String, {
    nullable: true,
    description: `What the endpoint is for (at most ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters); null clears it.`,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(WEBHOOK_DESCRIPTION_MAX_LENGTH)
  description?: string | null;

  @Field(() => [WebhookEventType], {
    nullable: true,
    description: 'The events to deliver from now on; an empty list means every event.',
  })
  @NotNullWhenPresent()
  @IsEnum(WebhookEventType, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPE_COUNT)
  eventTypes?: WebhookEventType[];

  @Field(() => Boolean, {
    nullable: true,
    description:
      'False turns the endpoint off (`disabledReason: ADMIN`); its pending deliveries wait. True turns it back on whatever turned it off, clears `disabledReason` and `failingSince`, and its pending deliveries go out.',
  })
  @NotNullWhenPresent()
  @IsBoolean()
  enabled?: boolean;
}

import { Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsString } from 'class-validator';
import { WEBHOOK_REPLAY_MAX_DAYS } from '../webhook-rules';

@InputType({
  description: `The FAILED deliveries of one endpoint created within a time range (at most ${WEBHOOK_REPLAY_MAX_DAYS} days), to send again.`,
})
export class ReplayWebhookDeliveriesInput {
  @Field(() => ID, { description: 'The endpoint.' })
  @IsString()
  endpointId: string;

  @Field({ description: 'Deliveries created at or after this instant.' })
  @IsDate()
  from: Date;

  @Field({ description: 'Deliveries created before this instant; after `from`.' })
  @IsDate()
  to: Date;
}

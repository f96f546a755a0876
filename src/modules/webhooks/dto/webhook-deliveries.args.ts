import { ArgsType, Field, ID } from '@nestjs/graphql';
import { ConnectionArgs } from '@harbour/graphql-kit';
import { IsEnum, IsOptional, IsString } from 'class-validator';
import { WebhookDeliveryStatus } from '../webhook.enums';

@ArgsType()
export class WebhookDeliveriesArgs extends ConnectionArgs {
  @Field(() => ID, { description: 'The endpoint whose deliveries to list.' })
  @IsString()
  endpointId: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'Only the deliveries in this status.' })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus | null;
}

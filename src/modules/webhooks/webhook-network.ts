import { Inject, Injectable } from '@nestjs/common';
import { BadUserInputError } from '@harbour/graphql-kit';
import {
  AddressPolicy,
  type DeliveryOutcome,
  WebhookSender,
  type WebhookMessage,
  checkWebhookUrl,
} from '@harbour/webhooks';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/**
 * Harbour's side of the network for webhooks, configured once: the URL policy an endpoint is saved
 * under, and the sender that delivers (address policy with WEBHOOK_ALLOWED_NETWORKS, https only in
 * production, 15 seconds per attempt, no redirects, the connection pinned to the checked address).
 */
@Injectable()
export class WebhookNetwork {
  private readonly production: boolean;
  private readonly addressPolicy: AddressPolicy;
  private readonly sender: WebhookSender;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.production = config.env === 'production';
    this.addressPolicy = new AddressPolicy(config.webhooks.allowedNetworks);
    this.sender = new WebhookSender({ addressPolicy: this.addressPolicy, production: this.production });
  }

  /** The URL as given when the policy accepts it; otherwise BAD_USER_INPUT naming `field`, never repeating the URL. */
  requireUrl(text: string, field: string): string {
    const checked = checkWebhookUrl(text, { production: this.production, addressPolicy: this.addressPolicy, field });
    if (!checked.ok) {
      throw new BadUserInputError(checked.message, [{ field, message: checked.message.slice(field.length).trim() }]);
    }
    return text;
  }

  /** One attempt; never rejects for anything the network or the receiver does. */
  send(message: WebhookMessage): Promise<DeliveryOutcome> {
    return this.sender.send(message);
  }
}

import { Injectable } from '@nestjs/common';
import { SecretBox, generateWebhookSecret } from '@harbour/webhooks';

/** The secret box's context for an endpoint's secrets: a sealed secret copied to another row does not open. */
function contextOf(endpointId: string): string {
  return `webhook_endpoint:${endpointId}`;
}

/**
 * Endpoint secrets: made here, shown once to whoever created or rotated them, and kept only sealed
 * (AES-256-GCM under WEBHOOK_SECRET_KEY, bound to the endpoint's id). Opened only to sign.
 */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly box: SecretBox) {}

  /** A new secret for the endpoint: the plain one to show once, and the sealed one to store. */
  issue(endpointId: string): { secret: string; sealed: string } {
    const secret = generateWebhookSecret();
    return { secret, sealed: this.box.seal(secret, contextOf(endpointId)) };
  }

  /** The plain secrets, to sign a delivery with; a secret that does not open throws (SecretBoxError). */
  open(endpointId: string, sealed: readonly string[]): string[] {
    return sealed.map((value) => this.box.open(value, contextOf(endpointId)));
  }
}

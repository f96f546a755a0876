import { registerEnumType } from '@nestjs/graphql';

/**
 * The partner events an endpoint can subscribe to: GraphQL names (`REFERRAL_SENT`) for the dotted
 * types of the outbox and of every webhook body (`referral.sent`), as the database stores them.
 */
export enum WebhookEventType {
  REFERRAL_SENT = 'referral.sent',
  REFERRAL_RECEIVED = 'referral.received',
  REFERRAL_ACCEPTED = 'referral.accepted',
  REFERRAL_DECLINED = 'referral.declined',
  REFERRAL_STARTED = 'referral.started',
  REFERRAL_HELD = 'referral.held',
  REFERRAL_RESUMED = 'referral.resumed',
  REFERRAL_COMPLETED = 'referral.completed',
  REFERRAL_CLOSED_UNMET = 'referral.closed_unmet',
  REFERRAL_CANCELLED = 'referral.cancelled',
  REFERRAL_NOTE_ADDED = 'referral.note_added',
  CONSENT_REVOKED = 'consent.revoked',
}

/** The type of the message `sendTestWebhook` sends; no endpoint subscribes to it, every endpoint can be sent one. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** Why an endpoint no longer receives deliveries. */
export enum WebhookDisabledReason {
  /** Its receiver answered 410 Gone. */
  GONE = 'GONE',
  /** No delivery succeeded for five days. */
  FAILING = 'FAILING',
  /** An administrator or partner system turned it off. */
  ADMIN = 'ADMIN',
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/**
 * Why one attempt failed, as the sender classes it (`DeliveryErrorClass` of @harbour/webhooks,
 * checked in webhook-attempt-rules.ts): never a message, never anything the receiver sent.
 */
export enum WebhookAttemptError {
  URL_REFUSED = 'URL_REFUSED',
  ADDRESS_REFUSED = 'ADDRESS_REFUSED',
  DNS = 'DNS',
  TIMEOUT = 'TIMEOUT',
  CONNECTION = 'CONNECTION',
  TLS = 'TLS',
  PROTOCOL = 'PROTOCOL',
  HTTP_3XX = 'HTTP_3XX',
  HTTP_4XX = 'HTTP_4XX',
  HTTP_410 = 'HTTP_410',
  HTTP_5XX = 'HTTP_5XX',
}

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description:
    'A kind of partner event. Each webhook body carries it in its dotted form as `type` (`REFERRAL_SENT` is `referral.sent`). Bodies hold ids only: fetch what you may see through the API.',
  valuesMap: {
    REFERRAL_SENT: { description: '`referral.sent`: your organization sent a referral, or one was sent to it.' },
    REFERRAL_RECEIVED: {
      description: '`referral.received`: the receiving organization opened a SENT referral for the first time.',
    },
    REFERRAL_ACCEPTED: { description: '`referral.accepted`: the receiver accepted the referral.' },
    REFERRAL_DECLINED: { description: '`referral.declined`: the receiver declined the referral.' },
    REFERRAL_STARTED: { description: '`referral.started`: the receiver started working with the client.' },
    REFERRAL_HELD: { description: '`referral.held`: the receiver put the referral on hold.' },
    REFERRAL_RESUMED: { description: '`referral.resumed`: the receiver resumed a referral on hold.' },
    REFERRAL_COMPLETED: { description: '`referral.completed`: the receiver completed the referral.' },
    REFERRAL_CLOSED_UNMET: { description: '`referral.closed_unmet`: the receiver closed the referral unmet.' },
    REFERRAL_CANCELLED: {
      description:
        '`referral.cancelled`: the sender cancelled the referral, or Harbour did (consent withdrawn or expired).',
    },
    REFERRAL_NOTE_ADDED: { description: '`referral.note_added`: either side added a note (the body has its id).' },
    CONSENT_REVOKED: {
      description:
        '`consent.revoked`: a consent was revoked. Sent to its holder and to every organization that received a referral under it.',
    },
  },
});

registerEnumType(WebhookDisabledReason, {
  name: 'WebhookDisabledReason',
  description: 'Why an endpoint receives no deliveries. Enabling it again (`updateWebhookEndpoint`) clears it.',
  valuesMap: {
    GONE: { description: 'Its receiver answered HTTP 410 Gone: Harbour stopped at once.' },
    FAILING: { description: 'No delivery to it succeeded for five days: Harbour stopped trying.' },
    ADMIN: { description: 'Your organization turned it off.' },
  },
});

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesMap: {
    PENDING: {
      description:
        'Not delivered yet: its next attempt is due at `nextAttemptAt` (held while its endpoint is disabled).',
    },
    SUCCEEDED: { description: 'The receiver answered 2xx.' },
    FAILED: {
      description:
        'Harbour gave up: every attempt of the retry schedule failed, or the receiver answered 410. `redeliverWebhook` tries again.',
    },
  },
});

registerEnumType(WebhookAttemptError, {
  name: 'WebhookAttemptError',
  description:
    "Why an attempt failed. Harbour never keeps the receiver's answer beyond its HTTP status, nor any header value.",
  valuesMap: {
    URL_REFUSED: { description: "The endpoint's URL is no longer acceptable (checked again at every attempt)." },
    ADDRESS_REFUSED: {
      description:
        'The host is, or resolved to, a private, local or reserved address: nothing was connected to (protection against server-side request forgery).',
    },
    DNS: { description: 'The host name did not resolve.' },
    TIMEOUT: { description: 'No complete answer within 15 seconds.' },
    CONNECTION: { description: 'The connection was refused, reset or unreachable.' },
    TLS: { description: 'The TLS handshake or the certificate check failed.' },
    PROTOCOL: { description: 'The answer was not valid HTTP.' },
    HTTP_3XX: { description: 'A redirect: Harbour does not follow redirects. Point the endpoint at the final URL.' },
    HTTP_4XX: { description: 'The receiver answered 4xx (other than 410).' },
    HTTP_410: { description: 'The receiver answered 410 Gone: the endpoint was disabled.' },
    HTTP_5XX: { description: 'The receiver answered 5xx.' },
  },
});

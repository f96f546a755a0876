import { AuditAnonymousBudget, AuditChainHead, AuditEvent } from '@harbour/audit';
import { OutboxEvent, OutboxRelayPosition } from '@harbour/outbox';
import { LoginThrottle } from '../auth/login-throttle.entity';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity';
import { Client } from '../modules/clients/client.entity';
import { Consent } from '../modules/consent/consent.entity';
import { Location } from '../modules/directory/location.entity';
import { ServiceOffering } from '../modules/directory/service-offering.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { Referral, ReferralNote, ReferralTransition } from '../modules/referrals/referral.entity';
import { ApiClient } from '../modules/staff/api-client.entity';
import { Invitation } from '../modules/staff/invitation.entity';
import { Membership } from '../modules/staff/membership.entity';
import { StaffAccount } from '../modules/staff/staff-account.entity';
import { TrainingAcknowledgement } from '../modules/training/training-acknowledgement.entity';
import { TrainingModule } from '../modules/training/training-module.entity';
import { WebhookDelivery, WebhookDeliveryAttempt } from '../modules/webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../modules/webhooks/webhook-endpoint.entity';

/** Every entity, listed as classes (no globs: they break in the compiled app; docs/architecture.md, Stack). */
export const ENTITIES = [
  Organization,
  ServiceOffering,
  Location,
  StaffAccount,
  Membership,
  Invitation,
  ApiClient,
  LoginThrottle,
  AuditEvent,
  AuditChainHead,
  AuditAnonymousBudget,
  Client,
  Consent,
  OutboxEvent,
  OutboxRelayPosition,
  Referral,
  ReferralTransition,
  ReferralNote,
  IdempotencyRecord,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  TrainingModule,
  TrainingAcknowledgement,
];

import { Permission, permissionsForRoles, permissionsForScopes, ApiScope, Role, type Actor } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import {
  type LiveEvent,
  NOTIFY_PAYLOAD_MAX_BYTES,
  notifyPayloads,
  parseLiveEvents,
} from '../../src/modules/live-events/live-event';
import { isToldOf } from '../../src/modules/partner-events';

const SENDER = randomUUID();
const RECEIVER = randomUUID();

function referralEvent(overrides: Partial<LiveEvent> = {}): LiveEvent {
  return {
    id: randomUUID(),
    type: 'referral.sent',
    occurredAt: new Date().toISOString(),
    organizationIds: [SENDER, RECEIVER],
    data: {
      referralId: randomUUID(),
      status: 'SENT',
      previousStatus: null,
      version: 1,
      serviceId: randomUUID(),
      sendingOrganizationId: SENDER,
      receivingOrganizationId: RECEIVER,
      actingOrganizationId: SENDER,
    },
    ...overrides,
  };
}

function actor(organizationId: string, permissions: ReadonlySet<Permission>): Actor {
  return {
    kind: 'STAFF',
    id: randomUUID(),
    organizationId,
    roles: [],
    scopes: [],
    permissions,
    pendingTraining: [],
    request: { id: randomUUID(), sourceAddress: '127.0.0.1' },
  };
}

describe(notifyPayloads.name, () => {
  it('packs a batch into payloads under the NOTIFY limit, in order, every event once', () => {
    const events = Array.from({ length: 500 }, () => referralEvent());
    const { payloads, skipped } = notifyPayloads(events);
    expect(skipped).toBe(0);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(NOTIFY_PAYLOAD_MAX_BYTES);
    expect(payloads.flatMap((payload) => parseLiveEvents(payload)!)).toEqual(events);
  });

  it('leaves out, and counts, an event too large for a payload of its own', () => {
    const huge = referralEvent({ data: { referralId: 'x'.repeat(NOTIFY_PAYLOAD_MAX_BYTES) } });
    const small = referralEvent();
    const { payloads, skipped } = notifyPayloads([huge, small]);
    expect(skipped).toBe(1);
    expect(payloads.flatMap((payload) => parseLiveEvents(payload)!)).toEqual([small]);
  });

  it('sends nothing for no events', () => {
    expect(notifyPayloads([])).toEqual({ payloads: [], skipped: 0 });
  });
});

describe(parseLiveEvents.name, () => {
  it.each([
    ['not JSON', '{'],
    ['another version', JSON.stringify({ v: 2, events: [] })],
    ['no events list', JSON.stringify({ v: 1 })],
    ['an event without an id', JSON.stringify({ v: 1, events: [{ ...referralEvent(), id: 1 }] })],
    [
      'organizations that are not strings',
      JSON.stringify({ v: 1, events: [{ ...referralEvent(), organizationIds: [1] }] }),
    ],
    ['data that is not flat', JSON.stringify({ v: 1, events: [{ ...referralEvent(), data: { nested: { a: 1 } } }] })],
  ])('refuses %s', (_case, payload) => {
    expect(parseLiveEvents(payload)).toBeNull();
  });
});

describe(isToldOf.name, () => {
  const caseworker = permissionsForRoles([Role.CASEWORKER]);
  const intake = permissionsForRoles([Role.INTAKE]);
  const both = permissionsForScopes([ApiScope.REFERRALS_READ]);

  it.each([
    ['the sender’s caseworker (outbox)', SENDER, caseworker, true],
    ['the sender’s intake (not its inbox)', SENDER, intake, false],
    ['the receiver’s intake (inbox)', RECEIVER, intake, true],
    ['the receiver’s caseworker (not its outbox)', RECEIVER, caseworker, false],
    ['a referrals:read key of either side', RECEIVER, both, true],
    ['anyone of a third organization', randomUUID(), both, false],
  ])('tells %s of a referral event: %s', (_who, organizationId, permissions, told) => {
    expect(isToldOf(actor(organizationId, permissions), referralEvent())).toBe(told);
  });

  it("tells every organization a consent's revocation names, on either side", () => {
    const revoked = referralEvent({
      type: 'consent.revoked',
      data: { consentId: randomUUID(), actingOrganizationId: SENDER },
    });
    expect(isToldOf(actor(SENDER, caseworker), revoked)).toBe(true);
    expect(isToldOf(actor(RECEIVER, intake), revoked)).toBe(true);
    expect(isToldOf(actor(randomUUID(), both), revoked)).toBe(false);
  });
});

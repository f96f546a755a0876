import { AuditActorKind, AuditCategory, AuditOutcome, type AuditEvent } from '@harbour/audit';
import { clientPseudonym, PERSON_ENTITY_TYPES, toAuditEventModel } from '../../src/modules/audit/audit-event.mapper';

const KEY = 'k'.repeat(32);
const OWN = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const CLIENT = '33333333-3333-4333-8333-333333333333';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    chainId: OTHER,
    seq: '7',
    recordedAt: new Date('2026-06-01T12:00:00.000Z'),
    actorKind: AuditActorKind.STAFF,
    actorId: '44444444-4444-4444-8444-444444444444',
    actorOrganizationId: OTHER,
    actorRoles: ['CASEWORKER'],
    action: 'client.read',
    category: AuditCategory.READ,
    entityType: 'Client',
    entityId: CLIENT,
    subjectClientId: CLIENT,
    purpose: 'REFERRAL',
    outcome: AuditOutcome.SUCCESS,
    requestId: 'r',
    sourceAddress: '127.0.0.1',
    details: { clientId: CLIENT, clientIds: [CLIENT], fields: ['needs'] },
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...overrides,
  };
}

describe(toAuditEventModel.name, () => {
  it("shows the reader's own chain as stored", () => {
    const model = toAuditEventModel({ ownChainId: OTHER, pseudonymKey: KEY }, event());
    expect(model).toMatchObject({ subjectClientId: CLIENT, entityId: CLIENT, seq: '7' });
    expect(JSON.parse(model.details)).toEqual({ clientId: CLIENT, clientIds: [CLIENT], fields: ['needs'] });
  });

  it("replaces another chain's client ids by that chain's pseudonym, wherever they appear", () => {
    const model = toAuditEventModel({ ownChainId: OWN, pseudonymKey: KEY }, event());
    const pseudonym = clientPseudonym(KEY, OTHER, CLIENT);
    expect(model).toMatchObject({ subjectClientId: pseudonym, entityId: pseudonym });
    expect(JSON.parse(model.details)).toEqual({ clientId: pseudonym, clientIds: [pseudonym], fields: ['needs'] });
    expect(JSON.stringify(model)).not.toContain(CLIENT);
  });

  it('keeps the ids of objects that are not people', () => {
    const service = '55555555-5555-4555-8555-555555555555';
    const model = toAuditEventModel(
      { ownChainId: OWN, pseudonymKey: KEY },
      event({ entityType: 'Service', entityId: service, subjectClientId: null, details: {} }),
    );
    expect(model).toMatchObject({ entityId: service, subjectClientId: null });
    expect(PERSON_ENTITY_TYPES.has('Service')).toBe(false);
  });
});

describe(clientPseudonym.name, () => {
  it('is stable for one client in one organization', () => {
    expect(clientPseudonym(KEY, OTHER, CLIENT)).toBe(clientPseudonym(KEY, OTHER, CLIENT));
    expect(clientPseudonym(KEY, OTHER, CLIENT)).toMatch(/^pseud_[0-9a-f]{32}$/);
  });

  it('differs across organizations and keys', () => {
    expect(clientPseudonym(KEY, OWN, CLIENT)).not.toBe(clientPseudonym(KEY, OTHER, CLIENT));
    expect(clientPseudonym('x'.repeat(32), OTHER, CLIENT)).not.toBe(clientPseudonym(KEY, OTHER, CLIENT));
  });
});

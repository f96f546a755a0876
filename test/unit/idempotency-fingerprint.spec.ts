import { createHash } from 'node:crypto';
import { canonicalInput, inputFingerprint } from '../../src/idempotency/fingerprint';
import { ReferralPriority } from '../../src/modules/referrals/referral.enums';
import { sendIdentity } from '../../src/modules/referrals/referral-rules';
import { SendReferralInput } from '../../src/modules/referrals/dto/send-referral.input';

/** What an idempotency key stands for: the canonical form of a mutation's input, and its SHA-256. */
describe('the fingerprint of an input', () => {
  const consent = {
    clientId: 'c1',
    recipientOrganizationIds: ['o1', 'o2'],
    purpose: 'SERVICE_REFERRAL',
    dataCategories: ['NEEDS', 'CONTACT'],
    expiresAt: new Date('2027-01-31T00:00:00.000Z'),
    reason: { code: 'OTHER', text: 'why' },
  };

  it('does not depend on the order the fields were written in, at any depth', () => {
    const reordered = {
      reason: { text: 'why', code: 'OTHER' },
      expiresAt: new Date('2027-01-31T00:00:00.000Z'),
      dataCategories: ['NEEDS', 'CONTACT'],
      purpose: 'SERVICE_REFERRAL',
      recipientOrganizationIds: ['o1', 'o2'],
      clientId: 'c1',
    };
    expect(inputFingerprint(reordered)).toBe(inputFingerprint(consent));
    expect(canonicalInput({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });

  it.each([
    ['another top-level value', { clientId: 'c2' }],
    ['another nested value', { reason: { code: 'OTHER', text: 'why not' } }],
    ['a list in another order', { dataCategories: ['CONTACT', 'NEEDS'] }],
    ['a list one item longer', { recipientOrganizationIds: ['o1', 'o2', 'o3'] }],
    ['a date a millisecond later', { expiresAt: new Date('2027-01-31T00:00:00.001Z') }],
    ['a field more', { givenAt: new Date('2026-01-01T00:00:00.000Z') }],
    ['a number for a string', { clientId: 1 }],
  ])('differs with %s', (_what, change) => {
    expect(inputFingerprint({ ...consent, ...change })).not.toBe(inputFingerprint(consent));
  });

  it('reads an omitted optional field and a null one alike (GraphQL clients send either)', () => {
    expect(inputFingerprint({ a: 'x', basedOnId: null, note: undefined })).toBe(inputFingerprint({ a: 'x' }));
    expect(canonicalInput([null, undefined, 'x'])).toBe('[null,null,"x"]');
  });

  it('escapes text, so that no value can pass for other fields', () => {
    expect(inputFingerprint({ a: 'x","b":"y' })).not.toBe(inputFingerprint({ a: 'x', b: 'y' }));
    expect(canonicalInput({ 'a"': '\n' })).toBe('{"a\\"":"\\n"}');
  });

  it('reads an input class like the plain object it holds', () => {
    const input = Object.assign(new SendReferralInput(), { clientId: 'c', reason: 'r' });
    expect(canonicalInput(input)).toBe(
      canonicalInput({ clientId: 'c', priority: ReferralPriority.ROUTINE, reason: 'r' }),
    );
  });

  it('is SHA-256 in hex of the canonical form', () => {
    expect(inputFingerprint({ b: [1, true], a: 'x' })).toBe(
      createHash('sha256').update('{"a":"x","b":[1,true]}').digest('hex'),
    );
  });

  it('refuses what has no canonical form', () => {
    expect(() => canonicalInput({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalInput({ a: new Date('not a date') })).toThrow(TypeError);
    expect(() => canonicalInput({ a: () => 1 })).toThrow(TypeError);
  });

  it("keeps sendReferral's fingerprints from before the general records (the migration carries them over)", () => {
    const input = Object.assign(new SendReferralInput(), {
      clientId: 'AAAAAAAA-0000-4000-8000-000000000001',
      serviceId: 'aaaaaaaa-0000-4000-8000-000000000002',
      consentId: 'aaaaaaaa-0000-4000-8000-000000000003',
      priority: ReferralPriority.URGENT,
      reason: 'Needs a bed tonight',
    });
    const before = createHash('sha256')
      .update(
        JSON.stringify([
          'aaaaaaaa-0000-4000-8000-000000000001',
          'aaaaaaaa-0000-4000-8000-000000000002',
          'aaaaaaaa-0000-4000-8000-000000000003',
          null,
          'URGENT',
          'Needs a bed tonight',
        ]),
      )
      .digest('hex');
    expect(inputFingerprint(sendIdentity(input))).toBe(before);
  });
});

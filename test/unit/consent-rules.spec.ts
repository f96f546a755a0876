import {
  consentCovers,
  consentTermsProblems,
  GIVEN_AT_TOLERANCE_MS,
  revocationProblems,
} from '../../src/modules/consent/consent-rules';
import {
  ConsentDataCategory,
  ConsentRevocationReason,
  consentStatus,
  ConsentStatus,
  isConsentActive,
} from '../../src/modules/consent/consent.enums';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const CLINIC = '11111111-1111-4111-8111-111111111111';

describe(consentStatus.name, () => {
  it('is ACTIVE before its expiry', () => {
    expect(consentStatus({ revokedAt: null, expiresAt: at(1) }, NOW)).toBe(ConsentStatus.ACTIVE);
  });

  it('is EXPIRED from the instant of its expiry on (exclusive end)', () => {
    expect(consentStatus({ revokedAt: null, expiresAt: NOW }, NOW)).toBe(ConsentStatus.EXPIRED);
    expect(consentStatus({ revokedAt: null, expiresAt: at(-DAY) }, NOW)).toBe(ConsentStatus.EXPIRED);
  });

  it('is REVOKED once revoked, whatever its expiry', () => {
    expect(consentStatus({ revokedAt: at(-1), expiresAt: at(DAY) }, NOW)).toBe(ConsentStatus.REVOKED);
    expect(consentStatus({ revokedAt: at(-2 * DAY), expiresAt: at(-DAY) }, NOW)).toBe(ConsentStatus.REVOKED);
  });

  it('follows the clock it is given: the same consent, active today, is expired tomorrow', () => {
    const consent = { revokedAt: null, expiresAt: at(DAY / 2) };
    expect(isConsentActive(consent, NOW)).toBe(true);
    expect(isConsentActive(consent, at(DAY))).toBe(false);
  });
});

describe(consentCovers.name, () => {
  const consent = { revokedAt: null, expiresAt: at(DAY), recipientOrganizationIds: [CLINIC] };

  it('covers a named organization while active', () => {
    expect(consentCovers(consent, CLINIC, NOW)).toBe(true);
  });

  it('covers no other organization', () => {
    expect(consentCovers(consent, '22222222-2222-4222-8222-222222222222', NOW)).toBe(false);
  });

  it('covers nobody once expired or revoked', () => {
    expect(consentCovers(consent, CLINIC, at(DAY))).toBe(false);
    expect(consentCovers({ ...consent, revokedAt: NOW }, CLINIC, NOW)).toBe(false);
  });

  it('covers nobody when it is a refusal', () => {
    expect(consentCovers({ ...consent, recipientOrganizationIds: [] }, CLINIC, NOW)).toBe(false);
  });
});

describe(consentTermsProblems.name, () => {
  const terms = {
    givenAt: NOW,
    expiresAt: at(30 * DAY),
    recipientCount: 1,
    dataCategories: [ConsentDataCategory.NEEDS],
  };
  const fields = (problems: { field: string }[]) => problems.map((p) => p.field);

  it('accepts terms given now, expiring within the maximum', () => {
    expect(consentTermsProblems(terms, NOW, 365)).toEqual([]);
  });

  it('accepts an expiry exactly at the maximum, and refuses one a millisecond later', () => {
    expect(consentTermsProblems({ ...terms, expiresAt: at(365 * DAY) }, NOW, 365)).toEqual([]);
    expect(consentTermsProblems({ ...terms, expiresAt: at(365 * DAY + 1) }, NOW, 365)).toEqual([
      { field: 'input.expiresAt', message: "expiresAt must be at most 365 days after givenAt (the network's maximum)" },
    ]);
  });

  it('measures the maximum from givenAt, with the configured number of days', () => {
    expect(
      fields(consentTermsProblems({ ...terms, givenAt: at(-10 * DAY), expiresAt: at(25 * DAY) }, NOW, 30)),
    ).toEqual(['input.expiresAt']);
    expect(consentTermsProblems({ ...terms, givenAt: at(-10 * DAY), expiresAt: at(20 * DAY) }, NOW, 30)).toEqual([]);
  });

  it('refuses an expiry that is not after givenAt', () => {
    expect(consentTermsProblems({ ...terms, givenAt: at(-DAY), expiresAt: at(-DAY) }, NOW, 365)).toContainEqual({
      field: 'input.expiresAt',
      message: 'expiresAt must be after givenAt',
    });
  });

  it('refuses an expiry already past: an expired consent allows nothing', () => {
    expect(consentTermsProblems({ ...terms, givenAt: at(-10 * DAY), expiresAt: at(-DAY) }, NOW, 365)).toEqual([
      { field: 'input.expiresAt', message: 'expiresAt must be in the future: an expired consent allows nothing' },
    ]);
  });

  it('refuses a givenAt in the future, beyond a small tolerance for clocks', () => {
    expect(consentTermsProblems({ ...terms, givenAt: at(GIVEN_AT_TOLERANCE_MS) }, NOW, 365)).toEqual([]);
    expect(fields(consentTermsProblems({ ...terms, givenAt: at(GIVEN_AT_TOLERANCE_MS + 1) }, NOW, 365))).toEqual([
      'input.givenAt',
    ]);
  });

  it('records a refusal (no recipients) that shares nothing, and refuses one that lists categories', () => {
    expect(consentTermsProblems({ ...terms, recipientCount: 0, dataCategories: [] }, NOW, 365)).toEqual([]);
    expect(fields(consentTermsProblems({ ...terms, recipientCount: 0 }, NOW, 365))).toEqual(['input.dataCategories']);
  });

  it('lets a consent share nothing but the preferred name and languages (deny by default)', () => {
    expect(consentTermsProblems({ ...terms, dataCategories: [] }, NOW, 365)).toEqual([]);
  });
});

describe(revocationProblems.name, () => {
  it('needs a note with OTHER only', () => {
    expect(revocationProblems({ code: ConsentRevocationReason.OTHER, note: '  ' })).toEqual([
      { field: 'reason.note', message: 'a note is required with reason OTHER' },
    ]);
    expect(revocationProblems({ code: ConsentRevocationReason.OTHER, note: 'Moved to another city' })).toEqual([]);
    expect(revocationProblems({ code: ConsentRevocationReason.CLIENT_WITHDREW })).toEqual([]);
  });
});

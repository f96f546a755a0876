/**
 * The consent-scoped view of a referral (docs/design.md, Consent model), as pure functions: for every
 * state × consent state × set of granted categories, what each side sees of the client and the
 * reason (the notes and the history's words: referral-words.spec.ts). The expected table
 * (referral-view.fixtures.ts) is written by hand from docs/design.md, not derived from
 * CLIENT_DATA_FIELDS, so that a change to the register shows up here.
 */
import { ContactPreference } from '../../src/modules/clients/client.enums';
import type { Client } from '../../src/modules/clients/client.entity';
import type { Consent } from '../../src/modules/consent/consent.entity';
import { viewReferral } from '../../src/modules/referrals/referral-view';
import { ReferralPriority, ReferralSide, ReferralStatus } from '../../src/modules/referrals/referral.enums';
import {
  HOUR,
  NOW,
  at,
  CATEGORIES,
  GRANTS,
  STATUSES,
  CONSENT_STATES,
  ALL_CLIENT_FIELDS,
  expectedForReceiver,
  SHELTER,
  CLINIC,
  SENDER_VIEWER,
  RECEIVER_VIEWER,
  CLIENT,
  SERVICE,
  consent,
  referral,
  visibleFields,
  NEEDS,
  CONTACT,
  DEMOGRAPHICS,
  MUNICIPAL_ID,
  NOTES,
} from './referral-view.fixtures';

// ---- the receiving side -------------------------------------------------------------------------

describe('the receiving organization’s view (viewReferral)', () => {
  describe.each(STATUSES)('a referral %s', (status) => {
    it.each(CONSENT_STATES)(
      'with its consent %s, for every set of granted categories: the client fields, reason and shared categories docs/design.md allows',
      (state) => {
        const actual = GRANTS.map((granted) => {
          const { model, view } = viewReferral(RECEIVER_VIEWER, referral(status, consent(state, granted)), NOW);
          return {
            granted,
            fields: visibleFields(view.client),
            categories: model.sharedCategories,
            reason: view.reason !== null,
            consentActive: model.consentActive,
            showsClient: view.showsClient,
          };
        });
        const expected = GRANTS.map((granted) => {
          const view = expectedForReceiver(status, state, granted);
          return {
            granted,
            fields: view.fields,
            categories: view.categories,
            reason: view.reason,
            consentActive: state === 'ACTIVE',
            showsClient: view.fields.length > 0,
          };
        });
        expect(actual).toEqual(expected);
      },
    );

    it.each(CONSENT_STATES)(
      'with its consent %s: the status, side and record of the referral always remain',
      (state) => {
        const { model, view } = viewReferral(RECEIVER_VIEWER, referral(status, consent(state, [...CATEGORIES])), NOW);
        expect(model).toMatchObject({
          id: '66666666-6666-4666-8666-666666666666',
          side: ReferralSide.RECEIVER,
          status,
          priority: ReferralPriority.ROUTINE,
        });
        expect(model.service.id).toBe(SERVICE.id);
        expect(model.sendingOrganization.id).toBe(SHELTER.id);
        expect(model.receivingOrganization.id).toBe(CLINIC.id);
        expect(view.clientId).toBe(CLIENT.id);
      },
    );
  });

  it('shows exactly the always row and NEEDS while SENT, whatever else is consented', () => {
    const { model, view } = viewReferral(
      RECEIVER_VIEWER,
      referral(ReferralStatus.SENT, consent('ACTIVE', [...CATEGORIES])),
      NOW,
    );
    expect(view.client).toEqual({
      id: null,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: 'A check-up',
      contact: null,
      legalName: null,
      birthYear: null,
      pronouns: null,
      municipalIdNumber: null,
      erased: false,
    });
    expect(view.reason).toBe('Needs a doctor who speaks Somali');
    expect(model.sharedCategories).toEqual([NEEDS]);
  });

  it('shows only the preferred name and languages while SENT under a consent without NEEDS (no reason either)', () => {
    const { model, view } = viewReferral(
      RECEIVER_VIEWER,
      referral(ReferralStatus.SENT, consent('ACTIVE', [CONTACT, DEMOGRAPHICS])),
      NOW,
    );
    expect(view.client).toEqual({
      id: null,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: null,
      contact: null,
      legalName: null,
      birthYear: null,
      pronouns: null,
      municipalIdNumber: null,
      erased: false,
    });
    expect(view.reason).toBeNull();
    expect(model.sharedCategories).toEqual([]);
    expect(view.showsClient).toBe(true);
  });

  it('shows every consented category once accepted, but never the holder’s client id', () => {
    const { model, view } = viewReferral(
      RECEIVER_VIEWER,
      referral(ReferralStatus.ACCEPTED, consent('ACTIVE', [...CATEGORIES])),
      NOW,
    );
    expect(view.client).toEqual({
      id: null,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: 'A check-up',
      contact: {
        phone: '+1 555 0100',
        email: 'amina@example.test',
        preference: ContactPreference.PHONE_ONLY,
        safeToLeaveMessage: true,
      },
      legalName: 'Amina Legal',
      birthYear: 1990,
      pronouns: 'she/her',
      municipalIdNumber: 'HC-1234',
      erased: false,
    });
    expect(model.sharedCategories).toEqual([CONTACT, DEMOGRAPHICS, MUNICIPAL_ID, NEEDS, NOTES]);
  });

  it.each([
    ['terminal', ReferralStatus.COMPLETED, 'ACTIVE'],
    ['revoked', ReferralStatus.ACCEPTED, 'REVOKED'],
    ['expired', ReferralStatus.ACCEPTED, 'EXPIRED'],
  ] as const)('shows nothing at all once %s', (_case, status, state) => {
    const { model, view } = viewReferral(RECEIVER_VIEWER, referral(status, consent(state, [...CATEGORIES])), NOW);
    const { erased, ...person } = view.client;
    expect(erased).toBe(false);
    expect(Object.values(person).every((value) => value === null)).toBe(true);
    expect(view.reason).toBeNull();
    expect(model.sharedCategories).toEqual([]);
    expect(view.showsClient).toBe(false);
  });

  it('treats a consent as expired from the very instant of its expiry (exclusive end), and active one millisecond before', () => {
    const underConsent = { ...consent('ACTIVE', [NEEDS]), expiresAt: NOW } as Consent;
    const atExpiry = viewReferral(RECEIVER_VIEWER, referral(ReferralStatus.ACCEPTED, underConsent), NOW);
    expect(atExpiry.model.consentActive).toBe(false);
    expect(atExpiry.view.client.preferredName).toBeNull();
    const before = viewReferral(RECEIVER_VIEWER, referral(ReferralStatus.ACCEPTED, underConsent), at(-1));
    expect(before.model.consentActive).toBe(true);
    expect(before.view.client.preferredName).toBe('Amina');
  });

  it('decides against the clock it is given, not against the stored status (the expiry sweep may not have run)', () => {
    const stillSent = referral(ReferralStatus.SENT, consent('ACTIVE', [NEEDS]));
    expect(viewReferral(RECEIVER_VIEWER, stillSent, NOW).view.client.needs).toBe('A check-up');
    expect(viewReferral(RECEIVER_VIEWER, stillSent, at(25 * HOUR)).view.client.needs).toBeNull();
  });
});

// ---- the sending side ---------------------------------------------------------------------------

describe('the sending organization’s view (viewReferral)', () => {
  describe.each(STATUSES)('a referral %s', (status) => {
    it.each(CONSENT_STATES)(
      'with its consent %s, for every set of granted categories: its own client whole, with the reason',
      (state) => {
        const actual = GRANTS.map((granted) => {
          const { model, view } = viewReferral(SENDER_VIEWER, referral(status, consent(state, granted)), NOW);
          return {
            granted,
            side: model.side,
            fields: visibleFields(view.client),
            reason: view.reason,
            showsClient: view.showsClient,
            consentActive: model.consentActive,
          };
        });
        const expected = GRANTS.map((granted) => ({
          granted,
          side: ReferralSide.SENDER,
          fields: [...ALL_CLIENT_FIELDS].sort(),
          reason: 'Needs a doctor who speaks Somali',
          showsClient: true,
          consentActive: state === 'ACTIVE',
        }));
        expect(actual).toEqual(expected);
      },
    );
  });

  it.each([
    ['receiver', RECEIVER_VIEWER, null],
    ['holder', SENDER_VIEWER, CLIENT.id],
  ] as const)('shows the %s an erased client as the placeholder, erased, and nothing else', (_side, viewer, id) => {
    const erasedClient = {
      ...CLIENT,
      preferredName: 'Erased client',
      legalName: null,
      birthYear: null,
      pronouns: null,
      languages: [],
      contact: { phone: null, email: null, preference: ContactPreference.DO_NOT_CONTACT, safeToLeaveMessage: false },
      municipalIdNumber: null,
      needs: null,
      erasedAt: NOW,
    } as unknown as Client;
    const erasedReferral = {
      ...referral(ReferralStatus.COMPLETED, consent('REVOKED', [])),
      client: erasedClient,
      reason: null,
    };
    const { view } = viewReferral(viewer, erasedReferral, NOW);
    expect(view.client).toMatchObject({
      id,
      preferredName: 'Erased client',
      erased: true,
      legalName: null,
      needs: null,
    });
    expect(view.reason).toBeNull();
  });

  it('shows the holder its client’s id and every field as held', () => {
    const { view } = viewReferral(SENDER_VIEWER, referral(ReferralStatus.CANCELLED, consent('REVOKED', [])), NOW);
    expect(view.client).toEqual({
      id: CLIENT.id,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: 'A check-up',
      contact: {
        phone: '+1 555 0100',
        email: 'amina@example.test',
        preference: ContactPreference.PHONE_ONLY,
        safeToLeaveMessage: true,
      },
      legalName: 'Amina Legal',
      birthYear: 1990,
      pronouns: 'she/her',
      municipalIdNumber: 'HC-1234',
      erased: false,
    });
  });

  it('tells the sender what the receiver sees now (sharedCategories is the receiver’s share)', () => {
    expect(
      viewReferral(SENDER_VIEWER, referral(ReferralStatus.SENT, consent('ACTIVE', [CONTACT, NEEDS])), NOW).model
        .sharedCategories,
    ).toEqual([NEEDS]);
    expect(
      viewReferral(SENDER_VIEWER, referral(ReferralStatus.IN_PROGRESS, consent('ACTIVE', [NOTES, CONTACT, NEEDS])), NOW)
        .model.sharedCategories,
    ).toEqual([CONTACT, NEEDS, NOTES]);
    expect(
      viewReferral(
        SENDER_VIEWER,
        referral(ReferralStatus.IN_PROGRESS, consent('REVOKED', [NOTES, CONTACT, NEEDS])),
        NOW,
      ).model.sharedCategories,
    ).toEqual([]);
  });

  it('does not share the client’s language list with the model (a copy, not the entity’s array)', () => {
    const { view } = viewReferral(SENDER_VIEWER, referral(ReferralStatus.ACCEPTED, consent('ACTIVE', [])), NOW);
    expect(view.client.languages).toEqual(CLIENT.languages);
    expect(view.client.languages).not.toBe(CLIENT.languages);
  });
});

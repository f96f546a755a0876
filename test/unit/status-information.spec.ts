import {
  looksLikeStatusInformation,
  privacyWarnings,
  PrivacyWarningCode,
} from '../../src/common/privacy/status-information';

/** Status words are spelled out here only, in a test of the detector: never in the schema or messages. */
describe(looksLikeStatusInformation.name, () => {
  it.each([
    'Worried about her immigration appointment next week',
    'Has no status and is afraid to see a doctor',
    'Lost his papers when he moved out',
    'Waiting on a work permit renewal',
    'Study permit expired last month',
    'Refugee claim hearing in March',
    'He asked about asylum',
    'Fear of deportation',
    'Undocumented, needs prenatal care',
    'Needs help getting a PR card',
    'Is a permanent resident',
    'Visa ran out',
    'Citizenship ceremony soon',
    'Wants to keep her passport safe',
    'Gave her SIN to the landlord',
    'Country of birth asked by previous clinic',
    'Out of status since 2024',
    // French, with and without accents
    "Demande d'asile en cours",
    'Réfugiée, arrivée en janvier',
    'refugiee, arrivee en janvier',
    'Sans papiers, cherche un médecin',
    'Permis de travail expiré',
    "Permis d'études à renouveler",
    'Statut migratoire incertain',
    'Sans statut depuis deux ans',
    'Résidente permanente',
    "Peur d'une mesure de renvoi",
    'A donné son NAS au propriétaire',
    'Citoyenneté en attente',
    'Passeport confisqué',
    "Numéro d'assurance sociale perdu",
  ])('warns about %p', (text) => {
    expect(looksLikeStatusInformation(text)).toBe(true);
  });

  it.each([
    'Needs a family doctor and help with rent',
    'Housing status: staying with a friend',
    'Speaks Spanish; prefers mornings',
    'sin hogar, necesita comida',
    'Avis d’expulsion du logement reçu (eviction notice)',
    'Needs permission from school for daycare',
    'Permitted to bring her dog to the shelter',
    'Visiting her sister on weekends',
    'Sinus infection, needs antibiotics',
    'Assurance habitation à renouveler',
    'Newspapers for the job search',
    'Ice on the steps at the old apartment',
    '',
  ])('does not warn about %p', (text) => {
    expect(looksLikeStatusInformation(text)).toBe(false);
  });

  it('says nothing about a missing text', () => {
    expect(looksLikeStatusInformation(null)).toBe(false);
    expect(looksLikeStatusInformation(undefined)).toBe(false);
  });
});

describe(privacyWarnings.name, () => {
  it('warns once per field that reads like status information, naming the field', () => {
    const warnings = privacyWarnings({
      'input.needs': 'Waiting on a work permit',
      'reason.note': 'Client moved away',
      'input.other': null,
    });
    expect(warnings).toEqual([
      {
        field: 'input.needs',
        code: PrivacyWarningCode.STATUS_INFORMATION,
        message: expect.stringContaining('input.needs'),
      },
    ]);
  });

  it('never repeats what it found in its message', () => {
    const [warning] = privacyWarnings({ 'input.needs': 'Refugee claim, deportation, undocumented' });
    expect(looksLikeStatusInformation(warning.message)).toBe(false);
    expect(warning.message).not.toMatch(/refugee|deport|undocumented/i);
  });

  it('has nothing to say about ordinary text', () => {
    expect(privacyWarnings({ 'input.needs': 'A warm coat and a bed tonight' })).toEqual([]);
  });
});

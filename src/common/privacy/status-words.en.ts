import type { StatusWords } from './status-information';

/** "ICE" in capitals is the agency, except before these: an ICE pack, ICE cream, an ICE (in case of emergency) contact. */
const NOT_THE_AGENCY = [
  'pack',
  'packs',
  'cream',
  'cube',
  'cubes',
  'bag',
  'bags',
  'bath',
  'water',
  'machine',
  'rink',
  'skating',
  'storm',
  'tea',
  'coffee',
  'contact',
  'contacts',
  'number',
  'phone',
]
  .flatMap((word) => [word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1)])
  .join('|');

/** English, and the terms every language borrows from it (visa, green card, DACA, ICE). */
export const ENGLISH: StatusWords = {
  folded: [
    /\bimmigra/,
    /\bemigra/,
    /\bmigrants?\b/,
    /\bmigration\b/,
    /\bnaturali[sz]/,
    // A senior citizen and Citizens Advice say nothing about anyone's citizenship.
    /(?<!\bsenior )\bcitizen(?!(s|'s|s')? (advice|science|arrest))/,
    /\bnationalit/,
    // Visa the card brand (a Visa gift card, "carte Visa", "tarjeta Visa") is not a visa.
    /(?<!\b(prepaid|debit|credit|carte|tarjeta) )\bvisas?\b(?! ?(gift|debit|credit|prepaid|prepagada|desjardins|cards?|de (debito|credito|regalo))\b)/,
    // Ontario's Passport funding is a disability program; a vaccine passport is not a passport.
    /(?<!\bvaccine )\bpassports?\b(?! (funding|program))/,
    // A permit counts unless it is for parking, building, driving lessons… or "permit" is the verb.
    /(?<!\b(parking|building|learner's|learners|fishing|hunting|burn|renovation|vendor|street|pet|dog|event|moving|liquor|not|to|will|would|can|could|may|might|does|do|did) )\bpermit\b/,
    /\b(work|study|residence|visitor|student|open|closed|bridging) permits\b/,
    /\brefugees?\b/,
    /\basylum\b/,
    // Not the Spanish "deporte(s)", "deportivo", "deportista": sport.
    /\bdeport(?!es?\b|iv|ist)/,
    /\bundocumented\b/,
    // Divorce, court or school papers are ordinary; papers on their own are the person's.
    /(?<!\b(divorce|custody|court|eviction|school|discharge|adoption|car|tax|lease|rental|insurance|hospital|medical|bank|rolling|exam|term|research|separation|release|bail|probation) )\bpapers\b(?! (for|from) (the |her |his |their )?(\w+ )?(court|school|hospital|landlord|apartment|lease|car|job|bank|daycare|clinic|insurance|divorce)\b)/,
    // "Non-status" and a status card are also First Nations terms (Indian status), not immigration.
    /\b(no|without|lost|out of|non)[\s-]?status\b(?![\s-](indian|first nations?|metis|inuit|indigenous|cards?)\b)/,
    /\bstatus (in|to stay in) (canada|the (country|us|u\.s\.|states))\b/,
    /\b(legal|residency|resident|immigration|refugee|protected person|temporary resident|visitor|precarious|migrant|citizenship|pr|tps|daca) status\b/,
    /\bstatus (has )?(expired|expires|expiring|lapsed|ran out|runs out)\b/,
    /\b(restor\w*|maintained|implied|regain\w*|regulari[sz]\w*) (of )?(her |his |their |my )?status\b/,
    /\b(ask|asks|asked|asking) (about|for) (her|his|their|your|my) status\b/,
    /\bpermanent residen/,
    /\btemporary residen/,
    /\bpr card\b/,
    /\bgreen card\b/,
    /\bsocial (insurance|security) (number|card|no)\b/,
    /\bsin (number|card)\b/,
    /\b(country|place) of (birth|origin)\b/,
    /\bbirthplace\b/,
    /\b(work|employment) authori[sz]ation\b/,
    /\boverstay/,
    // Removal alone is snow, junk or a waitlist; these are the removal of a person from the country.
    /\bremoval (order|hearing|date|proceedings?)\b/,
    /\b(stay of|facing|pre-?) ?removal\b/,
    /\bremov(al|ed) from (canada|the (country|us|u\.s\.|states))\b/,
    /\b(illegal|resident|undocumented) (aliens?|immigrants?|migrants?|entry|immigration)\b/,
    /\b(here|entered|came|living|lives|crossed|staying|stayed|working|works) illegally\b/,
    /\birregular(ly)? (entry|crossing|migrants?|arrivals?|status|border)\b/,
    /\b(entered|crossed|arrived|came)\b[^.;]{0,20}\birregularly\b/,
    /\bborder (agents?|officers?|officials?|patrol|services|guards?)\b/,
    /\b(crossed|crossing|at) the border\b/,
    /\b(spousal|family|parental|private|group) sponsorship\b/,
    /\bsponsorship (application|undertaking|breakdown|broke)\b/,
    /\bforeign (nationals?|workers?)\b/,
    /\bforeigners?\b/,
    /\binternational students?\b/,
    /\bvisitor record\b/,
    /\binterim federal health\b/,
    /\bhumanitarian and compassionate\b/,
    /\bh ?& ?c\b/,
    /\btemporary protected status\b/,
    /\btps (holders?|recipients?|renewal|application|beneficiar\w*|designation)\b/,
    // Lower-case "ice" is the agency only where frozen water cannot be meant.
    /\bice (raids?|agents?|officers?|officials?|detention|detainer|custody|facility|check-?ins?|deportation|warrants?|arrests?)\b/,
    /\b(detained|arrested|picked up|taken|deported|questioned|stopped) by ice\b/,
    /\b(reported?|reporting|turned (him|her|them) in) to ice\b/,
    // Names of programs and agencies that are not ordinary words in any of the three languages.
    /\b(daca|dacamented|uscis|eoir|ircc|cbsa|ssn|itin|trv|lmia|prra|ifhp?)\b/,
  ],
  capitals: [
    /\bSIN\b/,
    /\bIRB\b/,
    new RegExp(String.raw`\bICE\b(?![\s-]*(${NOT_THE_AGENCY})\b)`),
    /\b(got|get|getting|has|have|had|applied for|applying for|waiting for|waiting on|awaiting|her|his|their|no|not) PR\b/,
  ],
};

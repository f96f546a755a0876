import type { StatusWords } from './status-information';

/** French (Canada and France). Text is folded: "séjour" is matched as "sejour". */
export const FRENCH: StatusWords = {
  folded: [
    /\bcitoyennete/,
    // "Citoyen" alone is the city's word for a resident (services aux citoyens, comité citoyen):
    // it counts with a nationality (citoyen canadien, citoyenne française) or a negation.
    /\bcitoyen(ne)?s? [a-z]+(ien|ais|ain|ois)(ne|e)?s?\b/,
    /\b(non[\s-]?|pas |devenir |devenue? |devenus )citoyen/,
    /\bpasseports?\b(?! (vaccinal|sanitaire|covid))/,
    /\brefugie/,
    /\basile\b(?! (psychiatrique|de nuit))/,
    /\bsans[\s-]papiers?\b/,
    // "Papiers" alone may be any forms (papiers de la CAF, du divorce): it counts when they are the
    // person's own, unqualified (n'a pas de papiers, a perdu ses papiers, attend ses papiers).
    /\b(pas|plus|aucun|obtenir|avoir|faire|attend\w*|recevoir|regulariser|perdu|perdre|vole|voles|confisque\w*) (de |d'|ses |des |les |leurs )?papiers\b(?! ?(d'|de |du |des |pour |a ))/,
    /\bsans statut\b/,
    /\bstatut (legal|migratoire|au canada|d'immigr\w*|de (refugie|resident|residente|residence|immigrant|personne protegee|visiteur)|precaire|irregulier)/,
    /\b(pas de|perdu (son|le)|perte (de|du)|aucun|obtenir (son|le)|regulariser (son|sa)) statut\b/,
    /\bmigratoire/,
    // Not the "permis de conduire" (driving licence) nor a parking permit.
    /\bpermis (de travail|d'etudes?|de residen\w*|ouvert|ferme|de visiteur)\b/,
    // A "séjour" is also a hospital or camp stay: only these are leave to remain.
    /\b(titre|carte|permis|autorisation( provisoire)?|droit|visa) de sejour\b/,
    /\bresidente?s? permanente?s?\b/,
    /\bresidente?s? temporaires?\b/,
    /\bresiden(ce|cia) (permanente|temporaire|temporal|legal)\b/,
    /\bcarte (de )?rp\b/,
    /\bcarte de resident/,
    /\b(numero d'|carte d')assurance sociale\b/,
    /\bpays (de naissance|d'origine)\b/,
    /\blieu de naissance\b/,
    // "Renvoyé" is also sent home from school, fired or referred: only the removal from the country.
    /\b(mesure|ordre|date|sursis) de renvoi\b/,
    /\bavant renvoi\b/,
    /\brenvoye\w* (dans son pays|vers son pays|du canada|du pays|au pays|hors du)/,
    // "Expulsion" is first an eviction (avis d'expulsion du logement): only from the country counts.
    /\bexpuls\w* (du|hors du|de) (pays|canada|territoire|france|la france)\b/,
    /\barrete( prefectoral)? d'expulsion\b/,
    /\bobligation de quitter le territoire\b/,
    /\bquitter le (territoire|pays|canada)\b/,
    // Unaccented "deporte" is also Spanish for sport; with an auxiliary it is French for deported.
    /\b(etre|ete|est|sont|sera|seront) deportee?s?\b/,
    /\bsituation (irreguliere|administrative (precaire|irreguliere))\b/,
    /\ben situation reguliere\b/,
    /\b(entree|passage|sejour|migrant\w*|traverse\w*|entre\w*|arrive\w*) (illegal|irreguli)\w*/,
    /\b(immigrant|migrant|resident)e?s? (illegal|clandestin)\w*/,
    /\bclandestin/,
    /\broxham\b/,
    // A "travailleur temporaire" may be an agency temp: foreign or seasonal-farm workers count.
    /\btravailleu\w* (etranger\w*|temporaires? etranger\w*|agricoles? saisonnier\w*)/,
    /\betudiant\w* (etranger|international)\w*/,
    // "Parrainage civique" is a volunteer program: only a spouse, family or refugee sponsorship.
    /\bparrain\w* (conjugal|familial|collectif|prive|du conjoint|de (son |sa |l'|la )?(epoux|epouse|conjoint|conjointe|famille|refugie\w*))/,
    /\bprogramme federal de sante interimaire\b/,
    /\baide medicale (d'|de l')etat\b/,
    /\bdemande de regularisation\b/,
    /\bregularis\w* (de )?(sa|son) (situation|statut|sejour)\b/,
    /\bcertificat (de selection|d'acceptation) du quebec\b/,
    /\bprocedure dublin\b/,
    /\bdubline(e|s|es)?\b/,
    /\bcentre de retention\b/,
    /\bretention administrative\b/,
    /\b(oqtf|ofpra|cnda|ofii|ceseda|cisr|erar|praida|pfsi|asfc)\b/,
  ],
  capitals: [
    // Numéro d'assurance sociale; Aide médicale de l'État (France's health cover for people without papers).
    /\bNAS\b/,
    /\bAME\b/,
  ],
  // With its accents "déporté" cannot be the Spanish "deporte" (sport).
  accented: [/\bdéport/i],
};

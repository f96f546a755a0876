import type { StatusWords } from './status-information';

/** Spanish (Latin America, the United States and Spain). Text is folded: "migración" is matched as "migracion". */
export const SPANISH: StatusWords = {
  folded: [
    /\binmigra/,
    /\bmigratori/,
    /\bmigracion\b/,
    // "La migra": immigration enforcement. The word boundary keeps "migraña" out.
    /\bmigra\b/,
    /\bnacionalidad/,
    /\bciudadania\b/,
    // "Ciudadano" alone is also the city's word for a resident (atención ciudadana): it counts with
    // a nationality (ciudadano americano, ciudadana mexicana) or after ser / hacerse.
    /\bciudadan[oa]s? (?!vecin)[a-z]+(ano|ana|ense|eno|ena|ino|ina)s?\b/,
    /\bciudadan[oa]s? (frances|ingles|portugues)/,
    /\b(es|son|ser|hacerse|volverse) ciudadan/,
    /\bpasaportes?\b(?! (de vacunacion|covid|sanitario))/,
    /\bvisados?\b/,
    // "Sin" is "without" (sin hogar, sin trabajo): only without papers, status or documents.
    /\bsin papeles\b/,
    /\bno (tiene|tenga|tener|tienen|tengo|tenia|tenemos) papeles\b/,
    /\bpapeles en regla\b/,
    // Papers to fix or get count unless they are someone else's (los papeles del carro, del divorcio).
    /\b(arregl\w*|tramit\w*|sacar|saco|obtener|obtuvo|conseguir|consiguio) (sus |los )?papeles\b(?! (del?|para) )/,
    /\bindocumentad/,
    /\bsin documentos\b(?! (necesarios|requeridos))/,
    // "Asilo" is also a home for the elderly (un asilo de ancianos, trabaja en un asilo).
    /(?<!\b(en|al) (un |el )?)\basilo\b(?! (de|para) (ancianos|mayores|adultos mayores|personas mayores|la tercera edad))/,
    /\basilo politico\b/,
    /\basilad[oa]s?\b/,
    // "Refugio" is first a shelter (refugio para mujeres): the refugee is "refugiado".
    /\brefugiad[oa]s?\b/,
    /\b(solicit\w*|solicitud de|condicion de|estatus de|estatuto de) refugio\b/,
    // "Estado" is also state or condition (estado de salud, estado civil): status is "estatus" or "migratorio".
    /\bestatus (legal|irregular|de (refugiad\w*|residente|inmigrante|proteccion|asilad\w*|ciudadan\w*))\b/,
    /\b(sin|no tiene|arregl\w*|regulariz\w*|perdio|perder|ajust\w*) (su |el |de )?estatus\b/,
    /\b(situacion|entrada|estancia|migracion|estatus) irregular\b/,
    // "Permiso" is also permission (permiso de la escuela) or a licence (permiso de conducir).
    /\bpermiso (de|por) (trabajo|residencia|estancia|estudios?|permanencia|proteccion temporal)\b/,
    /\bresidentes? (temporal|legal)\w*/,
    /\b(tarjeta|carta|credencial) de residen/,
    /\btarjeta verde\b/,
    // "Residencia" alone is also a home or a student residence: "la residencia" someone has or awaits is the permit.
    /\b(tiene|tener|tenga|sacar|saco|tramit\w*|renov\w*|obten\w*|obtuvo|solicit\w*|pidio|pedir|negaron|nego|espera\w*|arregl\w*|perdio|consigui\w*) (la|su) residencia\b(?! (de|para) (ancianos|mayores|estudiantes)| medica)/,
    /\borden(es)? de (deportacion|expulsion|salida|remocion)\b/,
    /\b(expuls\w*|sac\w*|ech\w*) del pais\b/,
    /\b(pais|lugar) de (nacimiento|origen)\b/,
    // "Seguro social" alone may be Mexico's public health insurer (IMSS): the number or card is the SSN.
    /\b(numero|tarjeta|no tiene|sin) (de )?(la )?(seguro social|seguridad social)\b/,
    /\bextranjeria\b/,
    /\b(es|son|siendo|como) extranjer[oa]s?\b/,
    /\bidentidad de extranjero\b/,
    /\bmatricula consular\b/,
    /\b(cruzo|cruzaron|cruzar|cruzando|cruce) (la )?frontera\b/,
    /\bpatrulla fronteriza\b/,
    /\bagentes? (fronterizos?|de (la )?frontera)\b/,
    // "Ilegal" alone may be an eviction or a fee: these are a person being "ilegal".
    /\b(esta|estan|entro|entraron|vive|viven|quedo|trabaja|trabajan|cruzo|inmigrante|migrante|paso|llego) ilegal/,
    /\btrabajador\w* (extranjer|temporal extranjer|agricola temporal)\w*/,
    /\bestudiantes? (extranjer|internacional)\w*/,
    /\bproteccion temporal\b/,
    // TPS (temporary protected status) only in Spanish context: in French it is the federal sales tax.
    /\b(tiene|tengo|con|bajo|el) tps\b/,
    /\b(renov\w*|solicitud|beneficiari[oa]s?|permiso) (del? )?tps\b/,
    /\b(agentes?|redadas?|oficiales?|detenid[oa]s? por|miedo (a|de)) (de )?(la )?ice\b/,
  ],
  capitals: [
    // Número de identidad de extranjero (Spain).
    /\bNIE\b/,
  ],
};

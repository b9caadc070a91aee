// Why the server refused an interview, field by field, in the dashboard's language: the reason
// the server keeps (its English problems joined) read back into codes by src/core/record, each
// worded here, French first, English second; words core does not recognise stay as they are.
import type { RecordProblem, RecordProblemCode } from '../core/record/problems.ts';
import { readRecordReason, validationWords } from '../core/record/problems.ts';
import type { DashboardLanguage } from './text.ts';

type Params = Readonly<Record<string, string>>;
type Words = {
  readonly [C in RecordProblemCode]: (p: Params, language: DashboardLanguage) => string;
};

const p = (params: Params, name: string) => params[name] ?? '';

const UNDETERMINED_EN =
  ' (undetermined: it reads a non-response and could give more than one value)';

function expected(params: Params, language: DashboardLanguage): string {
  const value = p(params, 'expected');
  if (language === 'en' || !value.endsWith(UNDETERMINED_EN)) return value;
  return `${value.slice(0, -UNDETERMINED_EN.length)} (indéterminé : il lit une non-réponse et pourrait donner plus d’une valeur)`;
}

const STATUS_FR: Readonly<Record<string, string>> = {
  completed: 'complet',
  'broken-off': 'interrompu',
  broken_off: 'interrompu',
  screened_out: 'exclu',
};
const FORM_FR: Readonly<Record<string, string>> = {
  'a band code': 'un code de tranche',
  year: 'l’année',
  month: 'le mois',
};

const FR: Words = {
  record_version: (v) =>
    `l’entretien est celui de ${p(v, 'questionnaire')} ${p(v, 'version')}, pas de ${p(v, 'expectedQuestionnaire')} ${p(v, 'expectedVersion')}`,
  invalid_record: (v) => `l’entretien n’a pas la forme attendue (${p(v, 'detail')})`,
  wrong_site: (v) =>
    `mauvais site : cette tablette est enregistrée pour ${p(v, 'site')}, l’entretien indique ${p(v, 'recordSite')}`,
  unknown_version: (v) =>
    `version de questionnaire inconnue du serveur : ${p(v, 'questionnaire')} ${p(v, 'version')}`,
  no_such_question: (v) =>
    `cette question n’existe pas dans ${p(v, 'questionnaire')} ${p(v, 'version')}`,
  identifying: () => 'une donnée identifiante ne doit jamais quitter la tablette',
  not_asked: () => 'la question n’était pas posée, vu les autres réponses',
  coarsened_form: (v) =>
    `la réponse devait arriver regroupée (${FORM_FR[p(v, 'form')] ?? p(v, 'form')})`,
  answer: (v, language) => validationWords(v, language) ?? `réponse refusée : ${p(v, 'detail')}`,
  not_a_date: (v) => `${p(v, 'value')} n’est pas une date et une heure qui existent`,
  ended_before_started: (v) => `${p(v, 'value')} est avant le début de l’entretien`,
  before_earliest: (v) => `${p(v, 'value')} est avant le ${p(v, 'earliest')}`,
  too_long: () => 'l’entretien aurait duré plus de 31 jours',
  after_server_time: (v) => `${p(v, 'value')} est plus d’un jour après l’heure du serveur`,
  duration_differs: (v) =>
    `la tablette indique ${p(v, 'sent')} s, ses dates donnent ${p(v, 'computed')} s`,
  not_a_language: (v) => `${p(v, 'value')} n’est pas une langue de cette version`,
  calculation_implausible: (v) => `${p(v, 'value')} n’est pas une valeur possible de ce calcul`,
  calculation_missing: (v, language) =>
    `il manque ; le questionnaire donne ${expected(v, language)}`,
  calculation_differs: (v, language) =>
    `la tablette indique ${p(v, 'sent')}, le questionnaire donne ${expected(v, language)}`,
  not_a_calculation: () => 'ce calcul ne peut pas figurer dans cet entretien',
  not_an_alert: (v) => `${p(v, 'value')} n’est pas une alerte de cette version`,
  listed_twice: (v) => `${p(v, 'value')} figure deux fois`,
  alert_missing: (v) => `l’alerte ${p(v, 'alert')} se déclenche vu les réponses, mais elle manque`,
  screen_out_unexpected: (v) =>
    `un entretien ${STATUS_FR[p(v, 'status')] ?? p(v, 'status')} n’a pas de motif d’exclusion`,
  screen_out_holds: (v) =>
    `entretien ${STATUS_FR[p(v, 'status')] ?? p(v, 'status')}, mais l’exclusion ${p(v, 'screenOut')} s’applique vu les réponses`,
  screen_out_missing: () => 'un entretien exclu doit en donner le motif',
  not_a_screen_out: (v) => `${p(v, 'value')} n’est pas un motif d’exclusion de cette version`,
  screen_out_not_holding: (v) =>
    `l’exclusion ${p(v, 'screenOut')} ne s’applique pas, vu les réponses`,
  not_within: (v) => `${p(v, 'value')} n’est pas entre le début et la fin de l’entretien`,
  break_off_unexpected: () => 'seul un entretien interrompu en a une',
  break_off_missing: () => 'un entretien interrompu dit où et pourquoi il s’est arrêté',
  not_an_item_of: (v) =>
    `${p(v, 'value')} n’est pas une question de ${p(v, 'questionnaire')} ${p(v, 'version')}`,
  raised_not_listed: (v) =>
    `l’alerte ${p(v, 'alert')} s’est déclenchée mais n’est pas dans la liste des alertes`,
  raised_out_of_order: () => 'avant l’alerte qui la précède dans la liste',
  acknowledged_before_raised: () => 'avant le déclenchement de l’alerte',
  action_twice: () => 'une action figure deux fois',
  never_raised: (v) =>
    `l’alerte ${p(v, 'alert')} est dans la liste mais ne s’est jamais déclenchée`,
  paradata_not_an_item: () => 'ce n’est pas une question de cette version',
  paradata_device_only: () => 'ce temps trahirait une réponse qui ne quitte jamais la tablette',
  income_bands_item: (v) =>
    `ce n’est pas une question à choix unique de cette version avec les codes 1 à ${p(v, 'count')}`,
  income_band_above: (v) =>
    `${p(v, 'value')} n’est pas l’une des ${p(v, 'count')} tranches de revenus montrées`,
  unknown_label_pack: (v) =>
    `la révision ${p(v, 'revision')} d’un pack « ${p(v, 'language')} » de ce site et de cette version est inconnue`,
};

const EN: Words = {
  record_version: (v) =>
    `the interview is one of ${p(v, 'questionnaire')} ${p(v, 'version')}, not of ${p(v, 'expectedQuestionnaire')} ${p(v, 'expectedVersion')}`,
  invalid_record: (v) => `the interview does not have the expected form (${p(v, 'detail')})`,
  wrong_site: (v) =>
    `wrong site: this tablet is enrolled for ${p(v, 'site')}, the interview says ${p(v, 'recordSite')}`,
  unknown_version: (v) =>
    `questionnaire version unknown to the server: ${p(v, 'questionnaire')} ${p(v, 'version')}`,
  no_such_question: (v) =>
    `there is no such question in ${p(v, 'questionnaire')} ${p(v, 'version')}`,
  identifying: () => 'identifying data must never leave the tablet',
  not_asked: () => 'the question was not asked, given the other answers',
  coarsened_form: (v) => `the answer should have come grouped (${p(v, 'form')})`,
  answer: (v, language) => validationWords(v, language) ?? `answer refused: ${p(v, 'detail')}`,
  not_a_date: (v) => `${p(v, 'value')} is not a date and time that exists`,
  ended_before_started: (v) => `${p(v, 'value')} is before the interview’s start`,
  before_earliest: (v) => `${p(v, 'value')} is before ${p(v, 'earliest')}`,
  too_long: () => 'the interview would have lasted more than 31 days',
  after_server_time: (v) => `${p(v, 'value')} is more than a day after the server’s time`,
  duration_differs: (v) =>
    `the tablet says ${p(v, 'sent')} s, its dates give ${p(v, 'computed')} s`,
  not_a_language: (v) => `${p(v, 'value')} is not a language of this version`,
  calculation_implausible: (v) => `${p(v, 'value')} is not a value this calculation can take`,
  calculation_missing: (v, language) => `missing; the questionnaire gives ${expected(v, language)}`,
  calculation_differs: (v, language) =>
    `the tablet says ${p(v, 'sent')}, the questionnaire gives ${expected(v, language)}`,
  not_a_calculation: () => 'this calculation cannot be in this interview',
  not_an_alert: (v) => `${p(v, 'value')} is not an alert of this version`,
  listed_twice: (v) => `${p(v, 'value')} is listed twice`,
  alert_missing: (v) => `alert ${p(v, 'alert')} holds given the answers, but it is missing`,
  screen_out_unexpected: (v) => `a ${p(v, 'status')} interview has no screen-out`,
  screen_out_holds: (v) =>
    `${p(v, 'status')}, but the screen-out ${p(v, 'screenOut')} holds given the answers`,
  screen_out_missing: () => 'a screened-out interview says why',
  not_a_screen_out: (v) => `${p(v, 'value')} is not a screen-out of this version`,
  screen_out_not_holding: (v) =>
    `the screen-out ${p(v, 'screenOut')} does not hold, given the answers`,
  not_within: (v) => `${p(v, 'value')} is not between the interview’s start and end`,
  break_off_unexpected: () => 'only a broken-off interview has one',
  break_off_missing: () => 'a broken-off interview says where and why it stopped',
  not_an_item_of: (v) =>
    `${p(v, 'value')} is not a question of ${p(v, 'questionnaire')} ${p(v, 'version')}`,
  raised_not_listed: (v) => `alert ${p(v, 'alert')} was raised but is not in the alerts`,
  raised_out_of_order: () => 'before the alert listed before it',
  acknowledged_before_raised: () => 'before the alert was raised',
  action_twice: () => 'an action is listed twice',
  never_raised: (v) => `alert ${p(v, 'alert')} is in the alerts but was never raised`,
  paradata_not_an_item: () => 'not a question of this version',
  paradata_device_only: () => 'its time would tell of an answer that never leaves the tablet',
  income_bands_item: (v) =>
    `not a single choice of this version with the codes 1 to ${p(v, 'count')}`,
  income_band_above: (v) =>
    `${p(v, 'value')} is not one of the ${p(v, 'count')} income bands shown`,
  unknown_label_pack: (v) =>
    `revision ${p(v, 'revision')} of a “${p(v, 'language')}” pack of this site and version is unknown`,
};

/** The words of every code, by language (the tests check that none is missing). */
export const RECORD_WORDS: Readonly<Record<DashboardLanguage, Words>> = { fr: FR, en: EN };

const FIELDS: Readonly<Record<DashboardLanguage, Readonly<Record<string, string>>>> = {
  fr: {
    startedAt: 'Début',
    endedAt: 'Fin',
    durationSeconds: 'Durée',
    language: 'Langue',
    alerts: 'Alertes',
    alertEvents: 'Historique des alertes',
    screenOutId: 'Motif d’exclusion',
    status: 'Statut',
    breakOff: 'Interruption',
    'breakOff.itemId': 'Question de l’interruption',
    'breakOff.at': 'Heure de l’interruption',
    'paradata.languages': 'Langues utilisées',
    'incomeBands.item': 'Tranches de revenus',
    id: 'identifiant',
    raisedAt: 'déclenchement',
    acknowledgedAt: 'prise en compte',
    actions: 'actions',
    answers: 'Question {id}',
    computed: 'Calcul {id}',
    itemSeconds: 'Temps passé sur {id}',
    alert: 'Alerte n° {n}',
  },
  en: {
    startedAt: 'Start',
    endedAt: 'End',
    durationSeconds: 'Duration',
    language: 'Language',
    alerts: 'Alerts',
    alertEvents: 'Alert history',
    screenOutId: 'Screen-out',
    status: 'Status',
    breakOff: 'Break-off',
    'breakOff.itemId': 'Break-off question',
    'breakOff.at': 'Break-off time',
    'paradata.languages': 'Languages used',
    'incomeBands.item': 'Income bands',
    id: 'id',
    raisedAt: 'raised',
    acknowledgedAt: 'acknowledged',
    actions: 'actions',
    answers: 'Question {id}',
    computed: 'Calculation {id}',
    itemSeconds: 'Time spent on {id}',
    alert: 'Alert {n}',
  },
};

/** A record's field in the coordinator's words (`answers.q1`: "Question q1"). */
function fieldName(field: string, language: DashboardLanguage): string {
  const names = FIELDS[language];
  const named = (key: string, values: Params) =>
    (names[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  let match: RegExpExecArray | null;
  if ((match = /^answers\.(.+)$/.exec(field))) return named('answers', { id: match[1] ?? '' });
  if ((match = /^computed\.(.+)$/.exec(field))) return named('computed', { id: match[1] ?? '' });
  if ((match = /^paradata\.itemSeconds\.(.+)$/.exec(field)))
    return named('itemSeconds', { id: match[1] ?? '' });
  if ((match = /^alertEvents\[(\d+)\](?:\.(\w+))?$/.exec(field))) {
    const alert = named('alert', { n: String(Number(match[1]) + 1) });
    return match[2] === undefined ? alert : `${alert} (${names[match[2]] ?? match[2]})`;
  }
  return names[field] ?? field;
}

/**
 * One problem in the dashboard's language (`fr`, or `en`): its field, then what is wrong. A
 * problem core could not read (`unknown`) keeps the server's English words.
 */
export function recordProblemText(problem: RecordProblem, language: string): string {
  const lang: DashboardLanguage = language === 'en' ? 'en' : 'fr';
  if (problem.code === 'unknown') return problem.message;
  const words = RECORD_WORDS[lang][problem.code](problem.params, lang);
  if (problem.field === '') return words;
  return `${fieldName(problem.field, lang)}${lang === 'en' ? ': ' : ' : '}${words}`;
}

/** A refused record's reason, as the server keeps it, one worded problem per entry. */
export function refusedReasonTexts(reason: string, language: string): string[] {
  return readRecordReason(reason).map((problem) => recordProblemText(problem, language));
}

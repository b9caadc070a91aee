// The words of the screens reached from home (sending, pick-up point, the tablet's export), French
// first, English second. Kept apart from ui-text.ts so that they load with those screens, not with
// the app's first screen (the initial bundle stays within its budget).
import { useUiLanguage } from './ui-text.ts';
import type { UiLanguage } from './ui-text.ts';

const fr = {
  exportData: 'Exporter les données de la tablette',
  exportTitle: 'Export des données de la tablette',
  exportIntro:
    'En secours, quand le réseau manque pendant des jours : les entretiens complets de cette tablette en fichier CSV, tels que le serveur les exporterait (anonymisés), avec le dictionnaire des variables et la liste des exclus. Les entretiens d’entraînement n’y sont jamais.',
  exportCounts:
    '{completed} entretiens complets, {screenedOut} exclus ou refusés sur cette tablette.',
  exportQuestionnaire: 'Questionnaire',
  exportFormat: 'Format',
  exportFormatExcel: 'Excel en français (« ; », virgule décimale)',
  exportFormatStandard: 'R, Stata, SPSS, Epi Info (« , », point décimal)',
  exportValues: 'Réponses',
  exportCodes: 'codes',
  exportLabels: 'libellés',
  exportLanguage: 'Langue des libellés',
  exportInterviews: 'Entretiens complets (CSV)',
  exportCodebook: 'Dictionnaire des variables (CSV)',
  exportScreenOuts: 'Exclus et refusés (CSV)',
  exportProgress: 'Préparation du fichier : {done} / {total} entretiens',
  exportDone: '{file} : {rows} entretiens.',
  exportSkipped: '{count} entretiens n’ont pas pu être exportés : {reasons}',
  exportFailed: 'L’export a échoué : {message}',
  syncProblems: {
    offline:
      'Pas de réseau : les entretiens restent sur la tablette et partiront au retour du réseau.',
    unreachable:
      'Serveur injoignable : la tablette a du réseau mais le serveur ne répond pas. Les entretiens restent sur la tablette et partiront au prochain essai ; si cela dure, prévenez votre coordinateur·rice.',
    revoked:
      'Cette tablette n’est plus autorisée : demandez un nouveau code à votre coordinateur·rice.',
    server_error:
      'Le serveur a rencontré une erreur : les entretiens restent sur la tablette et partiront au prochain essai. Si cela dure, prévenez votre coordinateur·rice.',
    too_large:
      'Le serveur refuse un envoi trop volumineux : les entretiens restent sur la tablette. Prévenez votre coordinateur·rice (limite de taille du serveur).',
    rate_limited:
      'Le serveur reçoit trop d’envois en ce moment : les entretiens restent sur la tablette et partiront dans quelques minutes.',
    rejected:
      'Le serveur a refusé la demande : l’application est peut-être à mettre à jour. Les entretiens restent sur la tablette ; prévenez votre coordinateur·rice.',
    unexpected_answer:
      'Réponse inattendue du serveur : l’application ou le serveur n’est peut-être pas à jour. Les entretiens restent sur la tablette ; prévenez votre coordinateur·rice.',
    device_storage:
      'La tablette n’a pas pu lire ou écrire ses données : fermez puis rouvrez l’application. Si cela se répète, prévenez votre coordinateur·rice.',
    unknown:
      'La dernière synchronisation a échoué : les entretiens restent sur la tablette et partiront au prochain essai.',
  },
  pickupTitle: 'Lieu d’enquête',
  pickupQuestion: 'Où se passe cet entretien ?',
  pickupLast: 'dernier lieu',
  pickupOther: 'Autre lieu…',
  pickupTyped: 'Nom du lieu',
  pickupNoList:
    'Pas de liste des lieux du site sur cette tablette (elle vient avec la synchronisation) : écrivez le lieu où vous êtes.',
  pickupStart: 'Commencer l’entretien',
  pickupMissing: 'Choisissez le lieu d’enquête.',
  pickupMissingText: 'Écrivez le nom du lieu.',
  pickupStartFailed: 'L’entretien n’a pas pu être créé sur la tablette. Réessayez.',
  pickupAt: 'lieu : {place}',
} as const;

type HomeTexts = {
  readonly [K in keyof typeof fr]: (typeof fr)[K] extends string
    ? string
    : { readonly [R in keyof (typeof fr)[K]]: string };
};

const en: HomeTexts = {
  exportData: 'Export the tablet’s data',
  exportTitle: 'Export of the tablet’s data',
  exportIntro:
    'A fallback when there is no network for days: this tablet’s completed interviews as a CSV file, as the server would export them (anonymised), with the codebook and the list of people screened out. Practice interviews are never in it.',
  exportCounts:
    '{completed} completed interviews, {screenedOut} screened out or turned away on this tablet.',
  exportQuestionnaire: 'Questionnaire',
  exportFormat: 'Format',
  exportFormatExcel: 'Excel in French (";", decimal comma)',
  exportFormatStandard: 'R, Stata, SPSS, Epi Info (",", decimal point)',
  exportValues: 'Answers',
  exportCodes: 'codes',
  exportLabels: 'labels',
  exportLanguage: 'Language of labels',
  exportInterviews: 'Completed interviews (CSV)',
  exportCodebook: 'Codebook (CSV)',
  exportScreenOuts: 'Screened out and turned away (CSV)',
  exportProgress: 'Preparing the file: {done} / {total} interviews',
  exportDone: '{file}: {rows} interviews.',
  exportSkipped: '{count} interviews could not be exported: {reasons}',
  exportFailed: 'The export failed: {message}',
  syncProblems: {
    offline: 'No network: interviews stay on the tablet and will be sent when the network is back.',
    unreachable:
      'Server unreachable: the tablet has a network but the server does not answer. Interviews stay on the tablet and will go at the next try; if this lasts, tell your coordinator.',
    revoked: 'This tablet is no longer authorised: ask your coordinator for a new code.',
    server_error:
      'The server had an error: interviews stay on the tablet and will go at the next try. If this lasts, tell your coordinator.',
    too_large:
      'The server refuses an upload as too large: interviews stay on the tablet. Tell your coordinator (the server’s size limit).',
    rate_limited:
      'The server is receiving too many uploads right now: interviews stay on the tablet and will go in a few minutes.',
    rejected:
      'The server refused the request: the app may need updating. Interviews stay on the tablet; tell your coordinator.',
    unexpected_answer:
      'Unexpected answer from the server: the app or the server may not be up to date. Interviews stay on the tablet; tell your coordinator.',
    device_storage:
      'The tablet could not read or write its data: close and reopen the app. If this happens again, tell your coordinator.',
    unknown: 'The last sync failed: interviews stay on the tablet and will go at the next try.',
  },
  pickupTitle: 'Pick-up point',
  pickupQuestion: 'Where does this interview take place?',
  pickupLast: 'last place',
  pickupOther: 'Other place…',
  pickupTyped: 'Name of the place',
  pickupNoList:
    'No list of the site’s places on this tablet (it comes with sync): type the place where you are.',
  pickupStart: 'Start the interview',
  pickupMissing: 'Choose the pick-up point.',
  pickupMissingText: 'Type the name of the place.',
  pickupStartFailed: 'The interview could not be created on the tablet. Try again.',
  pickupAt: 'place: {place}',
};

export const HOME_TEXT: Readonly<Record<UiLanguage, HomeTexts>> = { fr, en };

/** The words in the interface's language (the one `UiTextContext` gives). */
export function useHomeText(): HomeTexts {
  return HOME_TEXT[useUiLanguage()];
}

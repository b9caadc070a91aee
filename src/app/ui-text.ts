// The interface's own words, French first, English second (the questionnaire's wording comes
// from its definition). Words follow the field's usage (shared/GLOSSARY.md).
import { createContext, useContext } from 'react';

export type UiLanguage = 'fr' | 'en';

const fr = {
  appName: 'SMPG Collecte',
  loading: 'Chargement…',
  setupTitle: 'Première utilisation de la tablette',
  setupIntro:
    'Indiquez le site d’enquête et votre code enquêteur. Ils seront enregistrés avec chaque entretien.',
  site: 'Site d’enquête',
  interviewer: 'Code enquêteur·rice',
  helpline: 'Numéro d’aide à donner en cas de risque suicidaire',
  save: 'Enregistrer',
  fieldRequired: 'Ce champ est obligatoire.',
  codeFormat: 'Lettres, chiffres, tiret ou soulignement, 2 à 32 caractères.',
  home: 'Accueil',
  newInterview: 'Nouvel entretien',
  questionnaire: 'Questionnaire',
  version: 'version',
  drafts: 'Entretiens en cours',
  noDrafts: 'Aucun entretien en cours.',
  resume: 'Reprendre',
  lastItem: 'dernière question',
  startedAgo: 'commencé',
  completedToday: 'Complets aujourd’hui',
  completedTotal: 'Complets au total',
  practiceMode: 'Mode entraînement',
  practiceHelp: 'Les entretiens d’entraînement ne comptent pas et ne quittent jamais la tablette.',
  practiceBanner: 'ENTRAÎNEMENT — cet entretien ne compte pas',
  storage: 'Stockage',
  storagePersisted: 'protégé contre l’effacement automatique',
  storageNotPersisted: 'non protégé : le navigateur pourrait l’effacer s’il manque de place',
  storageUnknown: 'état inconnu',
  storageUsed: 'utilisé',
  storageFree: 'libre',
  updateAvailable: 'Une nouvelle version de l’application est prête.',
  updateNow: 'Mettre à jour',
  offlineReady: 'L’application fonctionne maintenant hors connexion.',
  interfaceLanguage: 'Langue de l’interface',
  interviewLanguage: 'Langue de l’entretien',
  next: 'Suivant',
  back: 'Précédent',
  dontKnow: 'Ne sait pas',
  refused: 'Refus de répondre',
  nonResponseGroup: 'Non-réponse',
  clearAnswer: 'Effacer la réponse',
  progress: 'Avancement : {percent} %',
  instruction: 'Consigne',
  readAloud: 'À lire',
  review: 'Vérification avant de terminer',
  reviewIntro: 'Vérifiez les réponses. Touchez une question pour la modifier.',
  notAnswered: 'sans réponse',
  complete: 'Terminer l’entretien',
  cannotComplete: 'Il reste des réponses à donner ou à corriger :',
  abandon: 'Abandonner',
  abandonTitle: 'Abandonner cet entretien ?',
  abandonReason: 'Raison de l’abandon',
  abandonReasons: {
    respondent_stopped: 'La personne a souhaité arrêter',
    interrupted: 'Entretien interrompu',
    wrong_person: 'Personne non éligible découverte en cours',
    other: 'Autre raison',
  },
  confirmAbandon: 'Confirmer l’abandon',
  cancel: 'Annuler',
  alertAcknowledge: 'J’ai appliqué le protocole, continuer',
  screenedOutTitle: 'L’entretien s’arrête ici',
  screenedOutText: 'Remerciez la personne pour sa disponibilité. Motif (pour vous) :',
  completedTitle: 'Entretien terminé',
  completedText: 'Merci. L’entretien est enregistré sur la tablette.',
  abandonedTitle: 'Entretien abandonné',
  backHome: 'Retour à l’accueil',
  saveError: 'La réponse n’a pas pu être enregistrée sur la tablette. Réessayez.',
  loadError: 'Impossible d’ouvrir cet entretien.',
  noQuestionnaire: 'Aucun questionnaire installé. Connectez la tablette une fois pour les charger.',
  settings: 'Réglages',
  interviewerLabel: 'Enquêteur·rice',
  siteLabel: 'Site',
  quotas: 'Quotas',
  quotaBoard: 'Tableau des quotas',
  sampleSize: 'échantillon',
  tolerance: 'tolérance',
  quotaDeviceOnly:
    'Chiffres de cette tablette (entretiens complets, hors entraînement). Les totaux du site viendront avec la synchronisation.',
  quotaVariables: {
    sex: 'Sexe',
    age: 'Tranche d’âge',
    csp: 'Catégorie socioprofessionnelle',
    diploma: 'Diplôme le plus élevé',
  },
  quotaHeatmap: 'Réalisés / objectif par case',
  quotaMine: 'vous',
  quotaScreenedOut: 'refusés (quota atteint)',
  quotaFullTitle: 'Quota atteint',
  quotaFullText:
    'Le quota est déjà atteint pour cette personne. Remerciez-la : l’entretien s’arrête ici. Case(s) complète(s) :',
  quotaNearlyFull: 'Quota presque atteint pour :',
  quotaPlan: 'Plan de quotas',
  importPlan: 'Importer un plan de quotas (fichier JSON)',
  planImported: 'Plan de quotas enregistré pour le site {site} ({size} entretiens).',
  planInvalid: 'Ce fichier n’est pas un plan de quotas valide :',
  noPlan: 'Aucun plan de quotas : les quotas ne sont pas vérifiés.',
  noAllocation:
    'Ce plan répartit les quotas entre enquêteurs et ne vous attribue aucune part : toute personne sera refusée. Demandez une part à votre coordinateur·rice.',
  enrolTitle: 'Enregistrer la tablette',
  enrolIntro:
    'La coordination vous donne un code à usage unique. La tablette l’échange contre sa clé d’accès au serveur ; le site d’enquête vient du serveur.',
  serverUrl: 'Adresse du serveur',
  serverUrlInvalid: 'Une adresse web, par exemple https://collecte.exemple.fr',
  enrolCode: 'Code d’enregistrement',
  enrolCodeHelp: 'Huit lettres et chiffres, par exemple ABCD-2345.',
  enrolCodeInvalid: 'Le code a la forme ABCD-2345 (lettres et chiffres).',
  enrol: 'Enregistrer la tablette',
  enrolling: 'Enregistrement…',
  enrolFailed: 'L’enregistrement a échoué :',
  enrolUnreachable: 'Serveur injoignable. Vérifiez l’adresse et la connexion, puis réessayez.',
  enrolOtherOrigin:
    'Le serveur {url} n’a pas répondu. Cette application ne s’enregistre qu’auprès du serveur qui l’a chargée ({origin}) : ouvrez plutôt l’adresse du bon serveur dans le navigateur de la tablette, ou scannez le QR code du coordinateur·rice.',
  enrolBadCode:
    'Ce code est inconnu, déjà utilisé ou expiré : demandez un nouveau code à votre coordinateur·rice.',
  enrolFromLink:
    'Adresse du serveur et code repris du lien ou du QR code : complétez votre code enquêteur et le numéro d’aide.',
  useWithoutServer: 'Utiliser sans serveur',
  useWithoutServerHelp:
    'Démonstration ou formation : les entretiens restent sur la tablette et ne sont jamais envoyés.',
  enrolInstead: 'Enregistrer la tablette auprès d’un serveur',
  siteFromServer: 'Le site vient du serveur où la tablette est enregistrée.',
  sync: 'Envoi des entretiens',
  syncNow: 'Synchroniser maintenant',
  syncRunning: 'Synchronisation en cours…',
  syncWaiting: 'En attente d’envoi',
  syncLast: 'Dernière synchronisation réussie',
  syncLastAttempt: 'Dernière tentative',
  syncNever: 'jamais',
  syncRetryAt: 'Nouvel essai automatique vers {time}.',
  syncNoServer: 'Tablette utilisée sans serveur : les entretiens restent sur la tablette.',
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
  syncRefused:
    '{count} entretien(s) refusé(s) par le serveur : ils restent sur la tablette et ne seront pas renvoyés. Montrez le motif à votre coordinateur·rice.',
  syncRefusedList: 'Entretiens refusés et motifs',
  details: 'Détails',
  reenrol: 'Réenregistrer la tablette',
  syncKept: 'Les entretiens envoyés restent aussi sur la tablette.',
  todayInterviews: 'Entretiens d’aujourd’hui',
  noInterviewToday: 'Aucun entretien terminé aujourd’hui.',
  syncStates: {
    waiting: 'en attente',
    sent: 'envoyé',
    refused: 'refusé par le serveur',
    conflict: 'en conflit',
    local: 'reste sur la tablette',
  },
  statusCompleted: 'complet',
  statusScreenedOut: 'non éligible',
  quotaSiteCounts:
    'Chiffres du site reçus du serveur le {time}, plus les entretiens de cette tablette pas encore comptés.',
} as const;

type Texts = {
  readonly [K in keyof typeof fr]: (typeof fr)[K] extends string
    ? string
    : { readonly [R in keyof (typeof fr)[K]]: string };
};

const en: Texts = {
  appName: 'SMPG Collect',
  loading: 'Loading…',
  setupTitle: 'First use of this tablet',
  setupIntro:
    'Enter the survey site and your interviewer code. They are saved with every interview.',
  site: 'Survey site',
  interviewer: 'Interviewer code',
  helpline: 'Helpline number to give when suicide risk is high',
  save: 'Save',
  fieldRequired: 'This field is required.',
  codeFormat: 'Letters, digits, dash or underscore, 2 to 32 characters.',
  home: 'Home',
  newInterview: 'New interview',
  questionnaire: 'Questionnaire',
  version: 'version',
  drafts: 'Interviews in progress',
  noDrafts: 'No interview in progress.',
  resume: 'Resume',
  lastItem: 'last question',
  startedAgo: 'started',
  completedToday: 'Completed today',
  completedTotal: 'Completed in all',
  practiceMode: 'Practice mode',
  practiceHelp: 'Practice interviews never count and never leave the tablet.',
  practiceBanner: 'PRACTICE — this interview does not count',
  storage: 'Storage',
  storagePersisted: 'protected from automatic deletion',
  storageNotPersisted: 'not protected: the browser might delete it when space runs low',
  storageUnknown: 'unknown state',
  storageUsed: 'used',
  storageFree: 'free',
  updateAvailable: 'A new version of the app is ready.',
  updateNow: 'Update',
  offlineReady: 'The app now works offline.',
  interfaceLanguage: 'Interface language',
  interviewLanguage: 'Interview language',
  next: 'Next',
  back: 'Back',
  dontKnow: 'Don’t know',
  refused: 'Refused',
  nonResponseGroup: 'Non-response',
  clearAnswer: 'Clear the answer',
  progress: 'Progress: {percent}%',
  instruction: 'Instruction',
  readAloud: 'Read aloud',
  review: 'Check before finishing',
  reviewIntro: 'Check the answers. Tap a question to change it.',
  notAnswered: 'no answer',
  complete: 'Finish the interview',
  cannotComplete: 'Some answers are still missing or need correcting:',
  abandon: 'Abandon',
  abandonTitle: 'Abandon this interview?',
  abandonReason: 'Reason',
  abandonReasons: {
    respondent_stopped: 'The person wanted to stop',
    interrupted: 'Interview interrupted',
    wrong_person: 'Found not eligible during the interview',
    other: 'Other reason',
  },
  confirmAbandon: 'Confirm',
  cancel: 'Cancel',
  alertAcknowledge: 'I applied the protocol, continue',
  screenedOutTitle: 'The interview ends here',
  screenedOutText: 'Thank the person for their time. Reason (for you):',
  completedTitle: 'Interview completed',
  completedText: 'Thank you. The interview is saved on the tablet.',
  abandonedTitle: 'Interview abandoned',
  backHome: 'Back to home',
  saveError: 'The answer could not be saved on the tablet. Try again.',
  loadError: 'This interview cannot be opened.',
  noQuestionnaire: 'No questionnaire installed. Connect the tablet once to load them.',
  settings: 'Settings',
  interviewerLabel: 'Interviewer',
  siteLabel: 'Site',
  quotas: 'Quotas',
  quotaBoard: 'Quota board',
  sampleSize: 'sample',
  tolerance: 'tolerance',
  quotaDeviceOnly:
    'Figures of this tablet (completed interviews, practice excluded). Site totals will come with sync.',
  quotaVariables: {
    sex: 'Sex',
    age: 'Age band',
    csp: 'Socio-professional group',
    diploma: 'Highest diploma',
  },
  quotaHeatmap: 'Done / target per cell',
  quotaMine: 'you',
  quotaScreenedOut: 'turned away (quota full)',
  quotaFullTitle: 'Quota full',
  quotaFullText:
    'The quota is already full for this person. Thank them: the interview ends here. Full cell(s):',
  quotaNearlyFull: 'Quota nearly full for:',
  quotaPlan: 'Quota plan',
  importPlan: 'Import a quota plan (JSON file)',
  planImported: 'Quota plan saved for site {site} ({size} interviews).',
  planInvalid: 'This file is not a valid quota plan:',
  noPlan: 'No quota plan: quotas are not checked.',
  noAllocation:
    'This plan shares the quotas among interviewers and gives you no share: every respondent will be turned away. Ask your coordinator for a share.',
  enrolTitle: 'Enrol this tablet',
  enrolIntro:
    'The coordination gives you a one-time code. The tablet trades it for its access key to the server; the survey site comes from the server.',
  serverUrl: 'Server address',
  serverUrlInvalid: 'A web address, for example https://collect.example.org',
  enrolCode: 'Enrolment code',
  enrolCodeHelp: 'Eight letters and digits, for example ABCD-2345.',
  enrolCodeInvalid: 'The code looks like ABCD-2345 (letters and digits).',
  enrol: 'Enrol this tablet',
  enrolling: 'Enrolling…',
  enrolFailed: 'Enrolment failed:',
  enrolUnreachable:
    'The server cannot be reached. Check the address and the connection, then try again.',
  enrolOtherOrigin:
    'The server {url} did not answer. This app enrols only with the server it was loaded from ({origin}): open the right server’s address in the tablet’s browser instead, or scan the coordinator’s QR code.',
  enrolBadCode:
    'This code is unknown, already used or expired: ask your coordinator for a new one.',
  enrolFromLink:
    'Server address and code taken from the link or QR code: add your interviewer code and the helpline number.',
  useWithoutServer: 'Use without a server',
  useWithoutServerHelp:
    'Demonstration or training: interviews stay on the tablet and are never sent.',
  enrolInstead: 'Enrol this tablet with a server',
  siteFromServer: 'The site comes from the server this tablet is enrolled with.',
  sync: 'Sending interviews',
  syncNow: 'Sync now',
  syncRunning: 'Syncing…',
  syncWaiting: 'Waiting to be sent',
  syncLast: 'Last successful sync',
  syncLastAttempt: 'Last attempt',
  syncNever: 'never',
  syncRetryAt: 'Next automatic try around {time}.',
  syncNoServer: 'Tablet used without a server: interviews stay on the tablet.',
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
  syncRefused:
    '{count} interview(s) refused by the server: they stay on the tablet and will not be sent again. Show the reason to your coordinator.',
  syncRefusedList: 'Refused interviews and reasons',
  details: 'Details',
  reenrol: 'Enrol the tablet again',
  syncKept: 'Interviews sent also stay on the tablet.',
  todayInterviews: 'Today’s interviews',
  noInterviewToday: 'No interview finished today.',
  syncStates: {
    waiting: 'waiting',
    sent: 'sent',
    refused: 'refused by the server',
    conflict: 'in conflict',
    local: 'stays on the tablet',
  },
  statusCompleted: 'completed',
  statusScreenedOut: 'not eligible',
  quotaSiteCounts:
    'Site figures received from the server on {time}, plus this tablet’s interviews not counted yet.',
};

export const UI_TEXT: Readonly<Record<UiLanguage, Texts>> = { fr, en };
export type UiTexts = Texts;

export const UiTextContext = createContext<Texts>(fr);

/** The interface's words in the chosen interface language. */
export function useUiText(): Texts {
  return useContext(UiTextContext);
}

/** Replaces `{name}` placeholders. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}

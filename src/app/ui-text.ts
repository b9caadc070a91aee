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

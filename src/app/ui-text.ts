// The interface's own words in French, the default, and how the app gets them in the tablet's
// interface language: English (ui-text-en.ts) loads on demand, as a tablet uses one language. The
// questionnaire's wording comes from its definition. Words follow the field's usage
// (shared/GLOSSARY.md).
import { createContext, useContext, useEffect, useState } from 'react';
import type { AlertAction, BreakOffReason } from './interview/interview-session.ts';

export type UiLanguage = 'fr' | 'en';

const fr = {
  appName: 'SMPG Collecte',
  loading: 'Chargement…',
  setupTitle: 'Première utilisation de la tablette',
  setupIntro:
    'Indiquez le site d’enquête et votre code enquêteur. Ils seront enregistrés avec chaque entretien.',
  site: 'Site d’enquête',
  interviewer: 'Code enquêteur·rice',
  setupNoServerHelpline:
    'Sans serveur, l’alerte de risque suicidaire donne le numéro national de prévention du suicide, 3114, et aucune personne à contacter : les réglages du site viennent du serveur.',
  setupSiteHelpline:
    'L’alerte de risque suicidaire donne le numéro {helpline} : la coordination du site le règle, avec les personnes à contacter, sur le serveur.',
  save: 'Enregistrer',
  settingsIntro: 'Votre code enquêteur·rice est enregistré avec chaque entretien.',
  fieldRequired: 'Obligatoire.',
  codeFormat:
    'Ce code ne convient pas : de 2 à 32 lettres sans accent, chiffres, tirets (-) ou tirets bas (_), sans espace.',
  siteHint:
    'De 2 à 32 lettres sans accent, chiffres, tirets (-) ou tirets bas (_), sans espace ; par exemple lille-2026.',
  interviewerHint:
    'Celui que la coordination vous a donné : de 2 à 32 lettres sans accent, chiffres, tirets (-) ou tirets bas (_) ; par exemple ENQ-07.',
  home: 'Accueil',
  newInterview: 'Nouvel entretien',
  questionnaire: 'Questionnaire',
  version: 'version',
  drafts: 'Entretiens en cours',
  noDrafts: 'Aucun entretien en cours.',
  resume: 'Reprendre',
  practiceMode: 'Mode entraînement',
  practiceHelp: 'Les entretiens d’entraînement ne comptent pas et ne quittent jamais la tablette.',
  practiceBanner: 'ENTRAÎNEMENT — cet entretien ne compte pas',
  storage: 'Stockage',
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
  notTranslated: 'en {language} : pas encore traduit',
  review: 'Vérification avant de terminer',
  reviewIntro: 'Vérifiez les réponses. Touchez une question pour la modifier.',
  notAnswered: 'sans réponse',
  complete: 'Terminer l’entretien',
  cannotComplete: 'Il reste des réponses à donner ou à corriger :',
  abandon: 'Arrêter l’entretien',
  abandonTitle: 'Abandonner cet entretien ?',
  abandonReason: 'Raison de l’abandon',
  abandonReasons: {
    respondent_stopped: 'La personne a souhaité arrêter',
    interrupted: 'Entretien interrompu',
    wrong_person: 'Personne non éligible découverte en cours',
    other: 'Autre raison',
  },
  confirmAbandon: 'Confirmer l’arrêt',
  breakOffTitle: 'Interrompre cet entretien ?',
  breakOffIntro:
    'Les réponses déjà données seront envoyées avec le motif, comme entretien interrompu : il ne compte pas dans les quotas.',
  breakOffReason: 'Raison de l’arrêt',
  // In the order of BREAK_OFF_REASONS (src/core/protocol): the dialog lists them so.
  breakOffReasons: {
    respondent_stopped: 'La personne a souhaité arrêter',
    respondent_unwell: 'La personne ne se sent pas bien',
    interviewer_stopped: 'L’enquêteur·rice a arrêté l’entretien',
    interrupted: 'Entretien interrompu (lieu, tiers, météo…)',
    other: 'Autre raison',
  } satisfies Record<BreakOffReason, string>,
  cancel: 'Annuler',
  alertAcknowledge: 'J’ai appliqué le protocole, continuer',
  alertActionsLegend: 'Ce que vous avez fait (cochez tout ce qui s’applique)',
  // In the order of ALERT_ACTIONS (src/core/protocol): the alert lists them so.
  alertActions: {
    helpline_given: 'Numéro d’aide donné à la personne',
    contact_called: 'Personne du protocole appelée',
    emergency_called: 'Secours appelés (15 ou 112)',
    supervisor_told: 'Superviseur·e prévenu·e',
    respondent_declined_help: 'La personne a refusé l’aide proposée',
  } satisfies Record<AlertAction, string>,
  alertHelpline: 'Numéro d’aide à donner',
  alertContacts: 'À appeler, dans cet ordre',
  screenedOutTitle: 'L’entretien s’arrête ici',
  screenedOutText: 'Remerciez la personne pour sa disponibilité. Motif (pour vous) :',
  completedTitle: 'Entretien terminé',
  completedText: 'Merci. L’entretien est enregistré sur la tablette.',
  abandonedTitle: 'Entretien abandonné',
  brokenOffTitle: 'Entretien interrompu',
  brokenOffText:
    'Les réponses données jusqu’ici sont enregistrées et seront envoyées avec le motif. L’entretien ne compte pas dans les quotas.',
  backHome: 'Retour à l’accueil',
  saveFailed:
    'L’enregistrement sur la tablette a échoué : l’entretien ne peut pas continuer tant que ce qui suit n’est pas enregistré.',
  storageFull:
    'La tablette est pleine : ce qui suit n’a pas pu être enregistré, et l’entretien ne peut pas continuer.',
  unsavedList: 'Pas encore enregistré :',
  unsavedProgress: 'l’avancement de l’entretien (question affichée, langue, alertes)',
  unsavedEnd: 'la fin de l’entretien : il n’est pas encore terminé',
  unsavedBlocks: 'Impossible de passer à la suite tant que ce n’est pas enregistré.',
  saveFailedAdvice:
    'Ne fermez pas l’application : ce qui a été saisi est gardé, et la tablette réessaie d’elle-même. Touchez « Réessayer » pour essayer tout de suite ; si cela dure, prévenez la coordination.',
  storageFullAdvice:
    'Ne fermez pas l’application et ne rechargez pas la page : ce qui a été saisi est gardé et sera enregistré dès qu’il y aura de la place. Libérez de l’espace sur la tablette (photos, vidéos, applications dont vous n’avez pas besoin), puis touchez « Réessayer ». Dès que la tablette a du réseau, envoyez les entretiens terminés.',
  saveRetry: 'Réessayer',
  saveRetrying: 'Nouvel essai…',
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
  quotaDoneOfTarget: 'Réalisés / objectif',
  quotaMine: 'vous',
  quotaScreenedOut: 'refusés (quota atteint)',
  quotaFullTitle: 'Quota atteint',
  quotaFullText:
    'Le quota est déjà atteint pour cette personne. Remerciez-la : l’entretien s’arrête ici. Case(s) complète(s) :',
  quotaNearlyFull: 'Quota presque atteint pour :',
  quotaPlan: 'Plan de quotas',
  noPlan: 'Aucun plan de quotas : les quotas ne sont pas vérifiés.',
  noAllocation:
    'Ce plan répartit les quotas entre enquêteurs et ne vous attribue aucune part : toute personne sera refusée. Demandez une part à votre coordinateur·rice.',
  enrolTitle: 'Enregistrer la tablette',
  enrolIntro:
    'La coordination vous donne un code à usage unique. La tablette l’échange contre sa clé d’accès au serveur ; le site d’enquête et ses réglages (dont le numéro d’aide de l’alerte) viennent du serveur.',
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
    'Adresse du serveur et code repris du lien ou du QR code : complétez votre code enquêteur.',
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
  statusBrokenOff: 'interrompu',
  quotaSiteCounts:
    'Chiffres du site reçus du serveur le {time}, plus les entretiens de cette tablette pas encore comptés.',
} as const;

type Texts = {
  readonly [K in keyof typeof fr]: (typeof fr)[K] extends string
    ? string
    : { readonly [R in keyof (typeof fr)[K]]: string };
};

export type UiTexts = Texts;
export const UI_TEXT_FR: UiTexts = fr;

/** The words the interface shows and their language (the home screens' words follow it). */
export interface UiText {
  readonly language: UiLanguage;
  readonly text: UiTexts;
}

const FRENCH: UiText = { language: 'fr', text: fr };
/** Set once the English module has loaded: from then on English is there at once. */
let english: UiText | undefined;

/** The words of `language`, loading the English module (precached, so offline too) if need be. */
export async function loadUiText(language: UiLanguage): Promise<UiTexts> {
  if (language === 'fr') return fr;
  english ??= { language: 'en', text: (await import('./ui-text-en.ts')).UI_TEXT_EN };
  return english.text;
}

/** The words of `language` if they need no loading. */
function readyText(language: UiLanguage): UiText | undefined {
  return language === 'fr' ? FRENCH : english;
}

/**
 * The words to show for the interface language `language`: French, or English once loaded, at
 * once. While English loads: undefined if nothing was shown yet (the app shows nothing rather than
 * French then English), else the words already shown (a change of language in the settings).
 */
export function useUiTextFor(language: UiLanguage): UiText | undefined {
  const [shown, setShown] = useState(() => readyText(language));
  useEffect(() => {
    if (readyText(language) !== undefined) return undefined;
    let cancelled = false;
    loadUiText(language).then(
      () => {
        if (!cancelled) setShown(readyText(language));
      },
      // A module that cannot load (an install without its precache): French, never a blank app.
      () => {
        if (!cancelled) setShown(FRENCH);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [language]);
  return readyText(language) ?? shown;
}

export const UiTextContext = createContext<UiText>(FRENCH);

/** The interface's words in the chosen interface language. */
export function useUiText(): UiTexts {
  return useContext(UiTextContext).text;
}

/** The chosen interface language, for words kept elsewhere (home-text.ts). */
export function useUiLanguage(): UiLanguage {
  return useContext(UiTextContext).language;
}

/** Replaces `{name}` placeholders. */
export { fill } from './components/plurals.ts';

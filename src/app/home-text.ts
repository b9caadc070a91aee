// The words of the home screen and of the screens reached from it (sending, pick-up point, the
// tablet's export), French first, English second; counted words in their singular and plural forms
// (components/plurals.ts picks one). Kept apart from ui-text.ts so that they load with those screens, not with
// the app's first screen (the initial bundle stays within its budget).
import { useUiLanguage } from './ui-text.ts';
import type { UiLanguage } from './ui-text.ts';

const fr = {
  exportData: 'Exporter les données de la tablette',
  exportTitle: 'Export des données de la tablette',
  exportIntro:
    'En secours, quand le réseau manque pendant des jours : les entretiens complets de cette tablette en fichier CSV, tels que le serveur les exporterait (anonymisés), avec le dictionnaire des variables et la liste des exclus. Les entretiens d’entraînement n’y sont jamais.',
  exportCounts: '{completed}, {screenedOut} sur cette tablette.',
  exportCompleted: { one: '{count} entretien complet', other: '{count} entretiens complets' },
  exportScreenedOut: { one: '{count} exclu ou refusé', other: '{count} exclus ou refusés' },
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
  exportProgress: {
    one: 'Préparation du fichier : {done} / {count} entretien',
    other: 'Préparation du fichier : {done} / {count} entretiens',
  },
  exportDone: { one: '{file} : {count} entretien.', other: '{file} : {count} entretiens.' },
  exportSkipped: {
    one: '{count} entretien n’a pas pu être exporté : {reasons}',
    other: '{count} entretiens n’ont pas pu être exportés : {reasons}',
  },
  exportFailed: 'L’export a échoué : {message}',
  backupButton: 'Sauvegarde',
  backupHelp:
    'En secours, quand le réseau manque : un fichier chiffré des entretiens que le serveur n’a pas encore reçus, à remettre à votre coordinateur·rice (clé USB, envoi), qui l’importe sur le tableau de bord. Seul le serveur peut le lire ; les entretiens restent aussi sur la tablette.',
  backupWorking: 'Préparation de la sauvegarde…',
  backupDone: {
    one: '{count} entretien sauvegardé dans le fichier {file} (dossier Téléchargements). Remettez-le à votre coordinateur·rice.',
    other:
      '{count} entretiens sauvegardés dans le fichier {file} (dossier Téléchargements). Remettez-le à votre coordinateur·rice.',
  },
  backupSkipped: {
    one: '{count} entretien n’a pas pu être sauvegardé : {reasons}',
    other: '{count} entretiens n’ont pas pu être sauvegardés : {reasons}',
  },
  backupNothing: 'Rien à sauvegarder : le serveur a reçu tous les entretiens.',
  backupNoKey:
    'Sauvegarde impossible pour l’instant : la tablette n’a pas encore reçu la clé du serveur. Elle la reçoit à la prochaine synchronisation avec du réseau.',
  backupNotEnrolled:
    'Cette tablette n’est pas enregistrée auprès d’un serveur : utilisez l’export des données.',
  backupFailed: 'La sauvegarde a échoué : {message}',
  syncProblems: {
    offline:
      'Pas de réseau : les entretiens restent sur la tablette et partiront au retour du réseau.',
    unreachable:
      'Le serveur ne répond pas (la tablette a pourtant du réseau) : les entretiens restent sur la tablette et partiront au prochain essai ; si cela dure, prévenez votre coordinateur·rice.',
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
  syncNote:
    'Rien n’attend d’être envoyé. La dernière mise à jour depuis le serveur (questionnaires, quotas, réglages du site) n’a pas abouti ; elle sera refaite au prochain essai.',
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
  storageProtected:
    'Les entretiens sont protégés : le navigateur ne les effacera pas pour faire de la place.',
  storageUnprotected:
    'Les entretiens ne sont pas encore protégés : si la tablette manque de place, le navigateur peut effacer ceux qui n’ont pas été envoyés.',
  storageUnprotectedTodo:
    'Pour les protéger, installez l’application sur l’écran d’accueil, ouvrez-la depuis son icône, puis touchez « {button} ».',
  storageUnknownState:
    'Ce navigateur ne dit pas s’il garde les entretiens : installez l’application sur l’écran d’accueil et envoyez les entretiens chaque jour.',
  storageProtect: 'Protéger les entretiens',
  storageRefused:
    'Le navigateur refuse pour l’instant. Installez l’application sur l’écran d’accueil, ouvrez-la depuis son icône et réessayez ; d’ici là, envoyez les entretiens chaque jour.',
  installTitle: 'Installer l’application sur l’écran d’accueil',
  installWhy:
    'Installée, l’application s’ouvre depuis son icône, même sans réseau, et le navigateur garde ses données.',
  installButton: 'Installer l’application',
  installIosShare:
    'Touchez le bouton Partager de Safari (le carré avec une flèche vers le haut : en haut sur iPad, en bas sur iPhone).',
  installIosAdd:
    'Choisissez « Sur l’écran d’accueil » (faites défiler la liste si besoin), puis « Ajouter ».',
  installIosOpen: 'Ouvrez l’application depuis sa nouvelle icône « SMPG » sur l’écran d’accueil.',
  installIosOpenSafari: 'Ouvrez d’abord cette adresse dans Safari : {url}',
  installMenu:
    'Dans le menu du navigateur (⋮ ou ☰), choisissez « Installer l’application » ou « Ajouter à l’écran d’accueil », puis ouvrez l’application depuis son icône.',
  installOpenIcon:
    'Application installée : ouvrez-la désormais depuis son icône sur l’écran d’accueil.',
  installDone: 'Application installée sur l’écran d’accueil.',
  enrolInstallFirst:
    'Sur iPad et iPhone, installez d’abord l’application, puis enregistrez la tablette dans l’application installée : elle ne partage pas ses données avec Safari, et une tablette enregistrée dans Safari y laisserait ses entretiens.',
  enrolContinueAnyway: 'Continuer quand même dans le navigateur',
  enrolNoteCode:
    'Notez ce code : l’application installée ne reçoit pas le lien, vous y taperez le code vous-même.',
  enrolContinueAnywayHelp:
    'Déconseillé : les entretiens resteraient dans le navigateur, qui peut les effacer après quelques jours sans visite.',
  warningUnsent: {
    one: '{count} entretien attend depuis plus d’un jour : connectez la tablette à Internet (Wi-Fi) puis touchez « {button} ». S’il ne part pas, prévenez votre coordinateur·rice.',
    other:
      '{count} entretiens attendent depuis plus d’un jour : connectez la tablette à Internet (Wi-Fi) puis touchez « {button} ». S’ils ne partent pas, prévenez votre coordinateur·rice.',
  },
  warningStorageFull:
    'La tablette est presque pleine (il reste {free}) : envoyez les entretiens pour les mettre à l’abri, libérez de la place sur la tablette (photos, vidéos, applications inutiles) et prévenez votre coordinateur·rice.',
  warningIdle: {
    one: 'L’application n’avait pas été ouverte depuis {count} jour.',
    other: 'L’application n’avait pas été ouverte depuis {count} jours.',
  },
  warningUnusedDeletion:
    'Dans le navigateur, les entretiens ne sont pas à l’abri : Safari efface les données d’un site qu’on n’a pas ouvert pendant 7 jours d’utilisation de Safari, entretiens non envoyés compris. Installez l’application sur l’écran d’accueil (voir « Stockage » plus bas) ; d’ici là, ouvrez-la au moins tous les deux jours et envoyez les entretiens chaque jour.',
  countsTitle: 'Entretiens complets',
  completedTodayCount: {
    one: '{count} entretien complet aujourd’hui',
    other: '{count} entretiens complets aujourd’hui',
  },
  completedTotalCount: {
    one: '{count} entretien complet au total',
    other: '{count} entretiens complets au total',
  },
  draftStarted: 'commencé {when}',
  draftJustNow: 'à l’instant',
  draftLastItem: 'dernière question : {item}',
  draftAtReview: 'arrivé à la vérification avant de terminer',
  ageBand: '{from}-{to} ans',
  ageBandFrom: '{from} ans et plus',
  ageBandUnder: 'moins de {to} ans',
  resumeDraft: 'Reprendre : {draft}',
  startRevoked:
    'Pas de nouvel entretien sur cette tablette : elle n’est plus autorisée par le serveur, et un entretien fait maintenant ne pourrait pas être envoyé. Demandez un nouveau code à votre coordinateur·rice, puis réenregistrez la tablette. Le mode entraînement reste possible.',
  planOfSite: {
    one: 'Plan de quotas du site {site} : {count} entretien prévu.',
    other: 'Plan de quotas du site {site} : {count} entretiens prévus.',
  },
  noPlanYet:
    'Pas encore de plan de quotas : il arrive avec la synchronisation dès que la coordination l’a enregistré sur le serveur. D’ici là, les quotas ne sont pas vérifiés.',
  syncRefusedCount: {
    one: '{count} entretien refusé par le serveur : il reste sur la tablette et ne sera pas renvoyé. Montrez le motif à votre coordinateur·rice.',
    other:
      '{count} entretiens refusés par le serveur : ils restent sur la tablette et ne seront pas renvoyés. Montrez le motif à votre coordinateur·rice.',
  },
  storageSpaceUsed: { one: '{size} utilisé', other: '{size} utilisés' },
  storageSpaceFree: { one: '{size} libre', other: '{size} libres' },
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
  exportCounts: '{completed}, {screenedOut} on this tablet.',
  exportCompleted: { one: '{count} completed interview', other: '{count} completed interviews' },
  exportScreenedOut: {
    one: '{count} screened out or turned away',
    other: '{count} screened out or turned away',
  },
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
  exportProgress: {
    one: 'Preparing the file: {done} / {count} interview',
    other: 'Preparing the file: {done} / {count} interviews',
  },
  exportDone: { one: '{file}: {count} interview.', other: '{file}: {count} interviews.' },
  exportSkipped: {
    one: '{count} interview could not be exported: {reasons}',
    other: '{count} interviews could not be exported: {reasons}',
  },
  exportFailed: 'The export failed: {message}',
  backupButton: 'Backup',
  backupHelp:
    'A fallback when there is no network: an encrypted file of the interviews the server has not received yet, to hand to your coordinator (USB key, message), who imports it on the dashboard. Only the server can read it; the interviews also stay on the tablet.',
  backupWorking: 'Preparing the backup…',
  backupDone: {
    one: '{count} interview saved in the file {file} (Downloads folder). Hand it to your coordinator.',
    other:
      '{count} interviews saved in the file {file} (Downloads folder). Hand it to your coordinator.',
  },
  backupSkipped: {
    one: '{count} interview could not be saved: {reasons}',
    other: '{count} interviews could not be saved: {reasons}',
  },
  backupNothing: 'Nothing to back up: the server has received every interview.',
  backupNoKey:
    'No backup for now: the tablet has not received the server’s key yet. It gets it at the next sync with a network.',
  backupNotEnrolled: 'This tablet is not enrolled with a server: use the data export.',
  backupFailed: 'The backup failed: {message}',
  syncProblems: {
    offline: 'No network: interviews stay on the tablet and will be sent when the network is back.',
    unreachable:
      'The server does not answer (though the tablet has a network): interviews stay on the tablet and will go at the next try; if this lasts, tell your coordinator.',
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
  syncNote:
    'Nothing is waiting to be sent. The last update from the server (questionnaires, quotas, site settings) did not go through; it will be done again at the next try.',
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
  storageProtected: 'Interviews are protected: the browser will not delete them to make room.',
  storageUnprotected:
    'Interviews are not protected yet: if the tablet runs short of space, the browser may delete those not sent.',
  storageUnprotectedTodo:
    'To protect them, install the app on the home screen, open it from its icon, then tap “{button}”.',
  storageUnknownState:
    'This browser does not say whether it keeps the interviews: install the app on the home screen and send the interviews every day.',
  storageProtect: 'Protect the interviews',
  storageRefused:
    'The browser refuses for now. Install the app on the home screen, open it from its icon and try again; until then, send the interviews every day.',
  installTitle: 'Install the app on the home screen',
  installWhy:
    'Installed, the app opens from its icon, even without a network, and the browser keeps its data.',
  installButton: 'Install the app',
  installIosShare:
    'Tap Safari’s Share button (the square with an arrow pointing up: at the top on iPad, at the bottom on iPhone).',
  installIosAdd: 'Choose “Add to Home Screen” (scroll the list if need be), then “Add”.',
  installIosOpen: 'Open the app from its new “SMPG” icon on the home screen.',
  installIosOpenSafari: 'First open this address in Safari: {url}',
  installMenu:
    'In the browser’s menu (⋮ or ☰), choose “Install app” or “Add to Home screen”, then open the app from its icon.',
  installOpenIcon: 'App installed: from now on, open it from its icon on the home screen.',
  installDone: 'App installed on the home screen.',
  enrolInstallFirst:
    'On iPad and iPhone, install the app first, then enrol the tablet inside the installed app: it does not share its data with Safari, and a tablet enrolled in Safari would leave its interviews there.',
  enrolContinueAnyway: 'Go on in the browser anyway',
  enrolNoteCode:
    'Note this code down: the installed app does not receive the link, you will type the code in it yourself.',
  enrolContinueAnywayHelp:
    'Not advised: interviews would stay in the browser, which may delete them after a few days without a visit.',
  warningUnsent: {
    one: '{count} interview has been waiting for more than a day: connect the tablet to the Internet (Wi-Fi) then tap “{button}”. If it does not go, tell your coordinator.',
    other:
      '{count} interviews have been waiting for more than a day: connect the tablet to the Internet (Wi-Fi) then tap “{button}”. If they do not go, tell your coordinator.',
  },
  warningStorageFull:
    'The tablet is nearly full ({free} left): send the interviews to put them out of harm’s way, free space on the tablet (photos, videos, unused apps) and tell your coordinator.',
  warningIdle: {
    one: 'The app had not been opened for {count} day.',
    other: 'The app had not been opened for {count} days.',
  },
  warningUnusedDeletion:
    'In the browser, interviews are not safe: Safari deletes the data of a site not opened during 7 days of use of Safari, unsent interviews included. Install the app on the home screen (see “Storage” below); until then, open it at least every other day and send the interviews every day.',
  countsTitle: 'Completed interviews',
  completedTodayCount: {
    one: '{count} completed interview today',
    other: '{count} completed interviews today',
  },
  completedTotalCount: {
    one: '{count} completed interview in all',
    other: '{count} completed interviews in all',
  },
  draftStarted: 'started {when}',
  draftJustNow: 'just now',
  draftLastItem: 'last question: {item}',
  draftAtReview: 'reached the review before completing',
  ageBand: 'aged {from}-{to}',
  ageBandFrom: 'aged {from} and over',
  ageBandUnder: 'under {to}',
  resumeDraft: 'Resume: {draft}',
  startRevoked:
    'No new interview on this tablet: the server no longer authorises it, and an interview made now could not be sent. Ask your coordinator for a new code, then enrol the tablet again. Practice mode is still possible.',
  planOfSite: {
    one: 'Quota plan of site {site}: {count} interview planned.',
    other: 'Quota plan of site {site}: {count} interviews planned.',
  },
  noPlanYet:
    'No quota plan yet: it comes with sync once the coordinators have saved it on the server. Until then, quotas are not checked.',
  syncRefusedCount: {
    one: '{count} interview refused by the server: it stays on the tablet and will not be sent again. Show the reason to your coordinator.',
    other:
      '{count} interviews refused by the server: they stay on the tablet and will not be sent again. Show the reason to your coordinator.',
  },
  storageSpaceUsed: { one: '{size} used', other: '{size} used' },
  storageSpaceFree: { one: '{size} free', other: '{size} free' },
};

export const HOME_TEXT: Readonly<Record<UiLanguage, HomeTexts>> = { fr, en };

/** The words in the interface's language (the one `UiTextContext` gives). */
export function useHomeText(): HomeTexts {
  return HOME_TEXT[useUiLanguage()];
}

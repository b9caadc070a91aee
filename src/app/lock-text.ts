// The lock screen's words, French then English: shown before the PIN, so before the interface's
// own text (loaded with the app) is needed.

export const LOCK_TEXT = {
  fr: {
    createTitle: 'Protéger la tablette par un code',
    createHelp:
      'Les entretiens seront chiffrés sur la tablette : sans ce code, personne ne peut les lire. Choisissez au moins 6 chiffres ou caractères et retenez-les.',
    createForgot:
      'En cas d’oubli, votre coordinateur·rice peut vous donner un code de secours (une fois la tablette enregistrée auprès du serveur). Sur une tablette utilisée sans serveur, un code oublié fait perdre ses entretiens.',
    pin: 'Code de la tablette',
    pinAgain: 'Le même code, une seconde fois',
    create: 'Protéger la tablette',
    tooShort: 'Le code doit avoir au moins 6 chiffres ou caractères.',
    mismatch: 'Les deux codes ne sont pas les mêmes.',
    lockedTitle: 'Tablette verrouillée',
    lockedHelp: 'Tapez le code de la tablette pour reprendre.',
    unlock: 'Déverrouiller',
    working: 'Vérification du code…',
    wrong: 'Code incorrect.',
    left: 'Encore {n} essais ; ensuite la tablette efface les entretiens que le serveur a déjà reçus.',
    leftOne:
      'Encore {n} essai ; ensuite la tablette efface les entretiens que le serveur a déjà reçus.',
    erased:
      'Trop d’essais : les entretiens déjà reçus par le serveur ont été effacés de la tablette. Les autres restent chiffrés et attendent le bon code.',
    wait: 'Trop d’essais : attendez {time} avant de réessayer.',
    forgot: 'Code oublié ?',
    recoverTitle: 'Débloquer avec un code de secours',
    recoverHelp:
      'Appelez votre coordinateur·rice : dans le tableau de bord, à la ligne de cette tablette, « Code de secours » donne le code à vous lire.',
    device: 'Cette tablette : {device}',
    recoveryCode: 'Code de secours',
    newPin: 'Nouveau code de la tablette',
    recover: 'Débloquer et changer le code',
    wrongRecovery:
      'Ce code de secours n’ouvre pas cette tablette. Vérifiez-le avec votre coordinateur·rice.',
    back: 'Retour',
    failed: 'La tablette n’a pas pu ouvrir ses données : {error}',
  },
  en: {
    createTitle: 'Protect the tablet with a PIN',
    createHelp:
      'Interviews will be encrypted on the tablet: without this PIN nobody can read them. Choose at least 6 digits or characters and remember them.',
    createForgot:
      'If you forget it, your coordinator can give you a recovery code (once the tablet is enrolled with the server). On a tablet used without a server, a forgotten PIN loses its interviews.',
    pin: 'Tablet PIN',
    pinAgain: 'The same PIN again',
    create: 'Protect the tablet',
    tooShort: 'The PIN must have at least 6 digits or characters.',
    mismatch: 'The two PINs differ.',
    lockedTitle: 'Tablet locked',
    lockedHelp: 'Type the tablet’s PIN to go on.',
    unlock: 'Unlock',
    working: 'Checking the PIN…',
    wrong: 'Wrong PIN.',
    left: '{n} more tries; then the tablet erases the interviews the server already has.',
    leftOne: '{n} more try; then the tablet erases the interviews the server already has.',
    erased:
      'Too many tries: the interviews the server already had were erased from the tablet. The others stay encrypted until the right PIN.',
    wait: 'Too many tries: wait {time} before trying again.',
    forgot: 'Forgot the PIN?',
    recoverTitle: 'Unlock with a recovery code',
    recoverHelp:
      'Call your coordinator: in the dashboard, on this tablet’s row, “Recovery code” gives the code to read to you.',
    device: 'This tablet: {device}',
    recoveryCode: 'Recovery code',
    newPin: 'New tablet PIN',
    recover: 'Unlock and change the PIN',
    wrongRecovery: 'This recovery code does not open this tablet. Check it with your coordinator.',
    back: 'Back',
    failed: 'The tablet could not open its data: {error}',
  },
} as const;

export type LockText = { readonly [K in keyof (typeof LOCK_TEXT)['fr']]: string };

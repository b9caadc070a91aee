// The engine's own validation messages, French first, English second. Messages a definition
// declares (constraint messages) take precedence over these.

export type ValidationCode =
  | 'required'
  | 'non_response_not_offered'
  | 'wrong_type'
  | 'not_integer'
  | 'out_of_range'
  | 'unknown_choice'
  | 'choice_not_offered'
  | 'duplicate_choice'
  | 'exclusive_choice'
  | 'empty_text'
  | 'too_long'
  | 'invalid_date'
  | 'constraint'
  | 'not_answerable'
  | 'unknown_item';

type Params = Readonly<Record<string, string | number>>;

const MESSAGES: Readonly<Record<'fr' | 'en', Readonly<Record<ValidationCode, string>>>> = {
  fr: {
    required: 'Une réponse est obligatoire.',
    non_response_not_offered:
      '« Ne sait pas » et « Refus » ne sont pas proposés pour cette question.',
    wrong_type: 'Cette réponse n’a pas la forme attendue.',
    not_integer: 'Entrez un nombre entier.',
    out_of_range: 'Entrez un nombre {range}.',
    unknown_choice: 'Le choix « {code} » n’existe pas pour cette question.',
    choice_not_offered: 'Le choix « {code} » n’est pas proposé avec les réponses déjà données.',
    duplicate_choice: 'Le choix « {code} » est coché deux fois.',
    exclusive_choice: '« {label} » ne peut pas être combiné avec une autre réponse.',
    empty_text: 'La réponse est vide.',
    too_long: 'Texte trop long : {length} caractères, {max} au plus.',
    invalid_date: 'Entrez une date valide {range}.',
    constraint: 'Cette réponse n’est pas acceptée.',
    not_answerable: 'Cet élément ne prend pas de réponse.',
    unknown_item: 'Question inconnue : {id}.',
  },
  en: {
    required: 'An answer is required.',
    non_response_not_offered: '"Don\'t know" and "Refused" are not offered for this question.',
    wrong_type: 'This answer does not have the expected form.',
    not_integer: 'Enter a whole number.',
    out_of_range: 'Enter a number {range}.',
    unknown_choice: 'There is no choice "{code}" for this question.',
    choice_not_offered: 'The choice "{code}" is not offered given the answers already given.',
    duplicate_choice: 'The choice "{code}" is selected twice.',
    exclusive_choice: '"{label}" cannot be combined with another answer.',
    empty_text: 'The answer is empty.',
    too_long: 'Text too long: {length} characters, at most {max}.',
    invalid_date: 'Enter a valid date {range}.',
    constraint: 'This answer is not accepted.',
    not_answerable: 'This element takes no answer.',
    unknown_item: 'Unknown question: {id}.',
  },
};

const RANGE: Readonly<Record<'fr' | 'en', Readonly<Record<'between' | 'from' | 'to', string>>>> = {
  fr: {
    between: 'entre {min} et {max}',
    from: 'supérieur ou égal à {min}',
    to: 'inférieur ou égal à {max}',
  },
  en: { between: 'between {min} and {max}', from: 'of at least {min}', to: 'of at most {max}' },
};

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    return value === undefined ? whole : String(value);
  });
}

/** The engine's language for its own messages: French if asked, English otherwise. */
function uiLanguage(language: string): 'fr' | 'en' {
  return language === 'fr' || language.startsWith('fr-') ? 'fr' : 'en';
}

/** Describes a range in words ("entre 18 et 110"); empty when there is no bound. */
export function describeRange(
  language: string,
  min: string | number | undefined,
  max: string | number | undefined,
): string {
  const table = RANGE[uiLanguage(language)];
  if (min !== undefined && max !== undefined) return fill(table.between, { min, max });
  if (min !== undefined) return fill(table.from, { min });
  if (max !== undefined) return fill(table.to, { max });
  return '';
}

export function validationMessage(
  code: ValidationCode,
  language: string,
  params: Params = {},
): string {
  return fill(MESSAGES[uiLanguage(language)][code], params).replace(/ +\./, '.');
}

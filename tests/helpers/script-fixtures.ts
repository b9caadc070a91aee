// A hand-made data dictionary and CSV for the tests of the scripts that load the interviews' CSV
// in R, Stata and SPSS: every storage, shared and awkward labels, non-response codes in numeric,
// text and date columns, names too long, clashing or reserved in one tool or another.
import type { CsvFormat, Dictionary, DictionaryColumn } from '../../src/core/export/index.ts';
import { csvRows } from '../../src/core/export/index.ts';

const NR = { dontKnow: -8, refused: -9 } as const;
const YES_NO = [
  { value: 1, label: 'Oui' },
  { value: 2, label: 'Non' },
];

/** Longer than 64 characters (SPSS) and than 32 (Stata), alike in their first 64. */
export const LONG_A = `${'a_very_long_question_identifier_that_goes_on_and_on'}_and_on_and_on_first`;
export const LONG_B = `${'a_very_long_question_identifier_that_goes_on_and_on'}_and_on_and_on_second`;
/** Longer than 32 characters, alike in their first 32 (Stata). */
export const MID_A = 'mod_depression_screening_question_first';
export const MID_B = 'mod_depression_screening_question_second';

/** A label of 300 characters: over Stata's 80 and SPSS's 255 bytes. */
export const LONG_LABEL = `Depuis combien de temps ${'vraiment '.repeat(30)}?`.slice(0, 300);

const column = (
  name: string,
  storage: DictionaryColumn['storage'],
  label: string,
  more: Partial<DictionaryColumn> = {},
): DictionaryColumn => ({ name, storage, label, valueLabels: [], nonResponse: undefined, ...more });

export const DICTIONARY: Dictionary = {
  questionnaireId: 'smpg',
  versions: ['2026.2', '2026.1'],
  language: 'fr',
  nonResponseLabels: { dontKnow: 'Ne sait pas', refused: 'Refus de répondre' },
  columns: [
    column('interview_id', 'string', "Identifiant de l'entretien"),
    column('q1', 'numeric', 'Avez-vous dit "oui" à l\'enquêteur ?', {
      valueLabels: YES_NO,
      nonResponse: NR,
    }),
    column('q2', 'numeric', 'Première ligne\nseconde ligne', {
      valueLabels: YES_NO,
      nonResponse: NR,
    }),
    column('age', 'numeric', 'Âge', { nonResponse: NR }),
    column('weight', 'numeric', 'Poids de redressement'),
    column('v1', 'numeric', 'Une colonne nommée v1, pas en première place', {
      valueLabels: [
        { value: 1, label: 'L\'un "premier"' },
        { value: 2, label: 'Deuxième\nligne' },
        { value: 3, label: 'Trois $HOME `cmd` \\ fin' },
      ],
    }),
    column('comment', 'string', 'Commentaire `libre` $HOME \\ fin "\'entre\'"', {
      nonResponse: NR,
    }),
    column('birth', 'date', 'Date de naissance', { nonResponse: NR }),
    column('visit_day', 'date', 'Jour de la visite'),
    column('started_at', 'datetime_utc', 'Début (UTC)'),
    column('contact_time', 'datetime_utc', 'Heure du contact (UTC)', { nonResponse: NR }),
    column('started_at_local', 'datetime_local', 'Début (heure du site)'),
    column('local_time', 'datetime_local', 'Heure locale déclarée', { nonResponse: NR }),
    column(LONG_A, 'numeric', 'Premier choix', {
      valueLabels: [
        { value: 1, label: 'Choisi' },
        { value: 0, label: 'Non choisi' },
      ],
      nonResponse: NR,
    }),
    column(LONG_B, 'numeric', 'Second choix', {
      valueLabels: [
        { value: 1, label: 'Choisi' },
        { value: 0, label: 'Non choisi' },
      ],
      nonResponse: NR,
    }),
    column(MID_A, 'numeric', LONG_LABEL),
    column(MID_B, 'numeric', 'Dépistage, seconde partie'),
    column('with', 'numeric', 'Réservé partout'),
    column('in', 'numeric', 'Réservé en Stata'),
    column('by', 'numeric', 'Réservé en SPSS'),
    column('str12', 'numeric', 'Un type de Stata'),
    column('1st_visit', 'numeric', 'Commence par un chiffre'),
    column('âge_déclaré', 'numeric', 'Nom accentué'),
    column('score', 'numeric', 'Score avec une demi-valeur', {
      valueLabels: [
        { value: 0, label: 'Nul' },
        { value: 0.5, label: 'Demi' },
      ],
    }),
    column('band', 'string', "Tranche d'âge (codes en texte)", {
      valueLabels: [
        { value: 1, label: '18-29 ans' },
        { value: 2, label: '30 ans et plus' },
      ],
    }),
  ],
};

/** The rows, cells as the export writes them with a decimal point. */
const ROWS: readonly (readonly string[])[] = [
  [
    'id-1',
    '1',
    '2',
    '34',
    '1.25',
    '3',
    'il a dit "non"; d\'accord, é',
    '1980-02-29',
    '2026-05-04',
    '2026-05-04T09:30:00.000Z',
    '2026-05-04T10:15:30.250Z',
    '2026-05-04 11:30:00',
    '2026-05-04 12:00:00',
    '1',
    '0',
    '7',
    '8',
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
    '0.5',
    '1',
  ],
  [
    'id-2',
    '-8',
    '-9',
    '-9',
    '0.75',
    '1',
    '-8',
    '-9',
    '2026-05-05',
    '2026-05-05T23:59:59.000Z',
    '-8',
    '2026-05-06 01:59:59',
    '-9',
    '-8',
    '-9',
    '17',
    '18',
    '11',
    '12',
    '13',
    '14',
    '15',
    '16',
    '0',
    '2',
  ],
  [
    'id-3',
    '',
    '',
    '',
    '2',
    '2',
    '',
    '',
    '',
    '2026-05-06T00:00:00.000Z',
    '',
    '2026-05-06 02:00:00',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
];

export const COMMA_DOT: CsvFormat = {
  fileName: 'smpg-interviews.csv',
  delimiter: ',',
  decimalComma: false,
  bom: false,
};

export const SEMICOLON_COMMA_BOM: CsvFormat = {
  fileName: 'smpg-interviews-fr.csv',
  delimiter: ';',
  decimalComma: true,
  bom: true,
};

/** A row whose text holds a line break (R reads it; SPSS's GET DATA cannot). */
export const MULTILINE_ROW: readonly string[] =
  ROWS[2]?.map((cell, i) => (i === 0 ? 'id-4' : i === 6 ? 'ligne 1\r\nligne 2' : cell)) ?? [];

/** The CSV text of `rows` written as `format` (decimal cells of the numeric columns converted). */
export function csvText(
  format: CsvFormat,
  rows: readonly (readonly string[])[] = ROWS,
  dictionary: Dictionary = DICTIONARY,
): string {
  const cells = rows.map((row) =>
    row.map((cell, i) =>
      format.decimalComma && dictionary.columns[i]?.storage === 'numeric'
        ? cell.replace('.', ',')
        : cell,
    ),
  );
  const header = dictionary.columns.map(({ name }) => name);
  const text = csvRows([header, ...cells], { delimiter: format.delimiter, newline: '\r\n' });
  return `${format.bom ? '\uFEFF' : ''}${text}\r\n`;
}

export { ROWS };

// The codebook: one row per column of the export, saying what it holds and what its codes mean.
import type { LocalizedText } from '../questionnaire/index.ts';
import { BREAK_OFF_REASON_LABELS } from './break-offs.ts';
import type { FormulaMode } from './formulas.ts';
import { neutralised } from './formulas.ts';
import type { Column, ColumnSource, ExportLayout, ParadataColumn } from './layout.ts';
import { CODE_LIST_SEPARATOR } from './rows.ts';

export const CODEBOOK_HEADER = [
  'column',
  'question',
  'type',
  'codes',
  'relevant',
  'versions',
  'free_text',
  'empty_means',
  'note',
] as const;

export type Words = Record<
  | 'chosen'
  | 'notChosen'
  | 'fired'
  | 'notFired'
  | 'true'
  | 'false'
  | 'notAsked'
  | 'notComputed'
  | 'missingVersion'
  | 'flagOf'
  | 'rawList'
  | 'coarsened'
  | 'formulasEscaped'
  | 'formulasRaw'
  | 'undetermined'
  | 'numbered'
  | 'quota'
  | 'quotaNote'
  | 'weight'
  | 'weightNote'
  | 'noWeight'
  | 'incomeItem'
  | 'incomeBound'
  | 'incomeBoundEmpty',
  string
> & { readonly paradata: Record<ParadataColumn, string> };

const WORDS: Record<'fr' | 'en', Words> = {
  fr: {
    chosen: 'choisi',
    notChosen: 'non choisi',
    fired: 'alerte déclenchée',
    notFired: 'non déclenchée',
    true: 'vrai',
    false: 'faux',
    notAsked: 'question non posée à cette personne (condition fausse) ou laissée vide',
    notComputed: 'non calculé : condition fausse (questions non posées) ou calcul sans résultat',
    missingVersion: 'absente des versions non listées : vide pour leurs entretiens',
    flagOf: 'choix {code} de {column}',
    rawList: 'codes choisis séparés par une espace',
    coarsened: 'valeur regroupée sur la tablette avant envoi',
    formulasEscaped:
      "texte commençant par =, +, -, @, une tabulation ou un retour chariot : précédé de ' pour qu'un tableur ne l'exécute pas comme une formule (formulas=raw : tel que saisi)",
    formulasRaw:
      'texte tel que saisi (formulas=raw) : peut commencer par =, +, -, @ et être exécuté comme une formule par un tableur',
    undetermined:
      "{dontKnow} / {refused} : non évaluable, une réponse nécessaire au calcul manque (ne sait pas / refus) ; jamais 0 ni « aucun » pour une personne qu'on n'a pas pu évaluer",
    numbered:
      'codes du questionnaire écrits en nombres (Stata et SPSS ne donnent de libellés qu’aux nombres) : {codes}',
    quota: 'catégorie de quota « {variable} » où le serveur a placé la personne',
    quotaNote:
      'codes du plan de quotas du site ; le fichier des marges (margins) donne leurs libellés et les chiffres du recensement',
    weight: 'poids de calage sur le recensement',
    weightNote:
      "calage (raking, ou post-stratification s'il n'y a qu'un tableau) de chaque site sur les tableaux de son plan de quotas : la somme des poids d'un site est son nombre d'entretiens pondérés ; méthode, convergence et écarts : fichier des marges (margins)",
    noWeight: 'vide : une catégorie de quota manque, ou le site n’a pas de plan de quotas',
    incomeItem:
      'les tranches de revenus sont propres à chaque site : pour un entretien fait avec celles de son site, le code est le numéro de la tranche montrée et {lower} et {upper} en donnent les montants ; les libellés ci-contre sont ceux du questionnaire',
    incomeBound:
      'montant (en unités entières de la devise du site) de la tranche choisie, lu dans les tranches du site que l’entretien a montrées ; les tranches et la devise varient d’un site à l’autre',
    incomeBoundEmpty:
      'entretien fait avec les tranches du questionnaire (sans tranches du site), question non posée, ne sait pas ou refus ; pour _upper, aussi la dernière tranche, sans plafond',
    paradata: {
      interview_id:
        "identifiant de l'entretien (UUID version 7 : l'heure de son début, puis une partie aléatoire)",
      questionnaire_id: 'questionnaire',
      questionnaire_version: 'version du questionnaire utilisée',
      site: 'site',
      interviewer: "code de l'enquêteur",
      device: 'tablette',
      pickup_point: "lieu d'enquête",
      started_at: 'début (ISO 8601, UTC)',
      ended_at: 'fin (ISO 8601, UTC)',
      started_at_local: "début, à l'heure du site (AAAA-MM-JJ HH:MM:SS)",
      ended_at_local: "fin, à l'heure du site (AAAA-MM-JJ HH:MM:SS)",
      time_zone: 'fuseau horaire du site (nom IANA)',
      duration_seconds: 'durée en secondes',
      language:
        "langue de l'entretien (celle d'un pack propre au site\u00a0: l'enregistrement en donne la révision, labelPacks)",
      app_version: "version de l'application",
    },
  },
  en: {
    chosen: 'chosen',
    notChosen: 'not chosen',
    fired: 'alert fired',
    notFired: 'not fired',
    true: 'true',
    false: 'false',
    notAsked: 'not asked of this respondent (condition false) or left empty',
    notComputed: 'not computed: condition false (questions not asked) or no result',
    missingVersion: 'absent from the versions not listed: empty for their interviews',
    flagOf: 'choice {code} of {column}',
    rawList: 'chosen codes separated by a space',
    coarsened: 'value grouped on the tablet before it was sent',
    formulasEscaped:
      "text starting with =, +, -, @, a tab or a carriage return: preceded by ' so that a spreadsheet does not run it as a formula (formulas=raw: as typed)",
    formulasRaw:
      'text as typed (formulas=raw): it may start with =, +, -, @ and be run as a formula by a spreadsheet',
    undetermined:
      '{dontKnow} / {refused}: not assessable, an answer the calculation needs is missing (don’t know / refused); never 0 or "none" for someone who could not be assessed',
    numbered:
      'the questionnaire’s codes written as numbers (Stata and SPSS label numbers only): {codes}',
    quota: 'quota category "{variable}" the server placed the respondent in',
    quotaNote:
      "codes of the site's quota plan; the margins file gives their labels and the census figures",
    weight: 'weight calibrated to the census',
    weightNote:
      "each site raked (or post-stratified when its plan has one table) on its quota plan's tables: a site's weights add up to its number of weighted interviews; method, convergence and gaps: the margins file",
    noWeight: 'empty: a quota category is missing, or the site has no quota plan',
    incomeItem:
      'income bands are set per site: for an interview made with its site’s bands, the code is the number of the band shown and {lower} and {upper} give its amounts; the labels here are the questionnaire’s',
    incomeBound:
      'amount (in whole units of the site’s currency) of the band chosen, read from the site’s bands the interview showed; bands and currency differ from site to site',
    incomeBoundEmpty:
      'interview made with the questionnaire’s bands (no site bands), question not asked, don’t know or refused; for _upper, also the last band, which has no ceiling',
    paradata: {
      interview_id: 'id of the interview (UUID version 7: the time it started, then random bits)',
      questionnaire_id: 'questionnaire',
      questionnaire_version: 'questionnaire version used',
      site: 'site',
      interviewer: 'interviewer code',
      device: 'tablet',
      pickup_point: 'pick-up point (where the respondent was met)',
      started_at: 'start (ISO 8601, UTC)',
      ended_at: 'end (ISO 8601, UTC)',
      started_at_local: "start, on the site's clock (YYYY-MM-DD HH:MM:SS)",
      ended_at_local: "end, on the site's clock (YYYY-MM-DD HH:MM:SS)",
      time_zone: "the site's time zone (IANA name)",
      duration_seconds: 'duration in seconds',
      language:
        "language of the interview (a site's own pack's: the record gives the pack's revision, labelPacks)",
      app_version: 'app version',
    },
  },
};

/** The codebook's words in French, or else English: the data dictionary labels columns with them. */
export function codebookWords(language: string): Words {
  return WORDS[language === 'fr' ? 'fr' : 'en'];
}

/** A text in `language`, else its first language, else empty (the codebook's and the dictionary's). */
export function text(value: LocalizedText | undefined, language: string): string {
  if (value === undefined) return '';
  return value[language] ?? Object.values(value)[0] ?? '';
}

function codes(
  column: Column,
  source: ColumnSource,
  layout: ExportLayout,
  language: string,
  words: Words,
): string[] {
  const { dontKnow, refused } = layout.nonResponse;
  const nonResponse = source.nonResponse
    ? [
        `${dontKnow.code} = ${text(dontKnow.label, language)}`,
        `${refused.code} = ${text(refused.label, language)}`,
      ]
    : [];
  switch (column.kind) {
    case 'choice_flag':
      return [`1 = ${words.chosen}`, `0 = ${words.notChosen}`, ...nonResponse];
    case 'alert':
      return [`1 = ${words.fired}`, `0 = ${words.notFired}`];
    default: {
      const written = (code: string) => String(column.numbers?.get(code) ?? code);
      const listed =
        source.coarsen?.kind === 'bands'
          ? source.coarsen.bands.map((band) => {
              const range = `${band.min ?? ''}-${band.max ?? ''}`;
              return `${written(band.code)} = ${band.label === undefined ? range : text(band.label, language)}`;
            })
          : (source.choices ?? []).map(
              (choice) => `${written(choice.code)} = ${text(choice.label, language)}`,
            );
      const calculate = source.entry?.item.type === 'calculate' ? source.entry.item : undefined;
      if (calculate?.valueType === 'boolean' && listed.length === 0) {
        listed.push(`1 = ${words.true}`, `0 = ${words.false}`);
      }
      return [...listed, ...nonResponse];
    }
  }
}

/**
 * The codebook rows (without the header, see `CODEBOOK_HEADER`), in column order, texts in
 * `language` (notes in French or English). A column's question, type and codes are those of the
 * newest version that has it; `versions` lists every version that has it. Every cell is text:
 * with `formulas` `escaped` (the default) one that starts like a formula gets a `'` first, and the
 * note of each free-text column says how its answers are written.
 */
export function codebookRows(
  layout: ExportLayout,
  language: string,
  formulas: FormulaMode = 'escaped',
): string[][] {
  const words = WORDS[language === 'fr' ? 'fr' : 'en'];
  const rows = describedColumns(layout, language, words, formulas);
  return formulas === 'raw' ? rows : rows.map((row) => row.map(neutralised));
}

function describedColumns(
  layout: ExportLayout,
  language: string,
  words: Words,
  formulas: FormulaMode,
): string[][] {
  const formulaNote = formulas === 'raw' ? words.formulasRaw : words.formulasEscaped;
  return layout.columns.map((column) => {
    if (column.kind === 'quota' || column.kind === 'weight') {
      const quota = column.kind === 'quota';
      return [
        column.name,
        quota ? words.quota.replace('{variable}', column.key) : words.weight,
        column.kind,
        '',
        '',
        layout.versions.join(CODE_LIST_SEPARATOR),
        '0',
        quota ? '' : words.noWeight,
        quota ? words.quotaNote : words.weightNote,
      ];
    }
    if (column.paradata !== undefined) {
      return [
        column.name,
        words.paradata[column.paradata],
        'paradata',
        '',
        '',
        layout.versions.join(CODE_LIST_SEPARATOR),
        column.paradata === 'pickup_point' ? '1' : '0',
        '',
        column.paradata === 'pickup_point' ? formulaNote : '',
      ];
    }
    const source = column.sources[0] as ColumnSource;
    const versions = column.sources.map((candidate) => candidate.version);
    const notes: string[] = [];
    if (column.kind === 'choice_flag') {
      notes.push(words.flagOf.replace('{code}', column.code ?? '').replace('{column}', column.key));
    }
    if (column.kind === 'multiple') notes.push(words.rawList);
    if (column.numbers !== undefined)
      notes.push(
        words.numbered.replace(
          '{codes}',
          [...column.numbers].map(([code, value]) => `${value} = ${code}`).join(', '),
        ),
      );
    if (column.kind === 'computed')
      notes.push(
        words.undetermined
          .replace('{dontKnow}', String(layout.nonResponse.dontKnow.code))
          .replace('{refused}', String(layout.nonResponse.refused.code)),
      );
    if (source.coarsen !== undefined) notes.push(words.coarsened);
    if (versions.length < layout.versions.length) notes.push(words.missingVersion);
    if (column.kind === 'text') notes.push(formulaNote);
    if (column.incomeBound !== undefined) notes.push(words.incomeBound);
    const bounds = layout.columns.filter(
      (other) => other.incomeBound !== undefined && other.key === column.name,
    );
    if (column.kind === 'single' && bounds.length === 2)
      notes.push(
        words.incomeItem
          .replace('{lower}', bounds[0]?.name ?? '')
          .replace('{upper}', bounds[1]?.name ?? ''),
      );
    return [
      column.name,
      text(source.label, language),
      column.kind,
      codes(column, source, layout, language, words).join(' | '),
      source.relevant,
      versions.join(CODE_LIST_SEPARATOR),
      column.kind === 'text' ? '1' : '0',
      column.kind === 'alert'
        ? ''
        : column.kind === 'computed'
          ? words.notComputed
          : column.incomeBound !== undefined
            ? words.incomeBoundEmpty
            : words.notAsked,
      notes.join('; '),
    ];
  });
}

/** The columns proper to the break-offs' and the paradata files, described in the codebook. */
const FILE_COLUMNS: Record<
  'fr' | 'en',
  {
    readonly breakOffFile: string;
    readonly paradataFile: string;
    readonly statuses: Readonly<Record<'completed' | 'screened_out' | 'broken_off', string>>;
    readonly columns: Readonly<
      Record<
        | 'break_off_reason'
        | 'break_off_item'
        | 'break_off_at'
        | 'status'
        | 'item'
        | 'seconds'
        | 'languages',
        string
      >
    >;
  }
> = {
  fr: {
    breakOffFile: 'fichier des entretiens interrompus (break-offs) seulement',
    paradataFile: 'fichier des paradonnées (paradata) seulement : une ligne par question posée',
    statuses: { completed: 'terminé', screened_out: 'hors cible', broken_off: 'interrompu' },
    columns: {
      break_off_reason: "raison de l'interruption",
      break_off_item: 'dernière question affichée',
      break_off_at: "moment de l'interruption (ISO 8601)",
      status: "issue de l'entretien",
      item: 'question (identifiant, comme les colonnes du fichier des entretiens)',
      seconds: 'secondes passées sur la question, toutes visites additionnées',
      languages: "langues utilisées pendant l'entretien, dans l'ordre, séparées par une espace",
    },
  },
  en: {
    breakOffFile: 'break-offs file only',
    paradataFile: 'paradata file only: one row per question asked',
    statuses: { completed: 'completed', screened_out: 'screened out', broken_off: 'broken off' },
    columns: {
      break_off_reason: 'why the interview stopped',
      break_off_item: 'last question shown',
      break_off_at: 'when it stopped (ISO 8601)',
      status: 'outcome of the interview',
      item: 'question (its id, as the interviews file names its columns)',
      seconds: 'seconds spent on the question, summed over visits',
      languages: 'languages used in the interview, in order, separated by a space',
    },
  },
};

/**
 * The codebook rows of the columns the break-offs' file adds to the interviews' columns
 * (`BREAK_OFF_COLUMNS`) and of the paradata file's own (`PARADATA_FILE_HEADER`; its
 * `interview_id` and `interviewer` are the interviews' file's), after the interviews' columns.
 */
export function fileColumnRows(
  layout: ExportLayout,
  language: string,
  formulas: FormulaMode = 'escaped',
): string[][] {
  const words = FILE_COLUMNS[language === 'fr' ? 'fr' : 'en'];
  const versions = layout.versions.join(CODE_LIST_SEPARATOR);
  const row = (
    column: keyof (typeof words)['columns'],
    codes: string,
    file: string,
    freeText = false,
  ) => [
    column,
    words.columns[column],
    'paradata',
    codes,
    '',
    versions,
    freeText ? '1' : '0',
    '',
    file,
  ];
  const reasons = (Object.keys(BREAK_OFF_REASON_LABELS) as (keyof typeof BREAK_OFF_REASON_LABELS)[])
    .map((code) => `${code} = ${text(BREAK_OFF_REASON_LABELS[code], language)}`)
    .join(' | ');
  const statuses = (Object.keys(words.statuses) as (keyof typeof words.statuses)[])
    .map((code) => `${code} = ${words.statuses[code]}`)
    .join(' | ');
  const rows = [
    row('break_off_reason', reasons, words.breakOffFile),
    row('break_off_item', '', words.breakOffFile),
    row('break_off_at', '', words.breakOffFile),
    row('status', statuses, words.paradataFile),
    row('item', '', words.paradataFile),
    row('seconds', '', words.paradataFile),
    row('languages', '', words.paradataFile),
  ];
  return formulas === 'raw' ? rows : rows.map((cells) => cells.map(neutralised));
}

// What the scripts that load the interviews' CSV in R, Stata and SPSS need to know of each column:
// how to read it, its variable label, its value labels and which codes mean a non-response. Made
// from the export layout, so that the scripts and the codebook never disagree with the CSV.
import type { Expr } from '../expression/index.ts';
import type { Words } from './codebook.ts';
import { codebookWords, text as label } from './codebook.ts';
import type { Column, ColumnKind, ColumnSource, ExportLayout } from './layout.ts';
import { declaredCodes } from './layout.ts';

/** How a column is read. */
export type Storage =
  /** Numbers: codes, counts, scores, 0/1 flags, durations, weights. */
  | 'numeric'
  /** Text as written: typed answers, lists of codes, ids, category codes of the quota plan. */
  | 'string'
  /** `YYYY-MM-DD`, or a non-response code. */
  | 'date'
  /** ISO 8601 in UTC with a `Z` (`2026-05-04T09:30:00.000Z`). */
  | 'datetime_utc'
  /** `YYYY-MM-DD HH:MM:SS`, the site's wall-clock time (its time zone is in `time_zone`). */
  | 'datetime_local';

export interface ValueLabel {
  readonly value: number;
  readonly label: string;
}

export interface DictionaryColumn {
  /** The CSV header, as written (the scripts rename where a tool's limits require). */
  readonly name: string;
  /** The variable label, whole (each script shortens it to its tool's limit). */
  readonly label: string;
  readonly storage: Storage;
  /** The codes the questionnaire declares, with their labels; empty when none. Never the non-response codes. */
  readonly valueLabels: readonly ValueLabel[];
  /**
   * The codes that stand for "don't know" and "refused" in this column (numbers in a numeric
   * column, the same digits as text in a string or date column); undefined when the column never
   * holds a non-response.
   */
  readonly nonResponse: { readonly dontKnow: number; readonly refused: number } | undefined;
}

export interface Dictionary {
  /** The questionnaire's id and the versions merged. */
  readonly questionnaireId: string;
  readonly versions: readonly string[];
  /** The language of the labels. */
  readonly language: string;
  /** Labels of the two non-response codes in `language`. */
  readonly nonResponseLabels: { readonly dontKnow: string; readonly refused: string };
  readonly columns: readonly DictionaryColumn[];
}

/** How the CSV the scripts read was written (the export's query options). */
export interface CsvFormat {
  /** The file name the export gives the CSV (the script's default path). */
  readonly fileName: string;
  readonly delimiter: ',' | ';';
  readonly decimalComma: boolean;
  /** Whether the file starts with a UTF-8 byte order mark. */
  readonly bom: boolean;
}

/** A calculation's result type from its expression, when it declares none. */
function expressionStorage(expr: Expr | undefined): 'numeric' | 'string' | undefined {
  if (expr === undefined) return undefined;
  switch (expr.kind) {
    case 'number':
    case 'negate':
      return 'numeric';
    case 'string':
      return 'string';
    case 'binary':
      // Comparisons and logic give true or false, written 1 or 0; arithmetic gives numbers.
      return 'numeric';
    case 'call':
      switch (expr.name) {
        case 'if': {
          const [, then, otherwise] = expr.args;
          const a = expressionStorage(then);
          return a !== undefined && a === expressionStorage(otherwise) ? a : undefined;
        }
        case 'concat':
        case 'string':
        case 'today':
        case 'non-response':
        case 'coalesce':
          return 'string';
        default:
          return 'numeric';
      }
    default:
      return undefined;
  }
}

const NUMERIC_KINDS: ReadonlySet<ColumnKind> = new Set([
  'single',
  'choice_flag',
  'integer',
  'decimal',
  'alert',
  'weight',
]);

function storageOf(
  column: Column,
  source: ColumnSource | undefined,
  layout: ExportLayout,
): Storage {
  switch (column.paradata) {
    case undefined:
      break;
    case 'duration_seconds':
      return 'numeric';
    case 'started_at':
    case 'ended_at':
      return 'datetime_utc';
    case 'started_at_local':
    case 'ended_at_local':
      return 'datetime_local';
    default:
      return 'string';
  }
  if (column.kind === 'date') return source?.coarsen === undefined ? 'date' : 'string';
  if (NUMERIC_KINDS.has(column.kind)) return 'numeric';
  if (column.kind !== 'computed' || source?.entry === undefined) return 'string';
  const item = source.entry.item;
  if (item.type !== 'calculate') return 'string';
  if (column.numbers !== undefined || item.valueType === 'boolean' || item.valueType === 'number')
    return 'numeric';
  if (declaredCodes(source).length > 0) return 'numeric';
  if (item.valueType === 'string') return 'string';
  const formula = layout.byVersion.get(source.version)?.nodes[source.entry.node]?.formula;
  return expressionStorage(formula) ?? 'string';
}

function valueLabelsOf(
  column: Column,
  source: ColumnSource | undefined,
  language: string,
  words: Words,
): ValueLabel[] {
  switch (column.kind) {
    case 'choice_flag':
      return [
        { value: 1, label: words.chosen },
        { value: 0, label: words.notChosen },
      ];
    case 'alert':
      return [
        { value: 1, label: words.fired },
        { value: 0, label: words.notFired },
      ];
    case 'multiple':
    case 'text':
    case 'date':
    case 'paradata':
    case 'quota':
    case 'weight':
      return [];
    default:
      break;
  }
  if (source === undefined) return [];
  const labels: ValueLabel[] = [];
  for (const { code, label: text } of declaredCodes(source)) {
    const value = column.numbers?.get(code) ?? Number(code);
    if (!Number.isInteger(value)) continue;
    labels.push({ value, label: label(text, language) || code });
  }
  const item = source.entry?.item;
  if (labels.length === 0 && item?.type === 'calculate' && item.valueType === 'boolean')
    labels.push({ value: 1, label: words.true }, { value: 0, label: words.false });
  return labels;
}

function variableLabel(
  column: Column,
  source: ColumnSource | undefined,
  language: string,
  words: Words,
): string {
  if (column.paradata !== undefined) return words.paradata[column.paradata];
  if (column.kind === 'quota') return words.quota.replace('{variable}', column.key);
  if (column.kind === 'weight') return words.weight;
  const question = label(source?.label, language);
  if (column.kind !== 'choice_flag') return question || column.name;
  const choice = source?.choices?.find((candidate) => candidate.code === column.code);
  const chosen = choice === undefined ? (column.code ?? '') : label(choice.label, language);
  return question === '' ? chosen : `${question} : ${chosen}`;
}

/**
 * The data dictionary of an export layout, labels in `language` (a language of the
 * questionnaire; the codebook's own words in French or English). A column's label and codes are
 * its newest version's, as in the codebook.
 */
export function dictionaryOf(layout: ExportLayout, language: string): Dictionary {
  const words = codebookWords(language);
  const { dontKnow, refused } = layout.nonResponse;
  const nonResponse = { dontKnow: dontKnow.code, refused: refused.code };
  return {
    questionnaireId: layout.questionnaireId,
    versions: layout.versions,
    language,
    nonResponseLabels: {
      dontKnow: label(dontKnow.label, language),
      refused: label(refused.label, language),
    },
    columns: layout.columns.map((column) => {
      const source = column.sources[0];
      return {
        name: column.name,
        label: variableLabel(column, source, language, words),
        storage: storageOf(column, source, layout),
        valueLabels: valueLabelsOf(column, source, language, words),
        nonResponse: source?.nonResponse === true ? nonResponse : undefined,
      };
    }),
  };
}

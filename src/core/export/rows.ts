// One anonymised record as one row of cells (strings), following an export layout.
import type { InterviewRecordWire } from '../protocol/index.ts';
import type { Answer, Choice, Coarsen, LocalizedText } from '../questionnaire/index.ts';
import { isNonResponse } from '../questionnaire/index.ts';
import type { Column, ColumnSource, ExportLayout, ParadataColumn } from './layout.ts';

export interface ExportOptions {
  /** Choice codes (the default) or their labels in `language`. Flags and alerts stay 0/1. */
  readonly values?: 'codes' | 'labels';
  /** Language of labels; default: the questionnaire's default language. */
  readonly language?: string;
  /** Write decimals with a comma (French spreadsheets, R's read.csv2). Default: a dot. */
  readonly decimalComma?: boolean;
}

/** The separator between the codes of a multiple choice in its raw column. */
export const CODE_LIST_SEPARATOR = ' ';
/** The separator between the labels of a multiple choice in labels mode. */
export const LABEL_LIST_SEPARATOR = ' | ';

export function exportHeader(layout: ExportLayout): string[] {
  return layout.columns.map((column) => column.name);
}

function text(value: LocalizedText | undefined, language: string, fallback: string): string {
  if (value === undefined) return fallback;
  return value[language] ?? Object.values(value)[0] ?? fallback;
}

function number(value: number, options: ExportOptions): string {
  const written = String(value);
  return options.decimalComma === true ? written.replace('.', ',') : written;
}

function codeLabel(
  code: string,
  choices: readonly Choice[] | undefined,
  coarsen: Coarsen | undefined,
  language: string,
): string {
  const choice = choices?.find((candidate) => candidate.code === code);
  if (choice !== undefined) return text(choice.label, language, code);
  if (coarsen?.kind === 'bands') {
    const band = coarsen.bands.find((candidate) => candidate.code === code);
    if (band !== undefined) return text(band.label, language, code);
  }
  return code;
}

interface Context {
  readonly layout: ExportLayout;
  readonly options: ExportOptions;
  readonly labels: boolean;
  readonly language: string;
}

function nonResponseCell(answer: Answer, context: Context): string {
  const declared =
    isNonResponse(answer) && answer.nonResponse === 'dont_know'
      ? context.layout.nonResponse.dontKnow
      : context.layout.nonResponse.refused;
  return context.labels ? text(declared.label, context.language, '') : String(declared.code);
}

function answerCell(
  column: Column,
  source: ColumnSource,
  answer: Answer | undefined,
  context: Context,
): string {
  if (answer === undefined) return '';
  if (column.kind === 'choice_flag') {
    if (isNonResponse(answer)) {
      const kind = answer.nonResponse === 'dont_know' ? 'dontKnow' : 'refused';
      return String(context.layout.nonResponse[kind].code);
    }
    return Array.isArray(answer) && answer.includes(column.code ?? '') ? '1' : '0';
  }
  if (isNonResponse(answer)) return nonResponseCell(answer, context);
  if (Array.isArray(answer)) {
    const codes = answer as readonly string[];
    if (!context.labels) return codes.join(CODE_LIST_SEPARATOR);
    return codes
      .map((code) => codeLabel(code, source.choices, source.coarsen, context.language))
      .join(LABEL_LIST_SEPARATOR);
  }
  if (typeof answer === 'number') return number(answer, context.options);
  const value = answer as string;
  if (context.labels && (column.kind === 'single' || source.coarsen?.kind === 'bands')) {
    return codeLabel(value, source.choices, source.coarsen, context.language);
  }
  return value;
}

function computedCell(
  source: ColumnSource,
  value: string | number | boolean | undefined,
  context: Context,
): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    const choice = context.labels
      ? source.choices?.find((candidate) => candidate.code === String(value))
      : undefined;
    return choice === undefined
      ? number(value, context.options)
      : text(choice.label, context.language, String(value));
  }
  return context.labels
    ? codeLabel(value, source.choices, source.coarsen, context.language)
    : value;
}

function paradataCell(
  record: InterviewRecordWire,
  paradata: ParadataColumn,
  options: ExportOptions,
): string {
  switch (paradata) {
    case 'interview_id':
      return record.id;
    case 'questionnaire_id':
      return record.questionnaireId;
    case 'questionnaire_version':
      return record.questionnaireVersion;
    case 'site':
      return record.site;
    case 'interviewer':
      return record.interviewer;
    case 'device':
      return record.deviceId;
    case 'pickup_point':
      return record.pickupPoint ?? '';
    case 'started_at':
      return record.startedAt;
    case 'ended_at':
      return record.endedAt;
    case 'duration_seconds':
      return number(record.durationSeconds, options);
    case 'language':
      return record.language;
    case 'app_version':
      return record.appVersion;
  }
}

/**
 * The row of one record. Items of the record's version that were not relevant (or left empty)
 * give an empty cell; columns its version does not have are empty too; a declared non-response
 * gives its code (or label), never an empty cell.
 */
export function exportRow(
  layout: ExportLayout,
  record: InterviewRecordWire,
  options: ExportOptions = {},
): string[] {
  const q = layout.byVersion.get(record.questionnaireVersion);
  const context: Context = {
    layout,
    options,
    labels: options.values === 'labels',
    language: options.language ?? q?.definition.defaultLanguage ?? 'fr',
  };
  return layout.columns.map((column) => {
    if (column.paradata !== undefined) return paradataCell(record, column.paradata, options);
    const source = column.sources.find(
      (candidate) => candidate.version === record.questionnaireVersion,
    );
    if (source === undefined) return '';
    switch (column.kind) {
      case 'alert':
        return record.alerts.includes(column.key) ? '1' : '0';
      case 'computed':
        return computedCell(source, record.computed[column.key], context);
      default:
        return answerCell(column, source, record.answers[column.key], context);
    }
  });
}

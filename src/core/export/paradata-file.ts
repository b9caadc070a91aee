// The paradata file: one row per item asked in each record (time spent on it, summed over visits)
// with the record's languages, so that analysts see who rushes, where and in which language.
import type { InterviewRecordWire } from '../protocol/index.ts';
import { neutralised } from './formulas.ts';
import type { ExportLayout } from './layout.ts';
import { CODE_LIST_SEPARATOR } from './rows.ts';
import type { ExportOptions } from './rows.ts';

export const PARADATA_FILE_HEADER = [
  'interview_id',
  'interviewer',
  'status',
  'item',
  'seconds',
  'languages',
] as const;

/**
 * A record's rows, its items in the questionnaire's order (an item its version does not know,
 * which the server never stores, last); none for a record without paradata (older app versions).
 * `languages` lists every language used, in order of first use, separated by a space.
 */
export function paradataRows(
  layout: ExportLayout,
  record: InterviewRecordWire,
  options: ExportOptions = {},
): string[][] {
  const { paradata } = record;
  if (paradata === undefined) return [];
  const q = layout.byVersion.get(record.questionnaireVersion);
  const rank = (id: string) => q?.nodeById.get(id) ?? Number.MAX_SAFE_INTEGER;
  const items = Object.entries(paradata.itemSeconds).sort(
    ([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const languages = (paradata.languages.length > 0 ? paradata.languages : [record.language]).join(
    CODE_LIST_SEPARATOR,
  );
  // The interviewer's code and the languages are text (typed on the tablet); the rest are ids,
  // codes and a number.
  const text = (cell: string) => (options.formulas === 'raw' ? cell : neutralised(cell));
  const interviewer = text(record.interviewer);
  const written = text(languages);
  return items.map(([item, seconds]) => [
    record.id,
    interviewer,
    record.status,
    item,
    options.decimalComma === true ? String(seconds).replace('.', ',') : String(seconds),
    written,
  ]);
}

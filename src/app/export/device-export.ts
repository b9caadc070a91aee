// The device's own export: the interviews on this tablet as CSV, with the codebook and the
// screen-outs, exactly as the server would export them (the same anonymised records, the same
// src/core/export), for when there is no network for days. Runs in a worker (export.worker.ts).
import type { ExportLayout, ExportOptions } from '../../core/export/index.ts';
import {
  CODEBOOK_HEADER,
  codebookRows,
  csvRows,
  exportHeader,
  exportLayout,
  exportRow,
  screenOutHeader,
  screenOutRow,
} from '../../core/export/index.ts';
import type { Questionnaire } from '../../core/questionnaire/index.ts';
import { loadQuotaPlan } from '../../core/quota/index.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import { siteTimeZone } from '../site-settings.ts';
import type { FinishedAnswers, InterviewRecord, InterviewStore } from '../storage/index.ts';
import { buildRecord } from '../sync/sync-engine.ts';

export type DeviceExportKind = 'interviews' | 'codebook' | 'screen-outs';

export interface DeviceExportRequest {
  readonly kind: DeviceExportKind;
  readonly questionnaireId: string;
  readonly separator: ',' | ';';
  readonly bom: boolean;
  /** Values, language, decimal comma, and `formulas` (text cells neutralised unless `raw`). */
  readonly options: ExportOptions;
}

export interface DeviceExportResult {
  /** The file's text in pieces (one per step), to become a Blob without one giant string. */
  readonly parts: readonly string[];
  /** Interviews written (0 for the codebook). */
  readonly rows: number;
  /** Interviews that could not be exported, with why (their questionnaire no longer loads...). */
  readonly skipped: readonly { readonly id: string; readonly problem: string }[];
}

/** Interviews per step: progress is told, and the thread breathes, between two steps. */
export const EXPORT_STEP = 100;
const NEWLINE = '\r\n';

/** What the export of this kind takes: completed (or screened-out) interviews, never practice. */
export function exportedInterviews(
  interviews: readonly InterviewRecord[],
  kind: DeviceExportKind,
  questionnaireId: string,
): InterviewRecord[] {
  const status = kind === 'screen-outs' ? 'screened_out' : 'completed';
  return interviews
    .filter(
      (interview) =>
        !interview.practice &&
        interview.status === status &&
        interview.questionnaireId === questionnaireId,
    )
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}

async function layoutOf(
  store: InterviewStore,
  cache: QuestionnaireCache,
  questionnaireId: string,
  interviews: readonly InterviewRecord[],
): Promise<ExportLayout> {
  const compiled: Questionnaire[] = [];
  for (const installed of await store.listQuestionnaires()) {
    if (installed.questionnaireId !== questionnaireId) continue;
    const q = await cache.get(questionnaireId, installed.version);
    if (q !== undefined && 'definition' in q) compiled.push(q);
  }
  if (compiled.length === 0)
    throw new Error(`questionnaire ${questionnaireId} is not installed on this tablet`);
  // The items interviews were made with their site's bands for, and the site's item now, get
  // the bands' amount columns, as the server's export does: the bands may have changed since.
  const bands = (await store.getSettings())?.siteSettings?.incomeBands;
  const incomeItems = new Set(
    interviews.flatMap((interview) =>
      interview.questionnaireId === questionnaireId && interview.incomeBands !== undefined
        ? [interview.incomeBands.item]
        : [],
    ),
  );
  if (bands !== undefined && bands !== null) incomeItems.add(bands.item);
  return exportLayout(compiled, incomeItems.size === 0 ? {} : { incomeItems: [...incomeItems] });
}

/**
 * Builds one export file's text. `onProgress(done, total)` is called after every step of
 * `EXPORT_STEP` interviews.
 */
/** A store that also gives an interview's answers with their anonymised form (ExportStore). */
export interface FinishedReader {
  finished(interviewId: string): Promise<FinishedAnswers>;
}

export async function runDeviceExport(
  store: InterviewStore & Partial<FinishedReader>,
  cache: QuestionnaireCache,
  request: DeviceExportRequest,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<DeviceExportResult> {
  const { kind, questionnaireId, separator, bom, options } = request;
  const csv = { delimiter: separator, newline: NEWLINE };
  const unparse = (rows: readonly (readonly string[])[]) => csvRows(rows, csv) + NEWLINE;
  const all = await store.listInterviews();
  const layout = await layoutOf(store, cache, questionnaireId, all);
  const start = bom ? '\uFEFF' : '';
  const language =
    options.language ??
    layout.byVersion.get(layout.versions[0] ?? '')?.definition.defaultLanguage ??
    'fr';
  if (kind === 'codebook') {
    const book = codebookRows(layout, language, options.formulas);
    const text = start + unparse([[...CODEBOOK_HEADER], ...book]);
    return { parts: [text], rows: 0, skipped: [] };
  }
  const settings = await store.getSettings();
  const plan = settings?.quotaPlan === undefined ? undefined : loadQuotaPlan(settings.quotaPlan);
  const variables = plan?.status === 'success' ? plan.plan.variables.map(({ id }) => id) : [];
  const header = kind === 'interviews' ? exportHeader(layout) : screenOutHeader(variables);
  // The site's wall-clock times, as the server writes them: the tablet knows its own site's zone.
  const zone = siteTimeZone(settings);
  const rowOptions = (site: string): ExportOptions =>
    zone === undefined ? options : { ...options, timeZones: new Map([[site, zone]]) };
  const interviews = exportedInterviews(all, kind, questionnaireId);
  const parts = [start + unparse([header])];
  const skipped: { id: string; problem: string }[] = [];
  let rows = 0;
  for (let from = 0; from < interviews.length; from += EXPORT_STEP) {
    const chunk: string[][] = [];
    for (const interview of interviews.slice(from, from + EXPORT_STEP)) {
      const known = store.finished === undefined ? undefined : await store.finished(interview.id);
      const built = await buildRecord(store, cache, interview, known);
      if ('problem' in built) {
        skipped.push({ id: interview.id, problem: built.problem });
        continue;
      }
      chunk.push(
        kind === 'interviews'
          ? exportRow(layout, built.record, rowOptions(built.record.site))
          : screenOutRow(built.record, variables, layout.byVersion, language, options.formulas),
      );
    }
    if (chunk.length > 0) parts.push(unparse(chunk));
    rows += chunk.length;
    onProgress(Math.min(from + EXPORT_STEP, interviews.length), interviews.length);
  }
  return { parts, rows, skipped };
}

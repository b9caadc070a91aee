// The analysts' CSV exports (interviews, screen-outs, break-offs, paradata, codebook), streamed: records are read a page at a time, turned into rows and
// written as CSV by src/core/export, so memory stays flat whatever the number of records.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CsvDelimiter, ExportLayout, ExportOptions } from '../../core/export/index.ts';
import {
  CODEBOOK_HEADER,
  PARADATA_FILE_HEADER,
  breakOffHeader,
  breakOffRow,
  codebookRows,
  csvLine,
  csvRows,
  exportHeader,
  exportLayout,
  exportRow,
  fileColumnRows,
  paradataRows,
  screenOutHeader,
  screenOutRow,
} from '../../core/export/index.ts';
import type { ExportQuery, InterviewRecordWire } from '../../core/protocol/index.ts';
import { API_PREFIX, ExportQuerySchema, sees } from '../../core/protocol/index.ts';
import type { Questionnaire } from '../../core/questionnaire/index.ts';
import { loadQuotaPlan } from '../../core/quota/index.ts';
import type { StoredRecord, User } from '../store/types.ts';
import type { Role, RouteContext } from './context.ts';
import { HttpError, accessOf } from './context.ts';

/** Records read from the store at a time: the export holds at most one page of them. */
export const EXPORT_PAGE = 500;
const NEWLINE = '\r\n';
const BOM = '\uFEFF';

const ROLES: readonly Role[] = ['admin', 'coordinator', 'analyst'];

interface Settings {
  readonly query: ExportQuery;
  readonly delimiter: CsvDelimiter;
  readonly options: ExportOptions;
  readonly bom: boolean;
}

export function registerExportRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, userWith, iso } = context;

  function settings(request: FastifyRequest): Settings {
    const parsed = ExportQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.map(String).join('.') ?? 'query';
      throw new HttpError(400, 'bad_request', `${where}: ${issue?.message ?? 'invalid'}`);
    }
    const query = parsed.data;
    return {
      query,
      delimiter: query.separator === 'semicolon' ? ';' : ',',
      bom: query.bom === '1',
      options: {
        values: query.values ?? 'codes',
        ...(query.language === undefined ? {} : { language: query.language }),
        decimalComma: query.decimal === 'comma',
        formulas: query.formulas ?? 'escaped',
      },
    };
  }

  /** The questionnaire's published versions (or the one asked for), compiled once per server. */
  async function layoutFor(query: ExportQuery): Promise<ExportLayout> {
    const published = await store.listQuestionnaireVersions();
    const ids = [...new Set(published.map((row) => row.questionnaireId))].sort();
    const id = query.questionnaire ?? (ids.length === 1 ? ids[0] : undefined);
    if (id === undefined)
      throw new HttpError(
        400,
        'bad_request',
        `questionnaire: say which one (?questionnaire=...): ${ids.join(', ') || 'none is published'}`,
      );
    const rows = published.filter(
      (row) =>
        row.questionnaireId === id &&
        (query.version === undefined || row.version === query.version),
    );
    if (rows.length === 0)
      throw new HttpError(
        404,
        'not_found',
        `no published questionnaire ${id}${query.version === undefined ? '' : ` ${query.version}`}`,
      );
    const compiled: Questionnaire[] = [];
    for (const row of rows) {
      const q = await context.questionnaire(row.questionnaireId, row.version);
      if (q !== undefined) compiled.push(q);
    }
    if (compiled.length === 0)
      throw new HttpError(500, 'internal', `questionnaire ${id} no longer loads on this server`);
    return exportLayout(compiled);
  }

  /** The sites a user may export: one, or all they can see. */
  async function sitesOf(user: User, site: string | undefined): Promise<string[]> {
    if (site !== undefined) {
      if ((await store.getSite(site)) === undefined)
        throw new HttpError(404, 'not_found', `unknown site ${site}`);
      return [site];
    }
    const all = (await store.listSites()).map((entry) => entry.id);
    return all.filter((id) => sees(accessOf(user), id));
  }

  /**
   * The CSV lines of every stored record of the sites with that status (the layout's
   * questionnaire and version), one chunk per page of records. Each record is parsed, made a row
   * and written before the next is parsed: what survives a record is its line, so the
   * garbage collector has little to move.
   */
  async function* csvPages(
    sites: readonly string[],
    layout: ExportLayout,
    query: ExportQuery,
    status: StoredRecord['status'] | undefined,
    delimiter: CsvDelimiter,
    cells: (record: InterviewRecordWire) => readonly string[],
  ): AsyncGenerator<string> {
    yield* csvRowPages(sites, layout, query, status, delimiter, (record) => [cells(record)]);
  }

  /** `csvPages` for files with any number of rows per record (none, one, or one per item). */
  async function* csvRowPages(
    sites: readonly string[],
    layout: ExportLayout,
    query: ExportQuery,
    status: StoredRecord['status'] | undefined,
    delimiter: CsvDelimiter,
    rowsOf: (record: InterviewRecordWire) => readonly (readonly string[])[],
  ): AsyncGenerator<string> {
    for (const site of sites) {
      let after: { receivedAt: string; id: string } | null = null;
      for (;;) {
        const page = await store.listRecordBodies(
          {
            site,
            questionnaireId: layout.questionnaireId,
            ...(query.version === undefined ? {} : { questionnaireVersion: query.version }),
            ...(status === undefined ? {} : { status }),
          },
          after,
          EXPORT_PAGE,
        );
        const last = page.at(-1);
        if (last === undefined) break;
        const lines: string[] = [];
        for (const row of page)
          for (const cells of rowsOf(JSON.parse(row.body) as InterviewRecordWire))
            lines.push(csvLine(cells, delimiter));
        if (lines.length > 0) yield lines.join(NEWLINE) + NEWLINE;
        if (page.length < EXPORT_PAGE) break;
        after = { receivedAt: last.receivedAt, id: last.id };
      }
    }
  }

  function send(
    reply: FastifyReply,
    name: string,
    chunks: () => AsyncGenerator<string>,
  ): FastifyReply {
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${name}"`);
    reply.header('cache-control', 'no-store');
    return reply.send(Readable.from(chunks(), { objectMode: false }));
  }

  function fileName(layout: ExportLayout, sites: readonly string[] | null, what: string): string {
    const scope = sites === null ? '' : sites.length === 1 ? `_${sites[0]}` : '_all-sites';
    return `${layout.questionnaireId}${scope}_${what}_${iso().slice(0, 10)}.csv`;
  }

  async function interviews(request: FastifyRequest, reply: FastifyReply, site?: string) {
    const user = await userWith(request, ROLES, site);
    const { query, delimiter, options, bom } = settings(request);
    const layout = await layoutFor(query);
    const sites = await sitesOf(user, site);
    const row = (record: InterviewRecordWire) => exportRow(layout, record, options);
    return send(reply, fileName(layout, sites, 'interviews'), async function* () {
      yield (bom ? BOM : '') + csvLine(exportHeader(layout), delimiter) + NEWLINE;
      yield* csvPages(sites, layout, query, 'completed', delimiter, row);
    });
  }

  async function screenOuts(request: FastifyRequest, reply: FastifyReply, site?: string) {
    const user = await userWith(request, ROLES, site);
    const { query, delimiter, options, bom } = settings(request);
    const layout = await layoutFor(query);
    const sites = await sitesOf(user, site);
    const variables: string[] = [];
    for (const id of sites) {
      const plan = (await store.getSite(id))?.plan;
      const checked = plan === null || plan === undefined ? undefined : loadQuotaPlan(plan);
      if (checked?.status !== 'success') continue;
      for (const variable of checked.plan.variables)
        if (!variables.includes(variable.id)) variables.push(variable.id);
    }
    const language =
      options.language ??
      layout.byVersion.get(layout.versions[0] ?? '')?.definition.defaultLanguage ??
      'fr';
    const row = (record: InterviewRecordWire) =>
      screenOutRow(record, variables, layout.byVersion, language, options.formulas);
    return send(reply, fileName(layout, sites, 'screen-outs'), async function* () {
      yield (bom ? BOM : '') + csvLine(screenOutHeader(variables), delimiter) + NEWLINE;
      yield* csvPages(sites, layout, query, 'screened_out', delimiter, row);
    });
  }

  async function breakOffs(request: FastifyRequest, reply: FastifyReply, site?: string) {
    const user = await userWith(request, ROLES, site);
    const { query, delimiter, options, bom } = settings(request);
    const layout = await layoutFor(query);
    const sites = await sitesOf(user, site);
    const row = (record: InterviewRecordWire) => breakOffRow(layout, record, options);
    return send(reply, fileName(layout, sites, 'break-offs'), async function* () {
      yield (bom ? BOM : '') + csvLine(breakOffHeader(layout), delimiter) + NEWLINE;
      yield* csvPages(sites, layout, query, 'broken_off', delimiter, row);
    });
  }

  async function paradata(request: FastifyRequest, reply: FastifyReply, site?: string) {
    const user = await userWith(request, ROLES, site);
    const { query, delimiter, options, bom } = settings(request);
    const layout = await layoutFor(query);
    const sites = await sitesOf(user, site);
    const rows = (record: InterviewRecordWire) => paradataRows(layout, record, options);
    return send(reply, fileName(layout, sites, 'paradata'), async function* () {
      yield (bom ? BOM : '') + csvLine([...PARADATA_FILE_HEADER], delimiter) + NEWLINE;
      // Every stored record, whatever its status (the file says it): completed, screened out and
      // broken off.
      yield* csvRowPages(sites, layout, query, undefined, delimiter, rows);
    });
  }

  app.get(`${API_PREFIX}/sites/:site/export/interviews.csv`, async (request, reply) =>
    interviews(request, reply, (request.params as { site: string }).site),
  );
  app.get(`${API_PREFIX}/export/interviews.csv`, async (request, reply) =>
    interviews(request, reply),
  );
  app.get(`${API_PREFIX}/sites/:site/export/screen-outs.csv`, async (request, reply) =>
    screenOuts(request, reply, (request.params as { site: string }).site),
  );
  app.get(`${API_PREFIX}/export/screen-outs.csv`, async (request, reply) =>
    screenOuts(request, reply),
  );
  app.get(`${API_PREFIX}/sites/:site/export/break-offs.csv`, async (request, reply) =>
    breakOffs(request, reply, (request.params as { site: string }).site),
  );
  app.get(`${API_PREFIX}/export/break-offs.csv`, async (request, reply) =>
    breakOffs(request, reply),
  );
  app.get(`${API_PREFIX}/sites/:site/export/paradata.csv`, async (request, reply) =>
    paradata(request, reply, (request.params as { site: string }).site),
  );
  app.get(`${API_PREFIX}/export/paradata.csv`, async (request, reply) => paradata(request, reply));
  app.get(`${API_PREFIX}/export/codebook.csv`, async (request, reply) => {
    await userWith(request, ROLES);
    const { query, delimiter, options, bom } = settings(request);
    const layout = await layoutFor(query);
    const language =
      options.language ??
      layout.byVersion.get(layout.versions[0] ?? '')?.definition.defaultLanguage ??
      'fr';
    const rows = [
      [...CODEBOOK_HEADER],
      ...codebookRows(layout, language, options.formulas),
      ...fileColumnRows(layout, language, options.formulas),
    ];
    const text = csvRows(rows, { delimiter, newline: NEWLINE });
    return send(reply, fileName(layout, null, 'codebook'), async function* () {
      yield (bom ? BOM : '') + text + NEWLINE;
    });
  });
}

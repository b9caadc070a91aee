// The analysts' exports: CSV files (interviews, screen-outs, break-offs, paradata, codebook,
// margins), streamed: records are read a page at a time, turned into rows and written as CSV by
// src/core/export, so memory stays flat whatever the number of records; and the scripts that load
// the interviews' CSV labelled in R, Stata and SPSS.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  CsvDelimiter,
  CsvFormat,
  ExportLayout,
  ExportOptions,
} from '../../core/export/index.ts';
import {
  CODEBOOK_HEADER,
  MARGINS_HEADER,
  PARADATA_FILE_HEADER,
  breakOffHeader,
  breakOffRow,
  codebookRows,
  csvLine,
  csvRows,
  dictionaryOf,
  exportHeader,
  exportLayout,
  exportRow,
  fileColumnRows,
  marginsRows,
  methodNote,
  neutralised,
  paradataRows,
  rScript,
  screenOutHeader,
  screenOutRow,
  spssScript,
  stataScript,
} from '../../core/export/index.ts';
import type { ExportQuery, InterviewRecordWire } from '../../core/protocol/index.ts';
import { API_PREFIX, ExportQuerySchema, sees } from '../../core/protocol/index.ts';
import type { Questionnaire } from '../../core/questionnaire/index.ts';
import type { QuotaPlan, RakedWeights } from '../../core/quota/index.ts';
import { loadQuotaPlan, rakeWeights } from '../../core/quota/index.ts';
import type { StoredRecord, User } from '../store/types.ts';
import type { Role, RouteContext } from './context.ts';
import { HttpError, accessOf } from './context.ts';

/** Records read from the store at a time: the export holds at most one page of them. */
export const EXPORT_PAGE = 500;
const NEWLINE = '\r\n';
const BOM = '\uFEFF';

const ROLES: readonly Role[] = ['admin', 'coordinator', 'analyst'];

/** The scripts that load the interviews' CSV, by route extension. */
const SCRIPTS = {
  R: { make: rScript, type: 'text/plain' },
  do: { make: stataScript, type: 'text/plain' },
  sps: { make: spssScript, type: 'text/plain' },
} as const;

/** The margins' columns that hold numbers: written with a decimal comma on request. */
const NUMERIC_MARGINS = new Set(
  (
    [
      'census',
      'census_share',
      'target',
      'sample',
      'sample_share',
      'weighted',
      'weighted_share',
    ] as const
  ).map((name) => MARGINS_HEADER.indexOf(name)),
);

/** The questionnaire an export is about and the versions it merges. */
interface Chosen {
  readonly id: string;
  readonly versions: readonly string[];
}

/** What the export needs of each site beside its records. */
interface SiteFacts {
  /** The valid quota plans of the layout's questionnaire, by site. */
  readonly plans: ReadonlyMap<string, QuotaPlan>;
  /** Every plan's variables, in order of first appearance: the `quota_<id>` columns. */
  readonly quotaVariables: readonly string[];
  readonly timeZones: ReadonlyMap<string, string>;
}

/** The key of a respondent's categories in a plan: one code per variable, `|` between. */
function categoryKey(plan: QuotaPlan, categories: Readonly<Record<string, string | undefined>>) {
  return plan.variables
    .map((variable) =>
      Object.hasOwn(categories, variable.id) ? (categories[variable.id] ?? '') : '',
    )
    .join('|');
}

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
      throw new HttpError(400, 'bad_request', `${where}: ${issue?.message ?? 'invalid'}`, {
        reason: 'invalid',
        field: where,
      });
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
        lineBreaks: query.linebreaks ?? 'keep',
      },
    };
  }

  /** The sites' plans (for the layout's questionnaire), their variables and time zones. */
  async function siteFacts(sites: readonly string[], questionnaireId: string): Promise<SiteFacts> {
    const plans = new Map<string, QuotaPlan>();
    const quotaVariables: string[] = [];
    const timeZones = new Map<string, string>();
    for (const id of sites) {
      const site = await store.getSite(id);
      if (site === undefined) continue;
      timeZones.set(id, site.timeZone);
      const checked = site.plan === null ? undefined : loadQuotaPlan(site.plan);
      if (checked?.status !== 'success' || checked.plan.questionnaire !== questionnaireId) continue;
      plans.set(id, checked.plan);
      for (const variable of checked.plan.variables)
        if (!quotaVariables.includes(variable.id)) quotaVariables.push(variable.id);
    }
    return { plans, quotaVariables, timeZones };
  }

  /**
   * Each site's weights on its plan, from the categories of its completed interviews (what its
   * quotas count), and a record's weight by its site and categories.
   */
  async function weightsOf(facts: SiteFacts): Promise<{
    readonly bySite: ReadonlyMap<string, RakedWeights>;
    readonly weightOf: (record: InterviewRecordWire) => number | undefined;
  }> {
    const bySite = new Map<string, RakedWeights>();
    const byKey = new Map<string, Map<string, number>>();
    for (const [site, plan] of facts.plans) {
      const samples = (await store.quotaRows(site))
        .filter((row) => row.status === 'completed')
        .map((row) => JSON.parse(row.quotaCategories) as Record<string, string | undefined>);
      const result = rakeWeights(plan, samples);
      bySite.set(site, result);
      const weights = new Map<string, number>();
      for (const [index, sample] of samples.entries()) {
        const weight = result.weights[index];
        if (weight !== undefined) weights.set(categoryKey(plan, sample), weight);
      }
      byKey.set(site, weights);
    }
    return {
      bySite,
      weightOf: (record) => {
        const plan = facts.plans.get(record.site);
        if (plan === undefined) return undefined;
        return byKey.get(record.site)?.get(categoryKey(plan, record.quotaCategories));
      },
    };
  }

  /**
   * The questionnaire an export is about (the one asked for, or the only one published) and its
   * published versions (or the one asked for): one read of the published list per request.
   */
  async function chosenQuestionnaire(query: ExportQuery): Promise<Chosen> {
    const published = await store.listQuestionnaireVersions();
    const ids = [...new Set(published.map((row) => row.questionnaireId))].sort();
    const id = query.questionnaire ?? (ids.length === 1 ? ids[0] : undefined);
    if (id === undefined)
      throw new HttpError(
        400,
        'bad_request',
        `questionnaire: say which one (?questionnaire=...): ${ids.join(', ') || 'none is published'}`,
        { reason: 'which_questionnaire', field: 'questionnaire', questionnaires: ids },
      );
    const versions = published
      .filter(
        (row) =>
          row.questionnaireId === id &&
          (query.version === undefined || row.version === query.version),
      )
      .map((row) => row.version);
    if (versions.length === 0)
      throw new HttpError(
        404,
        'not_found',
        `no published questionnaire ${id}${query.version === undefined ? '' : ` ${query.version}`}`,
        {
          what: 'questionnaire',
          questionnaire: id,
          ...(query.version === undefined ? {} : { version: query.version }),
        },
      );
    return { id, versions };
  }

  /**
   * The chosen versions' layout (compiled once per server), with the sites' quota columns and the
   * income bands' amount columns of the records of `sites`.
   */
  async function layoutOf(
    chosen: Chosen,
    sites: readonly string[],
    quotaVariables?: readonly string[],
  ): Promise<ExportLayout> {
    const compiled: Questionnaire[] = [];
    for (const version of chosen.versions) {
      const q = await context.questionnaire(chosen.id, version);
      if (q !== undefined) compiled.push(q);
    }
    if (compiled.length === 0)
      throw new HttpError(
        500,
        'internal',
        `questionnaire ${chosen.id} no longer loads on this server`,
      );
    // The items records were made with their site's bands for get the bands' amount columns:
    // read from the records, since a site may have cleared or changed its bands since; and those
    // any site gives bands for now, so that the columns do not wait for its first record.
    const incomeItems = [
      ...new Set([
        ...(await store.listSites()).flatMap((site) => site.incomeBands?.item ?? []),
        ...(await store.incomeBandItems({
          sites,
          questionnaireId: chosen.id,
          ...(chosen.versions.length === 1 && chosen.versions[0] !== undefined
            ? { questionnaireVersion: chosen.versions[0] }
            : {}),
        })),
      ]),
    ];
    return exportLayout(compiled, {
      ...(quotaVariables === undefined ? {} : { quotaVariables }),
      ...(incomeItems.length === 0 ? {} : { incomeItems }),
    });
  }

  /** The sites a user may export: one, or all they can see. */
  async function sitesOf(user: User, site: string | undefined): Promise<string[]> {
    if (site !== undefined) {
      if ((await store.getSite(site)) === undefined)
        throw new HttpError(404, 'not_found', `unknown site ${site}`, { what: 'site', site });
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
    const sites = await sitesOf(user, site);
    const chosen = await chosenQuestionnaire(query);
    const facts = await siteFacts(sites, chosen.id);
    const layout = await layoutOf(chosen, sites, facts.quotaVariables);
    const { weightOf } = await weightsOf(facts);
    const rowOptions: ExportOptions = { ...options, timeZones: facts.timeZones, weightOf };
    const row = (record: InterviewRecordWire) => exportRow(layout, record, rowOptions);
    return send(reply, fileName(layout, sites, 'interviews'), async function* () {
      yield (bom ? BOM : '') + csvLine(exportHeader(layout), delimiter) + NEWLINE;
      yield* csvPages(sites, layout, query, 'completed', delimiter, row);
    });
  }

  async function screenOuts(request: FastifyRequest, reply: FastifyReply, site?: string) {
    const user = await userWith(request, ROLES, site);
    const { query, delimiter, options, bom } = settings(request);
    // Its rows use none of the layout's income columns: no record is read for them.
    const layout = await layoutOf(await chosenQuestionnaire(query), []);
    const sites = await sitesOf(user, site);
    const variables = (await siteFacts(sites, layout.questionnaireId)).quotaVariables;
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
    const sites = await sitesOf(user, site);
    // The interviews' columns, their quota categories included; no weight: a broken-off
    // interview is not in the sample.
    const chosen = await chosenQuestionnaire(query);
    const facts = await siteFacts(sites, chosen.id);
    const layout = await layoutOf(chosen, sites, facts.quotaVariables);
    const rowOptions: ExportOptions = { ...options, timeZones: facts.timeZones };
    const row = (record: InterviewRecordWire) => breakOffRow(layout, record, rowOptions);
    return send(reply, fileName(layout, sites, 'break-offs'), async function* () {
      yield (bom ? BOM : '') + csvLine(breakOffHeader(layout), delimiter) + NEWLINE;
      yield* csvPages(sites, layout, query, 'broken_off', delimiter, row);
    });
  }

  async function paradata(request: FastifyRequest, reply: FastifyReply, site?: string) {
    const user = await userWith(request, ROLES, site);
    const { query, delimiter, options, bom } = settings(request);
    // Its rows use none of the layout's income columns: no record is read for them.
    const layout = await layoutOf(await chosenQuestionnaire(query), []);
    const sites = await sitesOf(user, site);
    const rows = (record: InterviewRecordWire) => paradataRows(layout, record, options);
    return send(reply, fileName(layout, sites, 'paradata'), async function* () {
      yield (bom ? BOM : '') + csvLine([...PARADATA_FILE_HEADER], delimiter) + NEWLINE;
      // Every stored record, whatever its status (the file says it): completed, screened out and
      // broken off.
      yield* csvRowPages(sites, layout, query, undefined, delimiter, rows);
    });
  }

  /**
   * A script that loads the interviews' CSV of the same scope, options and day, labelled: its
   * default path is that CSV's file name. Scripts read codes: `values=labels` is refused.
   */
  async function script(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: keyof typeof SCRIPTS,
    site?: string,
  ) {
    const user = await userWith(request, ROLES, site);
    const { query, delimiter, options, bom } = settings(request);
    if (options.values === 'labels')
      throw new HttpError(
        400,
        'bad_request',
        'values: the scripts read the codes export (values=codes) and label it themselves',
        { reason: 'scripts_need_codes', field: 'values' },
      );
    const sites = await sitesOf(user, site);
    const chosen = await chosenQuestionnaire(query);
    const facts = await siteFacts(sites, chosen.id);
    const layout = await layoutOf(chosen, sites, facts.quotaVariables);
    const language =
      options.language ??
      layout.byVersion.get(layout.versions[0] ?? '')?.definition.defaultLanguage ??
      'fr';
    const format: CsvFormat = {
      fileName: fileName(layout, sites, 'interviews'),
      delimiter,
      decimalComma: options.decimalComma === true,
      bom,
    };
    const text = SCRIPTS[kind].make(dictionaryOf(layout, language), format);
    reply.header('content-type', `${SCRIPTS[kind].type}; charset=utf-8`);
    reply.header(
      'content-disposition',
      `attachment; filename="${format.fileName.replace(/\.csv$/, `.${kind}`)}"`,
    );
    reply.header('cache-control', 'no-store');
    return reply.send(text);
  }

  /** Each site's quota margins: census, sample and weighted counts and shares, per table cell. */
  async function margins(request: FastifyRequest, reply: FastifyReply, site?: string) {
    const user = await userWith(request, ROLES, site);
    const { query, delimiter, options, bom } = settings(request);
    // Its rows use none of the layout's income columns: no record is read for them.
    const layout = await layoutOf(await chosenQuestionnaire(query), []);
    const sites = await sitesOf(user, site);
    const facts = await siteFacts(sites, layout.questionnaireId);
    const { bySite } = await weightsOf(facts);
    const language =
      options.language ??
      layout.byVersion.get(layout.versions[0] ?? '')?.definition.defaultLanguage ??
      'fr';
    const rows: string[][] = [[...MARGINS_HEADER]];
    for (const [id, plan] of facts.plans) {
      const result = bySite.get(id);
      if (result === undefined) continue;
      for (const row of marginsRows(id, plan, result, language, options.formulas))
        rows.push(
          options.decimalComma === true
            ? row.map((cell, index) => (NUMERIC_MARGINS.has(index) ? cell.replace('.', ',') : cell))
            : row,
        );
    }
    const text = csvRows(rows, { delimiter, newline: NEWLINE });
    return send(reply, fileName(layout, sites, 'margins'), async function* () {
      yield (bom ? BOM : '') + text + NEWLINE;
    });
  }

  for (const kind of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
    app.get(`${API_PREFIX}/sites/:site/export/interviews.${kind}`, async (request, reply) =>
      script(request, reply, kind, (request.params as { site: string }).site),
    );
    app.get(`${API_PREFIX}/export/interviews.${kind}`, async (request, reply) =>
      script(request, reply, kind),
    );
  }
  app.get(`${API_PREFIX}/sites/:site/export/margins.csv`, async (request, reply) =>
    margins(request, reply, (request.params as { site: string }).site),
  );
  app.get(`${API_PREFIX}/export/margins.csv`, async (request, reply) => margins(request, reply));
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
    const user = await userWith(request, ROLES);
    const { query, delimiter, options, bom } = settings(request);
    const chosen = await chosenQuestionnaire(query);
    const sites = await sitesOf(user, undefined);
    const facts = await siteFacts(sites, chosen.id);
    const layout = await layoutOf(chosen, sites, facts.quotaVariables);
    const language =
      options.language ??
      layout.byVersion.get(layout.versions[0] ?? '')?.definition.defaultLanguage ??
      'fr';
    const columns = codebookRows(layout, language, options.formulas);
    // The weight's row ends with each site's method: tables, convergence, trimming, exclusions.
    const weight = layout.columns.findIndex((column) => column.kind === 'weight');
    const row = columns[weight];
    if (row !== undefined) {
      const { bySite } = await weightsOf(facts);
      const methods = [...bySite].map(
        ([site, result]) =>
          `${site}${language === 'fr' ? ' :' : ':'} ${methodNote(result, language)}`,
      );
      const note = [row[CODEBOOK_HEADER.indexOf('note')], ...methods].join(' | ');
      row[CODEBOOK_HEADER.indexOf('note')] = options.formulas === 'raw' ? note : neutralised(note);
    }
    const rows = [
      [...CODEBOOK_HEADER],
      ...columns,
      ...fileColumnRows(layout, language, options.formulas),
    ];
    const text = csvRows(rows, { delimiter, newline: NEWLINE });
    return send(reply, fileName(layout, null, 'codebook'), async function* () {
      yield (bom ? BOM : '') + text + NEWLINE;
    });
  });
}

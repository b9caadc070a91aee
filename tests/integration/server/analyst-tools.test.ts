// The analyst's day, end to end: a site planned from census files, 600 SMPG 2026.2 interviews
// stored, and the server's interviews file, margins and scripts downloaded as an analyst would.
// R (with haven) loads the file labelled, with non-responses as tagged missing values, and the
// weights reproduce the census margins to 0.1 %; GNU PSPP runs the SPSS syntax on the same file
// without an error; the Stata do-file passes the grammar check. Real tools, real files, real store.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import type { QuotaPlan } from '../../../src/core/quota/index.ts';
import { classify } from '../../../src/core/quota/index.ts';
import { planFromCensusFiles } from '../../../src/core/quota/census-files.ts';
import { toStoredRecord } from '../../../src/server/admit.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import { SqliteStore } from '../../../src/server/store/sqlite-store.ts';
import { ensureAnalysisTools } from '../../helpers/analysis-tools.ts';
import { checkStataSyntax } from '../../helpers/stata-grammar.ts';
import { makeRecord, randomPolicy, seededRandom, seededUuid } from '../../helpers/records.ts';
import { loadSmpg } from '../../helpers/smpg.ts';

const run = promisify(execFile);
const AT = '2026-11-23T10:00:00.000Z';
const DAY = AT.slice(0, 10);
const SIZE = 600;
const fixture = (name: string) => ({
  name,
  text: readFileSync(join('tests/fixtures/census', name), 'utf8'),
});

describe("the analyst's files in R, SPSS and Stata", () => {
  const smpg = loadSmpg('2026.2');
  let dir: string;
  let store: SqliteStore;
  let app: FastifyInstance;
  let token: string;
  let plan: QuotaPlan;
  let records: InterviewRecordWire[];
  const files: Record<string, string> = {};

  const download = async (path: string, name: string): Promise<string> => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/sites/cayenne/export/${path}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    const file = join(dir, name);
    writeFileSync(file, response.rawPayload);
    files[name] = file;
    return response.body;
  };

  beforeAll(async () => {
    await ensureAnalysisTools();
    dir = mkdtempSync(join(tmpdir(), 'smpg-analyst-'));
    const preview = planFromCensusFiles({
      files: [
        fixture('made-up-base-ic-evol-struct-pop-2021.csv'),
        fixture('made-up-base-ic-diplomes-formation-2021.csv'),
      ],
      zone: ['97302', '97307'],
      bands: '18-29,30-44,45-59,60-74,75+',
      size: 900,
      tolerance: 0.05,
      site: 'cayenne',
      questionnaire: 'smpg',
    });
    if (preview.plan === undefined) throw new Error('the census fixtures no longer make a plan');
    plan = preview.plan;
    // A quota sample as the field makes it: the plan's 900 respondents, each table's cells filled
    // to their targets (sex and age, occupation and diploma drawn apart), then a third of them
    // missing at random, as when fieldwork stops short: the weights have work to do.
    const random = seededRandom(27);
    const shuffled = <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
      return items;
    };
    const drawn = (table: string) =>
      shuffled(
        (plan.tables.find((candidate) => candidate.id === table)?.cells ?? []).flatMap((cell) =>
          Array.from({ length: cell.target }, () => cell.key),
        ),
      );
    const sexAge = drawn('sex_age');
    const csp = drawn('csp');
    const diploma = drawn('diploma');
    const ages = plan.variables.find((variable) => variable.id === 'age')?.source;
    const eligible = {
      elig_adult: '1',
      elig_zone: '1',
      elig_housing: '1',
      elig_first: '1',
      elig_consent: '1',
    };
    records = [];
    for (const [i, [sex = '', band = '']] of sexAge.entries()) {
      const range =
        ages !== undefined && 'bands' in ages ? ages.bands.find((b) => b.code === band) : undefined;
      const low = range?.min ?? 18;
      const age = low + Math.floor(random() * ((range?.max ?? 90) - low + 1));
      const script = {
        ...eligible,
        sex,
        age,
        csp: csp[i]?.[0] ?? '',
        diploma: diploma[i]?.[0] ?? '',
      };
      const made = makeRecord(smpg, script, randomPolicy(smpg, seededRandom(5000 + i)), {
        id: seededUuid(random),
        site: 'cayenne',
        deviceId: 'tablet',
        interviewer: `ENQ-0${i % 4}`,
      });
      const categories = classify(plan, made.answers);
      expect(made.record.status).toBe('completed');
      expect(Object.values(categories)).not.toContain(undefined);
      records.push({ ...made.record, quotaCategories: categories as Record<string, string> });
    }
    records = shuffled(records).slice(0, SIZE);
    store = new SqliteStore(join(dir, 'smpg.sqlite'));
    await store.migrate();
    await store.createSite({
      id: 'cayenne',
      name: 'Cayenne',
      plan,
      shortInterviewSeconds: 600,
      createdAt: AT,
    });
    const definition = readFileSync('questionnaires/smpg/2026.2.json', 'utf8');
    await store.publishQuestionnaire({
      questionnaireId: 'smpg',
      version: '2026.2',
      definition,
      labelPacks: '[]',
      publishedAt: AT,
    });
    await store.putRecords(records.map((record) => toStoredRecord(record, 'tablet', AT)));
    await createUser(
      store,
      'analyst',
      'pw-analyst',
      { admin: false, grants: [{ site: 'cayenne', role: 'analyst' }] },
      AT,
    );
    app = await buildApp({ store, now: () => new Date(AT) });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'analyst', password: 'pw-analyst' },
    });
    token = (login.json() as { token: string }).token;
    const query = '?questionnaire=smpg&separator=semicolon&decimal=comma&bom=1&linebreaks=space';
    await download(`interviews.csv${query}`, `smpg_cayenne_interviews_${DAY}.csv`);
    await download(`margins.csv${query}`, 'margins.csv');
    for (const extension of ['R', 'sps', 'do'])
      await download(`interviews.${extension}${query}`, `interviews.${extension}`);
  }, 600_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('has every quota cell filled, so that the raking can meet the census', () => {
    expect(records).toHaveLength(SIZE);
    const [header = [], ...rows] = Papa.parse<string[]>(
      readFileSync(files['margins.csv'] ?? '', 'utf8').replace(/^\uFEFF/, ''),
      { delimiter: ';', skipEmptyLines: true },
    ).data;
    const sample = header.indexOf('sample');
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) expect(Number(row[sample]), row.join(';')).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row[header.indexOf('basis')]))).toEqual(new Set(['census']));
  });

  it('loads in R labelled, non-responses missing with their reason, weights on the census', async () => {
    const check = join(dir, 'check.R');
    // The analyst's checks, in R: every line printed is `name value`.
    writeFileSync(
      check,
      `
csv_file <- ${JSON.stringify(files[`smpg_cayenne_interviews_${DAY}.csv`])}
source(${JSON.stringify(files['interviews.R'])})
out <- function(name, value) cat(name, format(value, digits = 12), "\\n")
out("rows", nrow(interviews))
out("sex_labels", paste(names(attr(interviews$sex, "labels")), collapse = "/"))
out("sex_label", attr(interviews$sex, "label"))
tags <- haven::na_tag(interviews$sd_income)
out("income_refused", sum(!is.na(tags) & tags == "b"))
out("income_dont_know", sum(!is.na(tags) & tags == "a"))
out("income_mean_finite", is.finite(mean(interviews$sd_income, na.rm = TRUE)))
out("res_dep_zero_or_one", all(interviews$res_dep[!is.na(interviews$res_dep)] %in% c(0, 1)))
out("res_dep_missing", sum(is.na(interviews$res_dep)))
out("age_band_levels", paste(levels(haven::as_factor(interviews$age_band)), collapse = "/"))
out("started_class", class(interviews$started_at)[1])
m <- read.csv2(${JSON.stringify(files['margins.csv'])}, colClasses = "character", fileEncoding = "UTF-8-BOM")
w <- interviews$weight
deviation <- 0
for (i in seq_len(nrow(m))) {
  vars <- strsplit(m$variables[i], "|", fixed = TRUE)[[1]]
  codes <- strsplit(m$cell[i], "|", fixed = TRUE)[[1]]
  inside <- rep(TRUE, nrow(interviews))
  for (j in seq_along(vars)) inside <- inside & interviews[[paste0("quota_", vars[j])]] == codes[j]
  share <- sum(w[inside]) / sum(w)
  deviation <- max(deviation, abs(share - as.numeric(sub(",", ".", m$census_share[i]))))
}
out("weight_sum", sum(w))
out("max_deviation", deviation)
`,
    );
    const { stdout } = await run('Rscript', ['--vanilla', check], { maxBuffer: 16 * 1024 * 1024 });
    const said = new Map(
      stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line) => {
          const space = line.indexOf(' ');
          return [line.slice(0, space), line.slice(space + 1).trim()] as const;
        }),
    );
    const count = (id: string, code: unknown) =>
      records.filter((record) => JSON.stringify(record.answers[id]) === JSON.stringify(code))
        .length;
    expect(said.get('rows')).toBe(String(SIZE));
    expect(said.get('sex_labels')).toMatch(/homme.*femme/i);
    expect(said.get('sex_label')).not.toBe('sex');
    expect(said.get('income_refused')).toBe(String(count('sd_income', { nonResponse: 'refused' })));
    expect(said.get('income_dont_know')).toBe(
      String(count('sd_income', { nonResponse: 'dont_know' })),
    );
    expect(Number(said.get('income_refused'))).toBeGreaterThan(0);
    expect(said.get('income_mean_finite')).toBe('TRUE');
    expect(said.get('res_dep_zero_or_one')).toBe('TRUE');
    // A module result is missing exactly where the export says it could not be assessed (or the
    // module was not asked), never 0 in its place.
    const unassessed = records.filter((record) => typeof record.computed['res_dep'] !== 'number');
    expect(said.get('res_dep_missing')).toBe(String(unassessed.length));
    expect(said.get('age_band_levels')).toContain('18 à 29 ans');
    expect(said.get('started_class')).toBe('POSIXct');
    expect(Number(said.get('weight_sum'))).toBeCloseTo(SIZE, 6);
    expect(Number(said.get('max_deviation'))).toBeLessThan(0.001);
  });

  it('runs in GNU PSPP, the SPSS syntax, without an error or a warning', async () => {
    writeFileSync(
      join(dir, 'check.sps'),
      `${readFileSync(files['interviews.sps'] ?? '', 'utf8')}\nDESCRIPTIVES VARIABLES=weight.\n`,
    );
    // SPSS-compatible syntax only, in batch mode as SPSS production jobs run; the syntax reads
    // the interviews' file by its name, from the folder it was saved in.
    const failed = await run(
      'pspp',
      ['-x', 'compatible', '-b', '-o', 'out.csv', '-e', 'errors.txt', 'check.sps'],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
    ).then(
      () => '',
      (error: unknown) => String(error),
    );
    const errors = failed + readFileSync(join(dir, 'errors.txt'), 'utf8');
    const output = readFileSync(join(dir, 'out.csv'), 'utf8');
    expect(errors).toBe('');
    expect(output).not.toMatch(/\berror\b|\bwarning\b/i);
    // DESCRIPTIVES of the weight (named by its label): every interview read, weights averaging 1.
    expect(output).toMatch(new RegExp(`\\npoids de calage[^\\n]*,${SIZE},1\\.00,`));
  });

  it('passes the Stata grammar check, every column named and labelled', () => {
    const doFile = readFileSync(files['interviews.do'] ?? '', 'utf8');
    expect(checkStataSyntax(doFile)).toEqual([]);
    expect(doFile).toContain(`smpg_cayenne_interviews_${DAY}.csv`);
    expect(doFile).toMatch(/mvdecode/);
  });
});

// `npm run quota:plan -- --census <file.csv> [--diploma <file.csv>] --size 900 --site <id>
// [--out plan.json] [--tolerance 0.05] [--bands 18-24,25-39,40-54,55-64,65+]
// [--interviewers A,B,C] [--questionnaire smpg]`: builds a site's quota plan from census tables.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AgeBand, CensusRow } from '../src/core/quota/index.ts';
import {
  PlanError,
  buildPlan,
  loadQuotaPlan,
  parseAgeBand,
  parseCensusCsv,
} from '../src/core/quota/index.ts';

/** The census's 8 groups (PCS 2020 groupes socioprofessionnels, as in INSEE's POP6 tables). */
export const CSP_LABELS: Readonly<Record<string, string>> = {
  '1': 'Agriculteurs exploitants',
  '2': 'Artisans, commerçants, chefs d’entreprise',
  '3': 'Cadres et professions intellectuelles supérieures',
  '4': 'Professions intermédiaires',
  '5': 'Employés',
  '6': 'Ouvriers',
  '7': 'Retraités',
  '8': 'Autres personnes sans activité professionnelle',
};

/** Highest diploma in the census's groups (as the SMPG questionnaire's `diploma` item). */
export const DIPLOMA_LABELS: Readonly<Record<string, string>> = {
  '1': 'Aucun diplôme ou certificat d’études primaires',
  '2': 'BEPC, brevet des collèges, DNB',
  '3': 'CAP, BEP ou équivalent',
  '4': 'Baccalauréat, brevet professionnel ou équivalent',
  '5': 'Diplôme de niveau bac + 2',
  '6': 'Diplôme de niveau bac + 3 ou bac + 4',
  '7': 'Diplôme de niveau bac + 5 ou plus',
};

export const DEFAULT_BANDS = '18-24,25-39,40-54,55-64,65+';

const USAGE = `usage: npm run quota:plan -- --census <file.csv> --size <n> --site <id> [--diploma <file.csv>]
  [--out <plan.json>] [--tolerance 0.05] [--bands ${DEFAULT_BANDS}] [--interviewers A,B] [--questionnaire smpg]`;

export class UsageError extends Error {}

function read(file: string, kind: 'csp' | 'diploma', groups: readonly string[]): CensusRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = parseCensusCsv(text, kind, groups);
  if (!parsed.ok) {
    throw new UsageError(
      parsed.errors
        .map((e) => `${file}:${e.line}${e.column > 0 ? `:${e.column}` : ''}: ${e.message}`)
        .join('\n'),
    );
  }
  return [...parsed.rows];
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        census: { type: 'string' },
        diploma: { type: 'string' },
        size: { type: 'string' },
        site: { type: 'string' },
        out: { type: 'string' },
        tolerance: { type: 'string', default: '0.05' },
        bands: { type: 'string', default: DEFAULT_BANDS },
        interviewers: { type: 'string' },
        questionnaire: { type: 'string', default: 'smpg' },
      },
      strict: true,
    });
  } catch (error) {
    // An unknown or incomplete option is a usage error too (exit 2), not a crash.
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

/** Runs the command; returns the plan's JSON text. Throws UsageError with a readable message. */
export function run(argv: readonly string[]): { json: string; out: string | undefined } {
  const { values } = parse(argv);
  if (values.census === undefined || values.size === undefined || values.site === undefined)
    throw new UsageError(USAGE);
  const size = Number(values.size);
  if (!Number.isInteger(size) || size <= 0)
    throw new UsageError(`--size must be a positive whole number, not "${values.size}"`);
  const tolerance = Number(values.tolerance);
  if (!(tolerance >= 0 && tolerance <= 1))
    throw new UsageError(
      `--tolerance must be between 0 and 1 (0.05 = +5 %), not "${values.tolerance}"`,
    );
  const bands: AgeBand[] = [];
  for (const text of values.bands.split(',')) {
    const band = parseAgeBand(text);
    if (band === undefined)
      throw new UsageError(`--bands: "${text}" is not an age band such as 18-24 or 65+`);
    bands.push(band);
  }
  const csp = read(values.census, 'csp', Object.keys(CSP_LABELS));
  const diploma =
    values.diploma === undefined
      ? undefined
      : read(values.diploma, 'diploma', Object.keys(DIPLOMA_LABELS));
  try {
    const plan = buildPlan(csp, diploma, {
      site: values.site,
      questionnaire: values.questionnaire,
      sampleSize: size,
      tolerance,
      ageBands: bands,
      items: { sex: 'sex', age: 'age', csp: 'csp', diploma: 'diploma' },
      cspLabels: CSP_LABELS,
      diplomaLabels: DIPLOMA_LABELS,
      interviewers:
        values.interviewers
          ?.split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '') ?? [],
      source: `census: ${values.census}${values.diploma ? `, ${values.diploma}` : ''}`,
    });
    const checked = loadQuotaPlan(plan);
    if (checked.status === 'failure')
      throw new UsageError(
        checked.issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'),
      );
    return { json: `${JSON.stringify(plan, null, 2)}\n`, out: values.out };
  } catch (error) {
    if (error instanceof PlanError) throw new UsageError(error.message);
    throw error;
  }
}

if (process.argv[1]?.endsWith('quota-plan.ts')) {
  try {
    const { json, out } = run(process.argv.slice(2));
    if (out === undefined) process.stdout.write(json);
    else {
      writeFileSync(out, json);
      process.stderr.write(`plan written to ${out}\n`);
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

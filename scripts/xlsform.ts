// `npm run questionnaires:to-xlsform -- <definition.json | id version> [--out form.xlsx]` and
// `npm run questionnaires:from-xlsform -- form.xlsx [--out questionnaires/<id>/<version>.json]`:
// a questionnaire definition as an XLSForm spreadsheet and back. Reading prints every issue with
// its sheet, row and column, and writes nothing if one is an error.
// `npm run questionnaires:translation-sheet -- <id> <version> --to <lang>` writes a translator's
// sheet; `npm run questionnaires:translation-pack -- <id> <version> sheet.xlsx --to <lang>` reads
// it back into a label pack, with its coverage report.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadQuestionnaire } from '../src/core/questionnaire/index.ts';
import type { Definition, LabelPack } from '../src/core/questionnaire/index.ts';
import {
  formatSheetIssue,
  fromXlsForm,
  packFromTranslationSheet,
  toXlsForm,
  translationSheet,
} from '../src/core/xlsform/index.ts';
import { readWorkbook, writeWorkbook } from './lib/xlsx.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    fail(`${file}: cannot read JSON: ${(error as Error).message}`);
  }
}

/** The definition of `<file.json>` or of `<id> <version>` under questionnaires/. */
function definitionOf(first: string, second: string | undefined): Definition {
  const file = second === undefined ? first : join('questionnaires', first, `${second}.json`);
  const loaded = loadQuestionnaire(readJson(file));
  if (loaded.status === 'failure') {
    fail(`${file} does not load (npm run questionnaires:check says why)`);
  }
  return loaded.definition;
}

async function toXlsx(args: string[], out: string | undefined): Promise<void> {
  const [first, second] = args;
  if (first === undefined) {
    fail('usage: questionnaires:to-xlsform -- <file.json | id version> [--out form.xlsx]');
  }
  const definition = definitionOf(first, second);
  const target = out ?? `${definition.id}-${definition.version}.xlsx`;
  writeFileSync(target, await writeWorkbook(toXlsForm(definition)));
  process.stdout.write(`${target}: ${definition.id} ${definition.version} as XLSForm\n`);
}

async function fromXlsx(args: string[], out: string | undefined, force: boolean): Promise<void> {
  const [file] = args;
  if (file === undefined) fail('usage: questionnaires:from-xlsform -- form.xlsx [--out file.json]');
  let workbook;
  try {
    workbook = await readWorkbook(readFileSync(file));
  } catch (error) {
    fail(`${file}: not a readable .xlsx file (${(error as Error).message})`);
  }
  const result = fromXlsForm(workbook, {
    id: basename(file)
      .replace(/\.xlsx$/i, '')
      .toLowerCase(),
  });
  for (const issue of result.issues) {
    process.stderr.write(
      `${issue.severity === 'error' ? 'error' : 'warning'}: ${formatSheetIssue(issue)}\n`,
    );
  }
  const { definition } = result;
  if (definition === undefined) fail(`${file}: not converted (errors above)`);
  const target = out ?? join('questionnaires', definition.id, `${definition.version}.json`);
  // A published version is immutable: never overwritten by accident.
  if (existsSync(target) && !force) {
    fail(
      `${target} exists: a version is never changed once used; give a new version in the settings sheet, or --force`,
    );
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(definition, null, 2)}\n`);
  process.stdout.write(`${target}: ${definition.id} ${definition.version} from ${file}\n`);
}

async function sheet(
  args: string[],
  to: string | undefined,
  out: string | undefined,
): Promise<void> {
  const [id, version] = args;
  if (id === undefined || version === undefined || to === undefined) {
    fail(
      'usage: questionnaires:translation-sheet -- <id> <version> --to <lang> [--out sheet.xlsx]',
    );
  }
  const definition = definitionOf(id, version);
  const packFile = join('questionnaires', id, `${version}.labels.${to}.json`);
  const existing = existsSync(packFile) ? (readJson(packFile) as LabelPack) : undefined;
  const target = out ?? `${id}-${version}-${to}.xlsx`;
  writeFileSync(target, await writeWorkbook(translationSheet(definition, to, existing)));
  process.stdout.write(`${target}: the texts of ${id} ${version} to translate into ${to}\n`);
}

async function pack(
  args: string[],
  to: string | undefined,
  out: string | undefined,
  force: boolean,
): Promise<void> {
  const [id, version, file] = args;
  if (id === undefined || version === undefined || file === undefined || to === undefined) {
    fail(
      'usage: questionnaires:translation-pack -- <id> <version> sheet.xlsx --to <lang> [--out pack.json]',
    );
  }
  const definition = definitionOf(id, version);
  const result = packFromTranslationSheet(definition, await readWorkbook(readFileSync(file)), to);
  for (const issue of result.issues) {
    process.stderr.write(`${issue.severity}: ${formatSheetIssue(issue)}\n`);
  }
  const { report } = result;
  if (report !== undefined) {
    const missing = report.missing.slice(0, 5).join(', ');
    process.stdout.write(
      `${report.translated} texts translated; ${report.missing.length} missing` +
        `${missing === '' ? '' : ` (${missing}${report.missing.length > 5 ? '…' : ''})`}; ` +
        `${report.unchanged.length} left as in ${definition.defaultLanguage}\n`,
    );
  }
  if (result.pack === undefined || result.issues.some((issue) => issue.severity === 'error')) {
    fail(`${file}: no pack written (errors above)`);
  }
  // A new language's pack without every text does not load, and would stop the build.
  if ((report?.missing.length ?? 0) > 0 && !force) {
    fail(`${file}: no pack written: translate the missing texts (or --force for a partial pack)`);
  }
  const target = out ?? join('questionnaires', id, `${version}.labels.${to}.json`);
  writeFileSync(target, `${JSON.stringify(result.pack, null, 2)}\n`);
  process.stdout.write(`${target}: the ${to} label pack of ${id} ${version}\n`);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    to: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});
const [command, ...rest] = positionals;
if (command === 'to') await toXlsx(rest, values.out);
else if (command === 'from') await fromXlsx(rest, values.out, values.force);
else if (command === 'sheet') await sheet(rest, values.to, values.out);
else if (command === 'pack') await pack(rest, values.to, values.out, values.force);
else fail('usage: xlsform.ts to|from|sheet|pack ...');

// `npm run questionnaires:to-xlsform -- <definition.json | id version> [--out form.xlsx]` and
// `npm run questionnaires:from-xlsform -- form.xlsx [--out questionnaires/<id>/<version>.json]`:
// a questionnaire definition as an XLSForm spreadsheet and back. Reading prints every issue with
// its sheet, row and column, and writes nothing if one is an error.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadQuestionnaire } from '../src/core/questionnaire/index.ts';
import { formatSheetIssue, fromXlsForm, toXlsForm } from '../src/core/xlsform/index.ts';
import { readWorkbook, writeWorkbook } from './lib/xlsx.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function toXlsx(args: string[], out: string | undefined): Promise<void> {
  const [first, second] = args;
  if (first === undefined)
    fail('usage: questionnaires:to-xlsform -- <file.json | id version> [--out form.xlsx]');
  const file = second === undefined ? first : join('questionnaires', first, `${second}.json`);
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`${file}: cannot read JSON: ${(error as Error).message}`);
  }
  const loaded = loadQuestionnaire(input);
  if (loaded.status === 'failure') {
    fail(`${file} does not load (npm run questionnaires:check says why)`);
  }
  const { definition } = loaded;
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

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
});
const [command, ...rest] = positionals;
if (command === 'to') await toXlsx(rest, values.out);
else if (command === 'from') await fromXlsx(rest, values.out, values.force);
else fail('usage: xlsform.ts to|from ...');

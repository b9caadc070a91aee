// `npm run questionnaires:check [dir]`: validates every definition and label pack under
// questionnaires/ (or the given folder), prints each issue with its file and path, and exits
// non-zero if any definition fails.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { formatIssue, loadQuestionnaire } from '../src/core/questionnaire/index.ts';

const DEFINITION_FILE = /^(\d+(?:\.\d+)*)\.json$/;
const PACK_FILE = /^(\d+(?:\.\d+)*)\.labels\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.json$/;

interface Problem {
  file: string;
  message: string;
  severity: 'error' | 'warning';
}

function readJson(file: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (error) {
    return { ok: false, message: `cannot read JSON: ${(error as Error).message}` };
  }
}

export function checkFolder(root: string): { checked: number; problems: Problem[] } {
  const problems: Problem[] = [];
  let checked = 0;
  const folders = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());
  for (const folder of folders.sort()) {
    const dir = join(root, folder);
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    const versions = new Set<string>();
    for (const file of files) {
      const match = DEFINITION_FILE.exec(file);
      if (match?.[1]) versions.add(match[1]);
      else if (!PACK_FILE.test(file)) {
        problems.push({
          file: relative(process.cwd(), join(dir, file)),
          message:
            'not a definition (<version>.json) nor a label pack (<version>.labels.<lang>.json)',
          severity: 'error',
        });
      }
    }
    for (const file of files) {
      const pack = PACK_FILE.exec(file);
      if (pack?.[1] && !versions.has(pack[1])) {
        problems.push({
          file: relative(process.cwd(), join(dir, file)),
          message: `label pack for version ${pack[1]}, but there is no ${pack[1]}.json beside it`,
          severity: 'error',
        });
      }
    }
    for (const version of [...versions].sort()) {
      checked++;
      const file = join(dir, `${version}.json`);
      const shown = relative(process.cwd(), file);
      const definition = readJson(file);
      if (!definition.ok) {
        problems.push({ file: shown, message: definition.message, severity: 'error' });
        continue;
      }
      const labelPacks: { source: string; pack: unknown }[] = [];
      for (const packFile of files.filter((name) => name.startsWith(`${version}.labels.`)).sort()) {
        const pack = readJson(join(dir, packFile));
        if (pack.ok) labelPacks.push({ source: packFile, pack: pack.value });
        else
          problems.push({
            file: relative(process.cwd(), join(dir, packFile)),
            message: pack.message,
            severity: 'error',
          });
      }
      const result = loadQuestionnaire(definition.value, { labelPacks });
      const issues = result.status === 'success' ? [] : result.issues;
      for (const issue of issues) {
        problems.push({ file: shown, message: formatIssue(issue), severity: issue.severity });
      }
      if (result.status !== 'failure') {
        const { id, version: declared } = result.definition;
        if (id !== folder || declared !== version) {
          problems.push({
            file: shown,
            message: `declares id "${id}" version "${declared}", but its place says ${folder} version ${version}`,
            severity: 'error',
          });
        }
      }
    }
  }
  return { checked, problems };
}

const isMain =
  process.argv[1] !== undefined && basename(process.argv[1]).startsWith('questionnaires-check');
if (isMain) {
  const root = process.argv[2] ?? 'questionnaires';
  const { checked, problems } = checkFolder(root);
  for (const problem of problems) {
    const stream = problem.severity === 'error' ? process.stderr : process.stdout;
    stream.write(
      `${problem.severity === 'error' ? 'error' : 'warning'} ${problem.file}: ${problem.message}\n`,
    );
  }
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  process.stdout.write(
    `${checked} definition${checked === 1 ? '' : 's'} checked in ${root}/: ${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} warning${problems.length - errors === 1 ? '' : 's'}\n`,
  );
  process.exitCode = errors > 0 ? 1 : 0;
}

// `npm run questionnaires:check`: every definition and label pack of a folder is checked, each
// issue printed with its file and path, and the exit code says whether any failed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFolder } from '../../../scripts/questionnaires-check.ts';
import { definition, integer, single } from '../../helpers/builder.ts';

function folder(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'qcheck-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(
      join(root, path),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  }
  return root;
}

const good = definition([single('a', ['1', '2'])]);

describe('questionnaires:check', () => {
  it('passes the bundled questionnaires', () => {
    const { checked, problems } = checkFolder('questionnaires');
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('names the file and path of each issue', () => {
    const bad = definition([integer('a', { relevant: '${zz} > 1' })]);
    const root = folder({
      'test/1.json': good,
      'test/2.json': { ...bad, version: '2' },
      'test/3.json': '{ not json',
      'test/2.labels.de.json': { questionnaire: 'test', version: '2', language: 'de', texts: {} },
      'test/4.labels.de.json': { questionnaire: 'test', version: '4', language: 'de', texts: {} },
      'other/1.json': good,
    });
    const { checked, problems } = checkFolder(root);
    expect(checked).toBe(4);
    const messages = problems.map(
      (problem) => `${problem.file.split('/').slice(-2).join('/')}: ${problem.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^test\/2\.json: 2\.labels\.de\.json\.texts: missing "items\.a\.label"/,
        ),
        expect.stringMatching(/^test\/3\.json: cannot read JSON/),
        expect.stringMatching(
          /^test\/4\.labels\.de\.json: label pack for version 4, but there is no 4\.json/,
        ),
        expect.stringMatching(
          /^other\/1\.json: declares id "test" version "1", but its place says other/,
        ),
      ]),
    );
    expect(
      messages.some((m) =>
        m.startsWith('test/2.json: sections[0].items[0].relevant: unknown question ${zz}'),
      ),
    ).toBe(true);
  });

  it('exits non-zero on an error, zero on a clean folder', () => {
    const run = (root: string) => {
      try {
        return {
          code: 0,
          out: execFileSync('npx', ['tsx', 'scripts/questionnaires-check.ts', root], {
            encoding: 'utf8',
            stdio: 'pipe',
          }),
        };
      } catch (error) {
        const failed = error as { status: number; stderr: string };
        return { code: failed.status, out: failed.stderr };
      }
    };
    const clean = run(folder({ 'test/1.json': good }));
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('1 definition checked');
    const broken = run(folder({ 'test/1.json': { ...good, defaultLanguage: 'de' } }));
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('test/1.json: defaultLanguage: default language "de"');
    // Two child processes starting tsx: seconds each on a busy 2-core machine.
  }, 60_000);
});

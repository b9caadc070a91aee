// The questionnaires' texts are read from the screen as the interface is: with the typographic
// apostrophe (’), never the straight one ('), which stays in ids, codes and expressions.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadQuestionnaire, textEntries } from '../../../src/core/questionnaire/index.ts';

/**
 * The definitions to check, with their label packs. smpg 2026.1 is left out: it is published and
 * a published version is immutable (questionnaires/README.md, "Versions"), typos included.
 */
const FILES = ['smpg/2026.2', 'demo/1', 'demo/2'] as const;

const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** Every text of a definition (its label packs merged in), as "key [language]: text". */
function texts(file: string): string[] {
  const [id = '', version = ''] = file.split('/');
  const folder = `questionnaires/${id}`;
  const packs = readdirSync(folder)
    .filter((name) => name.startsWith(`${version}.labels.`) && name.endsWith('.json'))
    .map((name) => ({ source: name, pack: read(`${folder}/${name}`) }));
  const result = loadQuestionnaire(read(`${folder}/${version}.json`), { labelPacks: packs });
  if (result.status === 'failure') throw new Error(`${file} does not load`);
  return textEntries(result.definition).flatMap((entry) =>
    Object.entries(entry.text).map(([language, text]) => `${entry.key} [${language}]: ${text}`),
  );
}

describe('typographic apostrophes in the questionnaires', () => {
  for (const file of FILES) {
    it(`${file}: no text has a straight apostrophe`, () => {
      const all = texts(file);
      // The scan reads every text: labels, hints, messages, alerts, packs' languages.
      expect(all.length).toBeGreaterThan(20);
      expect(all.some((text) => text.includes('’'))).toBe(true);
      expect(all.filter((text) => text.includes("'"))).toEqual([]);
    });
  }

  it('keeps the straight quotes of the expressions', () => {
    const demo = readFileSync('questionnaires/demo/2.json', 'utf8');
    expect(demo).toContain(`"relevant": "selected(\${activities}, 'work')"`);
    expect(demo).not.toMatch(/\$\{[a-z_]+\} = ’/);
  });
});

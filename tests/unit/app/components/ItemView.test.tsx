// An interview screen as the interviewer and a screen reader meet it: the question is the screen's
// one level-one heading, and a grid names each row's radio group by the row and each radio by its
// choice, the choices shown once in a header (hidden from screen readers, which hear each radio).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UI_TEXT_FR } from '../../../../src/app/ui-text.ts';
import type { Answer, Questionnaire } from '../../../../src/core/questionnaire/index.ts';
import {
  loadQuestionnaire,
  localize,
  textEntries,
} from '../../../../src/core/questionnaire/index.ts';
import { renderItem } from '../../../helpers/render-item.tsx';

function demo(): Questionnaire {
  const result = loadQuestionnaire(
    JSON.parse(readFileSync('questionnaires/demo/2.json', 'utf8')) as unknown,
  );
  if (result.status === 'failure') throw new Error('demo/2 does not load');
  return result.questionnaire;
}

const q = demo();

const render = (itemId: string, answers: Record<string, Answer> = {}): string =>
  renderItem(q, itemId, answers);

const count = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].length;
const textOf = (html: string) => html.replace(/<[^>]+>/g, '');

describe('ItemView', () => {
  it('makes the question the one level-one heading, the section a line above it', () => {
    for (const id of ['consent', 'age', 'feelings']) {
      const html = render(id, { consent: '1', age: 40, activities: ['work'] });
      expect(count(html, /<h1[ >]/g), id).toBe(1);
      expect(count(html, /<h[2-6][ >]/g), id).toBe(0);
      const label = localize(q, q.itemById.get(id)?.item.label, 'fr');
      expect(textOf(/<h1[^>]*>(.*?)<\/h1>/.exec(html)?.[1] ?? ''), id).toBe(label);
    }
  });

  it('names each grid row’s radio group by the row and each radio by its choice', () => {
    const html = render('feelings', { consent: '1', age: 40, activities: ['work'] });
    const grid = q.itemById.get('feelings');
    if (grid?.item.type !== 'grid') throw new Error('feelings is not a grid');
    const choices = grid.choices ?? [];
    for (const row of grid.item.rows) {
      const label = new RegExp(`<p id="row-${row.id}"[^>]*>([^<]*)</p>`).exec(html)?.[1];
      expect(label).toBe(localize(q, row.label, 'fr'));
      const group = new RegExp(
        `<div class="choices cells" role="radiogroup" aria-labelledby="row-${row.id}">(.*?)</div>`,
      ).exec(html)?.[1];
      expect(group, row.id).toBeDefined();
      const radios = [...(group ?? '').matchAll(/<label[^>]*>(.*?)<\/label>/g)];
      expect(radios.map((radio) => textOf(radio[1] ?? ''))).toEqual(
        choices.map((choice) => localize(q, choice.label, 'fr')),
      );
      for (const radio of radios) expect(radio[1]).toContain(`name="${row.id}"`);
    }
  });

  it('shows a grid’s choices once, in a header the screen readers skip', () => {
    const html = render('feelings', { consent: '1', age: 40, activities: ['work'] });
    const head = /<div class="grid-head" aria-hidden="true"[^>]*>(.*?)<\/div>/.exec(html)?.[1];
    expect(textOf(head ?? '')).toBe(
      ['Jamais', 'Parfois', 'Souvent', UI_TEXT_FR.dontKnow, UI_TEXT_FR.refused].join(''),
    );
    // The choices' words in the rows are for screen readers only.
    expect(html).toContain('<span class="visually-hidden">Jamais</span>');
  });
});

describe('ItemView in a language that leaves the interviewer’s texts out', () => {
  it('shows the instruction in the default language, marked, the question in the language', () => {
    const definition = JSON.parse(readFileSync('questionnaires/demo/2.json', 'utf8')) as {
      languages: string[];
    };
    // A pack for Guianese Creole with the respondent's texts only (here: copied from French).
    const base = loadQuestionnaire(definition);
    if (base.status === 'failure') throw new Error('demo/2 does not load');
    const texts: Record<string, string> = {};
    for (const entry of textEntries(structuredClone(base.definition))) {
      if (entry.reader === 'respondent' && entry.text['fr'] !== undefined) {
        texts[entry.key] = `[gcr] ${entry.text['fr']}`;
      }
    }
    const pack = { questionnaire: 'demo', version: '2', language: 'gcr', texts };
    const loaded = loadQuestionnaire(definition, { labelPacks: [{ source: 'gcr', pack }] });
    if (loaded.status === 'failure') throw new Error(JSON.stringify(loaded.issues.slice(0, 3)));
    const creole = loaded.questionnaire;
    const hinted = creole.items.find((entry) => entry.item.hint !== undefined);
    if (hinted === undefined) throw new Error('demo/2 has no hint');
    const html = renderItem(creole, hinted.item.id, {}, 'gcr');
    const hint = localize(creole, hinted.item.hint, 'fr');
    expect(html).toContain(`<span lang="fr">${hint}</span>`);
    expect(textOf(html)).toContain('(en français : pas encore traduit)');
    expect(textOf(/<h1[^>]*>(.*?)<\/h1>/.exec(html)?.[1] ?? '')).toContain('[gcr] ');
  });
});

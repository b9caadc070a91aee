// A small DSL to build questionnaire definitions in tests, so that each test shows only what it
// is about (after getodk/web-forms' scenario builders). Labels are made up from ids.
import type { Clock, Definition, Item, Questionnaire } from '../../src/core/questionnaire/index.ts';
import { formatIssue, loadQuestionnaire } from '../../src/core/questionnaire/index.ts';

type Options<T> = Partial<Omit<T, 'id' | 'type'>>;
type ItemOf<K extends Item['type']> = Extract<Item, { type: K }>;

const text = (id: string): { fr: string; en: string } => ({ fr: `${id} (fr)`, en: `${id} (en)` });

/** Choices from codes: `choices('1', '2')`. */
export function choices(...codes: string[]): { code: string; label: { fr: string; en: string } }[] {
  return codes.map((code) => ({ code, label: text(`choice ${code}`) }));
}

function item<K extends Item['type']>(type: K, id: string, options: object): ItemOf<K> {
  const base = type === 'calculate' ? {} : { label: text(id) };
  const built: unknown = { id, type, ...base, ...options };
  return built as ItemOf<K>;
}

export const single = (
  id: string,
  codes: string[] | string,
  options: Options<ItemOf<'single'>> = {},
) =>
  item('single', id, {
    choices: typeof codes === 'string' ? codes : choices(...codes),
    ...options,
  });
export const multiple = (
  id: string,
  codes: string[] | string,
  options: Options<ItemOf<'multiple'>> = {},
) =>
  item('multiple', id, {
    choices: typeof codes === 'string' ? codes : choices(...codes),
    ...options,
  });
export const integer = (id: string, options: Options<ItemOf<'integer'>> = {}) =>
  item('integer', id, options);
export const decimal = (id: string, options: Options<ItemOf<'decimal'>> = {}) =>
  item('decimal', id, options);
export const textItem = (id: string, options: Options<ItemOf<'text'>> = {}) =>
  item('text', id, options);
export const date = (id: string, options: Options<ItemOf<'date'>> = {}) =>
  item('date', id, options);
export const note = (id: string, options: Options<ItemOf<'note'>> = {}) =>
  item('note', id, options);
export const calculate = (
  id: string,
  formula: string,
  options: Options<ItemOf<'calculate'>> = {},
) => item('calculate', id, { calculate: formula, ...options });
export const grid = (
  id: string,
  rowIds: string[],
  codes: string[] | string,
  options: Options<ItemOf<'grid'>> = {},
) =>
  item('grid', id, {
    rows: rowIds.map((rowId) => ({ id: rowId, label: text(rowId) })),
    choices: typeof codes === 'string' ? codes : choices(...codes),
    ...options,
  });

export function section(id: string, items: Item[], options: { relevant?: string } = {}) {
  return { id, title: text(id), items, ...options };
}

/** A whole definition; `sections` may be a list of items (one section) or of sections. */
export function definition(
  content: Item[] | ReturnType<typeof section>[],
  extra: Partial<Definition> = {},
): Definition {
  const first = content[0];
  const sections =
    first !== undefined && 'items' in first
      ? (content as ReturnType<typeof section>[])
      : [section('main', content as Item[])];
  return {
    id: 'test',
    version: '1',
    title: text('title'),
    languages: ['fr', 'en'],
    defaultLanguage: 'fr',
    nonResponse: {
      dontKnow: { code: -8, label: text('dont know') },
      refused: { code: -9, label: text('refused') },
    },
    sections,
    ...extra,
  };
}

/** Loads a definition that must be valid; a failure throws with every issue listed. */
export function load(def: unknown): Questionnaire {
  const result = loadQuestionnaire(def);
  if (result.status === 'failure') {
    throw new Error(`definition rejected:\n${result.issues.map(formatIssue).join('\n')}`);
  }
  return result.questionnaire;
}

/** Issues of a definition that must be rejected. */
export function issuesOf(def: unknown) {
  const result = loadQuestionnaire(def);
  if (result.status !== 'failure') throw new Error('expected the definition to be rejected');
  return result.issues;
}

export const fixedClock = (day: string): Clock => ({ today: () => day });

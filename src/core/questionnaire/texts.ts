// Every translatable text of a definition, with a stable key (for label packs) and its JSON path
// (for error messages). Label packs are checked and merged here.
import type { Choice, Definition, Item, LabelPack, LocalizedText } from './schema.ts';

export type TextReader = 'respondent' | 'interviewer';

export interface TextEntry {
  /** Stable key used by label packs, e.g. `items.age.label`, `choices.yes_no.1`. */
  readonly key: string;
  /** JSON path of the localized text in the definition, e.g. `sections[1].items[3].label`. */
  readonly path: string;
  readonly text: LocalizedText;
  /** Required texts must exist in the default language, and in every language if respondent's. */
  readonly required: boolean;
  /**
   * Who reads it. `respondent`: questions, choices of questions, grid rows, units, notes read
   * aloud: every language of the questionnaire must have them. `interviewer`: instructions, error
   * messages, computed labels, titles, alerts, screen-outs: a language may leave them out, and the
   * default language's text is shown (marked as such).
   */
  readonly reader: TextReader;
  /** Writes a new localized text back (used to merge a label pack into a copy). */
  readonly replace: (text: LocalizedText) => void;
}

function choiceEntries(
  choices: Choice[],
  keyPrefix: string,
  pathPrefix: string,
  out: Omit<TextEntry, 'reader'>[],
): void {
  choices.forEach((choice, i) => {
    out.push({
      key: `${keyPrefix}.${choice.code}`,
      path: `${pathPrefix}[${i}].label`,
      text: choice.label,
      required: true,
      replace: (text) => (choice.label = text),
    });
  });
}

function itemEntries(item: Item, path: string, out: Omit<TextEntry, 'reader'>[]): void {
  const add = (
    field: 'label' | 'hint' | 'constraintMessage' | 'unit',
    required: boolean,
    holder: Partial<Record<typeof field, LocalizedText | undefined>>,
  ): void => {
    const text = holder[field];
    if (text !== undefined) {
      out.push({
        key: `items.${item.id}.${field}`,
        path: `${path}.${field}`,
        text,
        required,
        replace: (next) => (holder[field] = next),
      });
    }
  };
  add('label', item.type !== 'calculate', item);
  add('hint', false, item);
  if ('constraintMessage' in item) add('constraintMessage', false, item);
  if ('unit' in item) add('unit', false, item);
  if ('choices' in item && Array.isArray(item.choices)) {
    choiceEntries(item.choices, `items.${item.id}.choices`, `${path}.choices`, out);
  }
  if ('coarsen' in item && item.coarsen?.kind === 'bands') {
    item.coarsen.bands.forEach((band, i) => {
      if (band.label !== undefined) {
        out.push({
          key: `items.${item.id}.bands.${band.code}`,
          path: `${path}.coarsen.bands[${i}].label`,
          text: band.label,
          required: false,
          replace: (text) => (band.label = text),
        });
      }
    });
  }
  if (item.type === 'grid') {
    item.rows.forEach((row, i) => {
      out.push({
        key: `rows.${row.id}.label`,
        path: `${path}.rows[${i}].label`,
        text: row.label,
        required: true,
        replace: (text) => (row.label = text),
      });
    });
  }
}

/** Who reads each text, by key (see `TextEntry.reader`). */
function readers(definition: Definition): (key: string) => TextReader {
  const items = new Map<string, Item>();
  const respondentLists = new Set<string>();
  for (const section of definition.sections) {
    for (const item of section.items) {
      items.set(item.id, item);
      if (item.type !== 'calculate' && 'choices' in item && typeof item.choices === 'string') {
        respondentLists.add(item.choices);
      }
    }
  }
  return (key) => {
    const [kind = '', id = '', field = ''] = key.split('.');
    if (kind === 'rows') return 'respondent';
    if (kind === 'choices') return respondentLists.has(id) ? 'respondent' : 'interviewer';
    if (kind !== 'items') return 'interviewer';
    const item = items.get(id);
    if (item === undefined || item.type === 'calculate') return 'interviewer';
    if (field === 'choices' || field === 'unit') return 'respondent';
    if (field !== 'label') return 'interviewer';
    return item.type === 'note' && item.style === 'instruction' ? 'interviewer' : 'respondent';
  };
}

/** Lists every text of a definition in document order. */
export function textEntries(definition: Definition): TextEntry[] {
  const readerOf = readers(definition);
  return entriesOf(definition).map((entry) => ({ ...entry, reader: readerOf(entry.key) }));
}

function entriesOf(definition: Definition): Omit<TextEntry, 'reader'>[] {
  const out: Omit<TextEntry, 'reader'>[] = [];
  out.push({
    key: 'title',
    path: 'title',
    text: definition.title,
    required: true,
    replace: (text) => (definition.title = text),
  });
  for (const kind of ['dontKnow', 'refused'] as const) {
    const code = definition.nonResponse[kind];
    out.push({
      key: `nonResponse.${kind}`,
      path: `nonResponse.${kind}.label`,
      text: code.label,
      required: true,
      replace: (text) => (code.label = text),
    });
  }
  for (const [listId, choices] of Object.entries(definition.choiceLists ?? {})) {
    choiceEntries(choices, `choices.${listId}`, `choiceLists.${listId}`, out);
  }
  definition.sections.forEach((section, s) => {
    out.push({
      key: `sections.${section.id}.title`,
      path: `sections[${s}].title`,
      text: section.title,
      required: true,
      replace: (text) => (section.title = text),
    });
    section.items.forEach((item, i) => itemEntries(item, `sections[${s}].items[${i}]`, out));
  });
  (definition.alerts ?? []).forEach((alert, i) => {
    out.push({
      key: `alerts.${alert.id}.title`,
      path: `alerts[${i}].title`,
      text: alert.title,
      required: true,
      replace: (text) => (alert.title = text),
    });
    out.push({
      key: `alerts.${alert.id}.protocol`,
      path: `alerts[${i}].protocol`,
      text: alert.protocol,
      required: true,
      replace: (text) => (alert.protocol = text),
    });
  });
  (definition.screenOuts ?? []).forEach((screenOut, i) => {
    out.push({
      key: `screenOuts.${screenOut.id}.label`,
      path: `screenOuts[${i}].label`,
      text: screenOut.label,
      required: true,
      replace: (text) => (screenOut.label = text),
    });
  });
  return out;
}

export interface PackIssue {
  readonly path: string;
  readonly code: 'label_pack_mismatch' | 'label_pack_unknown_key' | 'label_pack_missing_text';
  readonly message: string;
}

/**
 * Merges label packs into a deep copy of the definition. A pack for a new language must give
 * every text the definition has; a pack for a language the definition already has replaces the
 * texts it names (e.g. a site's licensed wording) and keeps the rest.
 */
export function mergeLabelPacks(
  definition: Definition,
  packs: readonly { pack: LabelPack; source: string }[],
): { definition: Definition; issues: PackIssue[] } {
  if (packs.length === 0) return { definition, issues: [] };
  // Definitions are plain JSON, so a JSON round trip is a faithful deep copy.
  const merged = JSON.parse(JSON.stringify(definition)) as Definition;
  const issues: PackIssue[] = [];
  for (const { pack, source } of packs) {
    if (pack.questionnaire !== definition.id || pack.version !== definition.version) {
      issues.push({
        path: `${source}.questionnaire`,
        code: 'label_pack_mismatch',
        message: `this pack is for ${pack.questionnaire} version ${pack.version}, not ${definition.id} version ${definition.version}; fix "questionnaire" and "version" or load it with its own definition`,
      });
      continue;
    }
    const entries = textEntries(merged);
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    const known = [...byKey.keys()];
    for (const key of Object.keys(pack.texts)) {
      if (!byKey.has(key)) {
        const guess = closest(key, known);
        issues.push({
          path: `${source}.texts.${key}`,
          code: 'label_pack_unknown_key',
          message: `no text "${key}" in ${definition.id} ${definition.version}${guess ? `; did you mean "${guess}"?` : ''}`,
        });
      }
    }
    const isNewLanguage = !merged.languages.includes(pack.language);
    for (const entry of entries) {
      const text = pack.texts[entry.key];
      if (text !== undefined) {
        entry.replace({ ...entry.text, [pack.language]: text });
      } else if (
        isNewLanguage &&
        entry.reader === 'respondent' &&
        (entry.required || entry.text[merged.defaultLanguage] !== undefined)
      ) {
        issues.push({
          path: `${source}.texts`,
          code: 'label_pack_missing_text',
          message: `missing "${entry.key}" (${entry.text[merged.defaultLanguage] ?? Object.values(entry.text)[0] ?? ''}): a pack for a new language must translate every text the respondent hears or sees`,
        });
      }
    }
    if (isNewLanguage) merged.languages.push(pack.language);
  }
  return { definition: merged, issues };
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      previous[j] = Math.min(
        above + 1,
        (previous[j - 1] ?? 0) + 1,
        diagonal + (a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate within a distance of a third of the name's length, if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

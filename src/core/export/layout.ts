// The columns of an export: one per answerable item or grid row, 0/1 flags per choice of a
// multiple choice, computed values, alerts, then paradata; several versions of a questionnaire
// merged into one union of columns.
import type { Expr } from '../expression/index.ts';
import { printExpression } from '../expression/index.ts';
import { compareVersions } from '../questionnaire/index.ts';
import type {
  Choice,
  Coarsen,
  ItemEntry,
  LocalizedText,
  Questionnaire,
} from '../questionnaire/index.ts';

/** What a column holds. */
export type ColumnKind =
  | 'single'
  | 'multiple'
  | 'choice_flag'
  | 'integer'
  | 'decimal'
  | 'text'
  | 'date'
  | 'computed'
  | 'alert'
  | 'paradata'
  | 'quota'
  | 'weight';

/** Paradata columns, last in every export, in this order. */
export const PARADATA_COLUMNS = [
  'interview_id',
  'questionnaire_id',
  'questionnaire_version',
  'site',
  'interviewer',
  'device',
  'pickup_point',
  'started_at',
  'ended_at',
  'started_at_local',
  'ended_at_local',
  'time_zone',
  'duration_seconds',
  'language',
  'app_version',
] as const;
export type ParadataColumn = (typeof PARADATA_COLUMNS)[number];

/** What a column is in one questionnaire version. */
export interface ColumnSource {
  readonly version: string;
  /** The item (or grid) the column comes from, in that version. */
  readonly entry: ItemEntry | undefined;
  /** The question text: the item's label, or for a grid row the grid's label and the row's. */
  readonly label: LocalizedText | undefined;
  readonly choices: readonly Choice[] | undefined;
  readonly coarsen: Coarsen | undefined;
  /** Whether "don't know" and "refused" can be recorded. */
  readonly nonResponse: boolean;
  /** The effective relevance: section, item and row conditions, printed; empty when always asked. */
  readonly relevant: string;
}

export interface Column {
  /** The CSV header: the item or row id, `<id>__<code>` for a choice flag, `alert_<id>`, paradata names. */
  readonly name: string;
  readonly kind: ColumnKind;
  /** The answer or computed value it reads (item or row id); the alert id for `alert`. */
  readonly key: string;
  /** For `choice_flag`: the choice code. */
  readonly code?: string;
  /** For `paradata`: which one (its name may be `meta_<name>` after a collision). */
  readonly paradata?: ParadataColumn;
  /**
   * For `<item>_lower` and `<item>_upper` (kind `integer`, `key` the income item): which amount of
   * the band answered, read from the site's income bands the record carries.
   */
  readonly incomeBound?: 'lower' | 'upper';
  /**
   * For a column whose declared codes are not all integers (`18-29`, `moderate`): the number
   * written for each code, 1 to n in the questionnaire's order, so that Stata and SPSS can label
   * it (their value labels take numbers only). Absent when every code is an integer.
   */
  readonly numbers?: ReadonlyMap<string, number>;
  /** Per version that has the column (newest first); empty for paradata (every version has them). */
  readonly sources: readonly ColumnSource[];
}

export interface ExportLayout {
  readonly questionnaireId: string;
  /** The versions merged, newest first. */
  readonly versions: readonly string[];
  readonly columns: readonly Column[];
  /** Each version's questionnaire, by version. */
  readonly byVersion: ReadonlyMap<string, Questionnaire>;
  readonly nonResponse: Questionnaire['definition']['nonResponse'];
  /** The quota plans' variables given a `quota_<id>` column, in order (see `LayoutOptions`). */
  readonly quotaVariables: readonly string[];
}

export interface LayoutOptions {
  /**
   * The sites' quota variables: each gets a `quota_<id>` column (the category the server placed
   * the respondent in), and a `weight` column ends the row. The server's export gives them; the
   * tablet's has no plan's census to weight by.
   */
  readonly quotaVariables?: readonly string[];
  /**
   * The items sites give their own income bands for (`IncomeBands.item`): each single choice
   * among them is followed by `<item>_lower` and `<item>_upper`, the amounts of the band answered.
   */
  readonly incomeItems?: readonly string[];
}

/** The label of an income band's amount columns (the codebook's words say where they come from). */
const INCOME_BOUND_LABELS: Readonly<Record<'lower' | 'upper', LocalizedText>> = {
  lower: {
    fr: 'Revenu du foyer : montant le plus bas de la tranche choisie',
    en: 'Household income: lowest amount of the band chosen',
  },
  upper: {
    fr: 'Revenu du foyer : montant le plus haut de la tranche choisie',
    en: 'Household income: highest amount of the band chosen',
  },
};

/** The income item's column followed by its two amount columns. */
function withIncomeBounds(columns: Column[], items: readonly string[]): Column[] {
  const taken = new Set(columns.map((column) => column.name));
  return columns.flatMap((column) => {
    if (column.kind !== 'single' || column.key !== column.name || !items.includes(column.key))
      return [column];
    const bounds = (['lower', 'upper'] as const)
      .filter((bound) => !taken.has(`${column.name}_${bound}`))
      .map((bound): Column => ({
        name: `${column.name}_${bound}`,
        kind: 'integer',
        key: column.key,
        incomeBound: bound,
        sources: column.sources.map((source) => ({
          ...source,
          label: INCOME_BOUND_LABELS[bound],
          choices: undefined,
          coarsen: undefined,
          nonResponse: false,
        })),
      }));
    return [column, ...bounds];
  });
}

function and(conditions: readonly (Expr | undefined)[]): string {
  const printed = conditions.flatMap((condition) =>
    condition === undefined ? [] : [`(${printExpression(condition)})`],
  );
  if (printed.length === 1) return (printed[0] ?? '').slice(1, -1);
  return printed.join(' and ');
}

function relevanceOf(q: Questionnaire, entry: ItemEntry, row: number | undefined): string {
  const section = q.nodes[q.nodes[entry.node]?.parent ?? -1];
  return and([section?.relevant, q.nodes[entry.node]?.relevant, q.nodes[row ?? -1]?.relevant]);
}

interface Draft {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly key: string;
  readonly code?: string;
  readonly source: ColumnSource;
}

/** One version's columns, in definition order (paradata excluded). */
function versionColumns(q: Questionnaire): Draft[] {
  const drafts: Draft[] = [];
  const version = q.definition.version;
  for (const entry of q.items) {
    const { item } = entry;
    if (item.type === 'note' || item.identifying === true) continue;
    const base = {
      version,
      entry,
      choices: entry.choices,
      coarsen: 'coarsen' in item ? item.coarsen : undefined,
      // A calculation that needs an answer the respondent did not give is not computed: it is
      // written with that non-response's code, like an answer.
      nonResponse: item.type === 'calculate' || item.nonResponse !== false,
    };
    if (item.type === 'calculate') {
      drafts.push({
        name: item.id,
        kind: 'computed',
        key: item.id,
        source: { ...base, label: item.label, relevant: relevanceOf(q, entry, undefined) },
      });
      continue;
    }
    if (item.type === 'grid') {
      for (const [index, row] of item.rows.entries()) {
        const rowNode = entry.rows[index];
        const label: LocalizedText = {};
        for (const [language, text] of Object.entries(row.label)) {
          const question = item.label?.[language];
          label[language] = question === undefined ? text : `${question} — ${text}`;
        }
        const source = { ...base, label, relevant: relevanceOf(q, entry, rowNode) };
        const multiple = item.select === 'multiple';
        drafts.push({ name: row.id, kind: multiple ? 'multiple' : 'single', key: row.id, source });
        if (multiple) drafts.push(...flags(row.id, source));
      }
      continue;
    }
    const source = { ...base, label: item.label, relevant: relevanceOf(q, entry, undefined) };
    drafts.push({ name: item.id, kind: item.type, key: item.id, source });
    if (item.type === 'multiple') drafts.push(...flags(item.id, source));
  }
  for (const { alert } of q.alerts) {
    drafts.push({
      name: `alert_${alert.id}`,
      kind: 'alert',
      key: alert.id,
      source: {
        version,
        entry: undefined,
        label: alert.title,
        choices: undefined,
        coarsen: undefined,
        nonResponse: false,
        relevant: '',
      },
    });
  }
  return drafts;
}

function flags(key: string, source: ColumnSource): Draft[] {
  return (source.choices ?? []).map((choice) => ({
    name: `${key}__${choice.code}`,
    kind: 'choice_flag' as const,
    key,
    code: choice.code,
    source,
  }));
}

/**
 * The union of the columns of several versions of one questionnaire. The newest version gives
 * the order; a column only older versions have comes right after the column it follows in the
 * newest version that has it. A column whose kind changed between versions keeps the newest kind
 * (its older values are still exported as stored). Paradata columns come last; an item id that
 * collides with a paradata name gets the paradata column renamed `meta_<name>`.
 */
export function exportLayout(
  questionnaires: readonly Questionnaire[],
  options: LayoutOptions = {},
): ExportLayout {
  const sorted = [...questionnaires].sort((a, b) =>
    compareVersions(b.definition.version, a.definition.version),
  );
  const newest = sorted[0];
  if (newest === undefined) throw new Error('exportLayout needs at least one questionnaire');
  const ids = new Set(sorted.map((q) => q.definition.id));
  if (ids.size > 1) throw new Error(`one questionnaire at a time, not ${[...ids].join(', ')}`);

  const order: string[] = [];
  const merged = new Map<string, { draft: Draft; sources: ColumnSource[] }>();
  for (const q of sorted) {
    let previous: string | undefined;
    for (const draft of versionColumns(q)) {
      const known = merged.get(draft.name);
      if (known === undefined) {
        merged.set(draft.name, { draft, sources: [draft.source] });
        const at = previous === undefined ? 0 : order.indexOf(previous) + 1;
        order.splice(at, 0, draft.name);
      } else {
        known.sources.push(draft.source);
      }
      previous = draft.name;
    }
  }
  const itemColumns: Column[] = order.map((name) => {
    const { draft, sources } = merged.get(name) as { draft: Draft; sources: ColumnSource[] };
    const numbers = numbering(sources);
    return {
      name,
      kind: draft.kind,
      key: draft.key,
      ...(draft.code === undefined ? {} : { code: draft.code }),
      ...(numbers === undefined || draft.kind === 'choice_flag' || draft.kind === 'multiple'
        ? {}
        : { numbers }),
      sources,
    };
  });
  const columns = withIncomeBounds(itemColumns, options.incomeItems ?? []);
  const taken = new Set(columns.map((column) => column.name));
  const free = (name: string) => (taken.has(name) ? `meta_${name}` : name);
  for (const paradata of PARADATA_COLUMNS)
    columns.push({ name: free(paradata), kind: 'paradata', key: paradata, paradata, sources: [] });
  const quotaVariables = options.quotaVariables ?? [];
  if (options.quotaVariables !== undefined) {
    for (const variable of quotaVariables)
      columns.push({ name: free(`quota_${variable}`), kind: 'quota', key: variable, sources: [] });
    columns.push({ name: free('weight'), kind: 'weight', key: 'weight', sources: [] });
  }
  return {
    questionnaireId: newest.definition.id,
    versions: sorted.map((q) => q.definition.version),
    columns,
    byVersion: new Map(sorted.map((q) => [q.definition.version, q])),
    nonResponse: newest.definition.nonResponse,
    quotaVariables,
  };
}

const INTEGER = /^[+-]?\d{1,9}$/;

/** The codes a column declares (choices, or the bands of a coarsened number), newest first. */
export function declaredCodes(
  source: ColumnSource,
): readonly { readonly code: string; readonly label?: LocalizedText | undefined }[] {
  if (source.coarsen?.kind === 'bands') return source.coarsen.bands;
  return source.choices ?? [];
}

/**
 * 1 to n for the codes of all versions (newest's order first), when some code is not an integer
 * (Stata and SPSS label numbers only, and Stata's integers stop short of 10 digits).
 */
function numbering(sources: readonly ColumnSource[]): ReadonlyMap<string, number> | undefined {
  const codes: string[] = [];
  for (const source of sources)
    for (const { code } of declaredCodes(source)) if (!codes.includes(code)) codes.push(code);
  // Integer codes are written as they are, unless two of them are the same number (`2`, `02`).
  if (codes.every((code) => INTEGER.test(code)) && new Set(codes.map(Number)).size === codes.length)
    return undefined;
  return new Map(codes.map((code, index) => [code, index + 1]));
}

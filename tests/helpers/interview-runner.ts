// Walks a whole interview through the engine as an interviewer would, from scripted answers, for
// unit tests, end-to-end tests and benchmarks alike (no test framework inside: it throws).
import type {
  Answer,
  Clock,
  InterviewState,
  ItemEntry,
  Questionnaire,
  Step,
} from '../../src/core/questionnaire/index.ts';
import {
  activeAlerts,
  createState,
  isRelevant,
  nextItem,
  setAnswer,
  validateAnswer,
} from '../../src/core/questionnaire/index.ts';

/**
 * What to answer where the script says nothing: `'skip'` leaves the item unanswered; a function
 * gets the item, the grid row id (for a grid row, else `undefined`) and the state so far, and
 * returns an answer or `undefined` (unanswered).
 */
export type DefaultPolicy =
  | 'skip'
  | ((entry: ItemEntry, rowId: string | undefined, state: InterviewState) => Answer | undefined);

export interface RunOptions {
  /** For items the script does not answer. Default: `'skip'`. */
  readonly policy?: DefaultPolicy;
  /** `today()` of the fixed clock, `YYYY-MM-DD`. Default: `2026-06-15`. */
  readonly today?: string;
  /** Language of validation messages. Default: the definition's default language. */
  readonly language?: string;
}

export interface InterviewRun {
  readonly state: InterviewState;
  /** Ids of the items shown, in order (notes included, a grid once). */
  readonly asked: readonly string[];
  /** Ids of the grid rows shown (relevant when their grid was asked), in order. */
  readonly rowsShown: readonly string[];
  /** How the walk ended. */
  readonly step: Exclude<Step, { kind: 'item' }>;
  /** Alert ids seen at any point of the walk, in order of first firing. */
  readonly alertsRaised: readonly string[];
  /** Scripted answers never used because their item or row was never shown, in script order. */
  readonly unusedScript: readonly string[];
}

export const DEFAULT_TODAY = '2026-06-15';

/**
 * Runs an interview: `nextItem` from the start; on each item (for a grid, each of its rows that
 * is relevant at that moment) takes the scripted answer if there is one, else the policy's;
 * validates it with `validateAnswer` and throws (item id and message) if it is invalid; stores
 * it with `setAnswer`; goes on until `end` or `screened_out`.
 */
export function runInterview(
  q: Questionnaire,
  script: Readonly<Record<string, Answer>>,
  options: RunOptions = {},
): InterviewRun {
  const clock: Clock = { today: () => options.today ?? DEFAULT_TODAY };
  const language = options.language ?? q.definition.defaultLanguage;
  const policy = options.policy ?? 'skip';
  const used = new Set<string>();
  const asked: string[] = [];
  const rowsShown: string[] = [];
  const alertsRaised: string[] = [];
  const noteAlerts = (state: InterviewState): void => {
    for (const alert of activeAlerts(q, state)) {
      if (!alertsRaised.includes(alert.id)) alertsRaised.push(alert.id);
    }
  };

  let state = createState(q, [], clock);
  noteAlerts(state);
  let step = nextItem(q, state, null);
  // Each step moves forward in interview order, so a walk shows each item at most once.
  for (let guard = 0; step.kind === 'item'; guard++) {
    if (guard > q.items.length) throw new Error(`${q.definition.id}: the walk does not end`);
    const { entry } = step;
    asked.push(step.id);
    const item = entry.item;
    const targets: { id: string; rowId: string | undefined }[] =
      item.type === 'grid'
        ? item.rows.map((row) => ({ id: row.id, rowId: row.id }))
        : item.type === 'note'
          ? []
          : [{ id: item.id, rowId: undefined }];
    for (const { id, rowId } of targets) {
      // A row is asked only if it is relevant (its condition can only read earlier items, so
      // the answers given to the grid's other rows never change it).
      if (rowId !== undefined) {
        if (!isRelevant(q, state, rowId)) continue;
        rowsShown.push(rowId);
      }
      const scripted = Object.hasOwn(script, id);
      const answer = scripted
        ? script[id]
        : policy === 'skip'
          ? undefined
          : policy(entry, rowId, state);
      if (scripted) used.add(id);
      if (answer === undefined) continue;
      const validation = validateAnswer(q, state, id, answer, language);
      if (!validation.valid) {
        throw new Error(
          `${q.definition.id}: invalid ${scripted ? 'scripted' : 'default'} answer for "${id}" ` +
            `(${JSON.stringify(answer)}): ${validation.code}: ${validation.message}`,
        );
      }
      state = setAnswer(q, state, id, answer);
      noteAlerts(state);
    }
    step = nextItem(q, state, step.id);
  }
  return {
    state,
    asked,
    rowsShown,
    step,
    alertsRaised,
    unusedScript: Object.keys(script).filter((id) => !used.has(id)),
  };
}

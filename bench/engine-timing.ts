// Our engine's two timed paths, shared by the Node runs and the Chromium page of figures 1 and 2:
// "ready" (definition text to first item) and "answering every item one by one".
import type {
  Clock,
  InterviewState,
  Questionnaire,
  Step,
} from '../src/core/questionnaire/index.ts';
import {
  calculatedValues,
  createState,
  formatIssue,
  loadQuestionnaire,
  nextItem,
  relevantItems,
  setAnswer,
} from '../src/core/questionnaire/index.ts';

const CLOCK: Clock = { today: () => '2026-03-02' };

export interface Ready {
  /** Milliseconds from the definition's JSON text to the first item computed. */
  readonly ms: number;
  readonly questionnaire: Questionnaire;
  readonly state: InterviewState;
  readonly first: Step;
}

/**
 * Questionnaire ready, as the app does it when an interview opens: parse the definition (the app
 * holds it as JSON text), `loadQuestionnaire` (validation and compilation), `createState`,
 * `nextItem`.
 */
export function timeReady(text: string): Ready {
  const start = performance.now();
  const result = loadQuestionnaire(JSON.parse(text) as unknown);
  if (result.status === 'failure')
    throw new Error(`the definition does not load: ${result.issues.map(formatIssue).join('; ')}`);
  const questionnaire = result.questionnaire;
  const state = createState(questionnaire, [], CLOCK);
  const first = nextItem(questionnaire, state, null);
  return { ms: performance.now() - start, questionnaire, state, first };
}

export interface Answering {
  readonly ms: number;
  /** The ids answered, in order: the items the walk reached. */
  readonly answered: readonly string[];
  /** Relevant items shown and the sum of the calculations at the end, to compare engines. */
  readonly relevant: number;
  readonly calculationSum: number;
}

/** Answers every item the walk reaches, one by one: `setAnswer` then `nextItem` for each. */
export function timeAnswering(
  ready: Ready,
  answers: ReadonlyMap<string, string | number>,
): Answering {
  const q = ready.questionnaire;
  const answered: string[] = [];
  let state = ready.state;
  let step = ready.first;
  const start = performance.now();
  while (step.kind === 'item') {
    const answer = answers.get(step.id);
    if (answer !== undefined) {
      state = setAnswer(q, state, step.id, answer);
      answered.push(step.id);
    }
    step = nextItem(q, state, step.id);
  }
  const ms = performance.now() - start;
  let calculationSum = 0;
  for (const value of calculatedValues(q, state).values()) calculationSum += Number(value);
  return { ms, answered, relevant: relevantItems(q, state).length, calculationSum };
}

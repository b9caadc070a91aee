// `computeUnknowns` (what the server's review runs) starts its pass at the first non-response it
// finds among the answers instead of scanning the graph for it: the same result as the full scan,
// node for node, on SMPG 2026.2 interviews given "don't know" and "refused" at random places.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlotContext } from '../../../../src/core/expression/index.ts';
import type {
  Answer,
  InterviewState,
  Questionnaire,
} from '../../../../src/core/questionnaire/index.ts';
import {
  createState,
  DONT_KNOW,
  isNonResponse,
  REFUSED,
} from '../../../../src/core/questionnaire/index.ts';
import type { Unknown } from '../../../../src/core/questionnaire/unknowns.ts';
import {
  computeUnknown,
  computeUnknowns,
  newPass,
  unknownProgramOf,
  unknownsOf,
} from '../../../../src/core/questionnaire/unknowns.ts';
import { endDayClock } from '../../../../src/core/record/rules.ts';
import { generateInterviews } from '../../../../scripts/generate-interviews.ts';
import { loadSmpg } from '../../../helpers/smpg.ts';

/** The pass as it was written first: the whole order scanned, from the first non-response on. */
function fullScan(q: Questionnaire, state: InterviewState): readonly (Unknown | undefined)[] {
  const unknown: (Unknown | undefined)[] = [];
  const ctx: SlotContext = {
    values: state.values,
    nonResponse: (slot) => {
      if (state.relevant[slot] !== true) return '';
      const undetermined = unknown[slot];
      if (undetermined?.undetermined === true) return undetermined.reason;
      const answer = state.answers.get(q.nodes[slot]?.key ?? '');
      return isNonResponse(answer) ? answer.nonResponse : '';
    },
    today: () => state.clock.today(),
  };
  const program = unknownProgramOf(q);
  let pass;
  for (const n of q.order) {
    const node = q.nodes[n];
    if (node === undefined) continue;
    const answer = state.answers.get(node.key);
    const own =
      node.variable !== undefined &&
      node.variable !== 'calculate' &&
      state.relevant[n] === true &&
      isNonResponse(answer)
        ? answer.nonResponse
        : undefined;
    if (pass === undefined && own === undefined) continue;
    pass ??= newPass(q, program, state.relevant, state.values, unknown, state.answers, ctx);
    computeUnknown(pass, node, own);
  }
  return pass === undefined ? [] : unknown;
}

/** By node, `undefined` where the array has no entry: arrays of either length compare. */
function byNode(q: Questionnaire, unknowns: readonly (Unknown | undefined)[]) {
  return q.nodes.map((_, i) => unknowns[i]);
}

describe('computeUnknowns', () => {
  const q = loadSmpg('2026.2');
  const records = [...generateInterviews({ questionnaire: q, site: 'test', count: 60, seed: 7 })];

  it('gives what the full scan gives, wherever the non-responses are', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: records.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 6 }),
        (which, changes) => {
          const record = records[which];
          if (record === undefined) return;
          const answers = new Map<string, Answer>(Object.entries(record.answers));
          const ids = [...answers.keys()];
          for (const [at, refused] of changes) {
            const id = ids[at % ids.length];
            if (id !== undefined) answers.set(id, refused ? REFUSED : DONT_KNOW);
          }
          const state = createState(q, answers, endDayClock(record.endedAt));
          const expected = byNode(q, fullScan(q, state));
          expect(byNode(q, computeUnknowns(q, state))).toEqual(expected);
          expect(byNode(q, unknownsOf(q, state))).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('makes no pass at all without a non-response', () => {
    const plain = records.find((record) => !Object.values(record.answers).some(isNonResponse));
    expect(plain).toBeDefined();
    if (plain === undefined) return;
    const state = createState(q, Object.entries(plain.answers), endDayClock(plain.endedAt));
    expect(computeUnknowns(q, state)).toEqual([]);
  });
});

// Quotas on the device: the decision point, counting from interview records (practice and
// non-quota screen-outs never count), and deciding for a new respondent against them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  QUOTA_FULL,
  cellLabel,
  decideRespondent,
  interviewerCountsFor,
  ownCounts,
  planOf,
  quotaCheckpoint,
  siteCountsFor,
} from '../../../src/app/quota/quota-session.ts';
import { openDrafts } from '../../../src/app/quota/open-drafts.ts';
import type { InterviewRecord } from '../../../src/app/storage/index.ts';
import { load } from '../../helpers/builder.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';

const demo = load(JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')));

/** A tiny plan on the demo questionnaire: two age bands, two interviews each. */
const plan = tinyDemoPlan('test');

function record(id: string, patch: Partial<InterviewRecord>): InterviewRecord {
  return {
    id,
    questionnaireId: 'demo',
    questionnaireVersion: '1',
    site: 'test',
    interviewer: 'A',
    deviceId: 'd',
    status: 'completed',
    practice: false,
    position: null,
    language: 'fr',
    appVersion: 'test',
    startedAt: '2026-11-23T10:00:00Z',
    updatedAt: '2026-11-23T10:00:00Z',
    quota: { categories: { age: 'young' }, status: 'accepted', at: '2026-11-23T10:05:00Z' },
    ...patch,
  };
}

function withoutQuota(given: InterviewRecord): InterviewRecord {
  const { quota, ...rest } = given;
  expect(quota).toBeDefined();
  return rest;
}

describe('quota-session', () => {
  it('reports the interviews under way past the quota questions, the latest first', () => {
    const at = (time: string) => `2026-11-23T${time}:00.000Z`;
    const records = [
      record('1', { status: 'in_progress', updatedAt: at('10:00') }),
      record('2', {
        status: 'screening',
        interviewer: 'B',
        updatedAt: at('11:00'),
        quota: { categories: { age: 'old' }, status: 'nearly_full', at: at('11:00') },
      }),
      // Not reported: completed, practice, another site's, no quota decision yet, refused for a
      // full cell, in no cell of the plan, left for more than the hours a draft is kept.
      record('3', { updatedAt: at('11:30') }),
      record('4', { status: 'in_progress', practice: true, updatedAt: at('11:30') }),
      record('5', { status: 'in_progress', site: 'other', updatedAt: at('11:30') }),
      withoutQuota(record('6', { status: 'in_progress', updatedAt: at('11:30') })),
      record('7', {
        status: 'screening',
        updatedAt: at('11:30'),
        quota: { categories: { age: 'young' }, status: 'full', at: at('11:30') },
      }),
      record('8', {
        status: 'in_progress',
        updatedAt: at('11:30'),
        quota: { categories: {}, status: 'unknown', at: at('11:30') },
      }),
      record('9', { status: 'in_progress', updatedAt: '2026-11-23T05:59:00.000Z' }),
    ];
    expect(openDrafts(plan, records, 'test', new Date(at('12:00')))).toEqual([
      { interviewer: 'B', cells: ['age/old'] },
      { interviewer: 'A', cells: ['age/young'] },
    ]);
  });

  it('decides after the last quota item of the plan’s questionnaire only', () => {
    expect(quotaCheckpoint(demo, plan)).toBe(demo.itemById.get('age')?.position);
    expect(quotaCheckpoint(demo, { ...plan, questionnaire: 'smpg' })).toBe(-1);
  });

  it('reads a stored plan only if it is valid', () => {
    expect(planOf(plan)).toEqual(plan);
    expect(planOf({ ...plan, sampleSize: 5 })).toBeUndefined();
    expect(planOf(undefined)).toBeUndefined();
  });

  it('counts completed interviews and quota screen-outs; never practice, drafts or other screen-outs', () => {
    const records = [
      record('1', {}),
      record('2', { practice: true }),
      record('3', { status: 'in_progress' }),
      record('4', { status: 'screened_out', screenOutId: QUOTA_FULL }),
      record('5', { status: 'screened_out', screenOutId: 'minor' }),
      record('6', { interviewer: 'B' }),
    ];
    expect(ownCounts(plan, records, 'A')).toEqual({
      completed: { age: { young: 1 } },
      screenedOut: { age: { young: 1 } },
    });
  });

  it('turns away a respondent whose cell is full, accepts one of another cell', () => {
    const done = [record('1', {}), record('2', {})];
    const young = decideRespondent(
      plan,
      record('new', { status: 'screening' }),
      new Map([['age', 30]]),
      done,
    );
    expect(young.categories).toEqual({ age: 'young' });
    expect(young.decision).toMatchObject({
      status: 'full',
      full: [{ table: 'age', key: 'young', count: 2, limit: 2 }],
    });
    const old = decideRespondent(
      plan,
      record('new', { status: 'screening' }),
      new Map([['age', 70]]),
      done,
    );
    expect(old.decision.status).toBe('accepted');
    expect(cellLabel(plan, 'age', 'young', 'fr')).toBe('18-49 ans');
  });

  it('counts the interviews under way on the tablet: two respondents do not take one last place', () => {
    const now = new Date('2026-11-23T12:00:00.000Z');
    const done = record('1', {});
    const underWay = record('2', { status: 'in_progress', updatedAt: '2026-11-23T11:50:00.000Z' });
    const respondent = record('new', { status: 'screening' });
    const young = new Map([['age', 30]]);
    // One done and one under way in the cell of two: the third is turned away.
    expect(
      decideRespondent(plan, respondent, young, [done, underWay], undefined, now).decision,
    ).toMatchObject({ status: 'full', full: [{ table: 'age', key: 'young', count: 2 }] });
    // Site-wide too, when the server's counts are known and hold neither.
    const at = '2026-11-23T11:00:00.000Z';
    const siteCounts = { completed: {}, screenedOut: {}, at, receivedAt: at };
    const ofB = record('2', {
      interviewer: 'B',
      status: 'in_progress',
      updatedAt: '2026-11-23T11:50:00.000Z',
    });
    expect(
      decideRespondent(plan, respondent, young, [done, ofB], siteCounts, now).decision,
    ).toMatchObject({ status: 'full', full: [{ basis: 'site', count: 2 }] });
    // What does not hold a place: a draft left for hours, a practice one, one turned away, one
    // not yet past the quota questions.
    const left = record('2', { status: 'in_progress', updatedAt: '2026-11-23T05:00:00.000Z' });
    const practice = record('3', {
      status: 'in_progress',
      practice: true,
      updatedAt: now.toISOString(),
    });
    const turnedAway = record('4', {
      status: 'screening',
      updatedAt: now.toISOString(),
      quota: { categories: { age: 'young' }, status: 'full', at: now.toISOString() },
    });
    const early = withoutQuota(record('5', { status: 'screening', updatedAt: now.toISOString() }));
    for (const other of [left, practice, turnedAway, early]) {
      expect(
        decideRespondent(plan, respondent, young, [done, other], undefined, now).decision.status,
      ).not.toBe('full');
    }
  });

  it('checks the site-wide counts when the server’s are known: theirs plus what they lack', () => {
    const at = '2026-11-23T12:00:00.000Z';
    // The server counted one "old" interview: the one this tablet sent before receiving the counts.
    const siteCounts = { completed: { age: { old: 1 } }, screenedOut: {}, at, receivedAt: at };
    const old = { categories: { age: 'old' }, status: 'accepted' as const, at };
    const sentBefore = record('1', {
      quota: old,
      sync: { state: 'sent', attempts: 0, sentAt: '2026-11-23T11:00:00.000Z' },
    });
    const waitingOfB = record('2', { interviewer: 'B', quota: old });
    const respondent = record('new', { status: 'screening' });
    const answers = new Map([['age', 70]]);

    // On interviewer A's own count (1 of 2) the cell still has room.
    expect(
      decideRespondent(plan, respondent, answers, [sentBefore, waitingOfB]).decision.status,
    ).toBe('nearly_full');
    // Site-wide: 1 on the server + B's interview not sent yet = 2 = the limit.
    const merged = decideRespondent(
      plan,
      respondent,
      answers,
      [sentBefore, waitingOfB],
      siteCounts,
    );
    expect(merged.decision).toMatchObject({
      status: 'full',
      full: [{ table: 'age', key: 'old', count: 2, limit: 2, basis: 'site' }],
    });
    // Once B's interview is in the server's counts, it is not added a second time.
    const bSent = record('2', {
      interviewer: 'B',
      quota: old,
      sync: { state: 'sent', attempts: 0, sentAt: '2026-11-23T11:30:00.000Z' },
    });
    const counted = { ...siteCounts, completed: { age: { old: 2 } } };
    expect(
      decideRespondent(plan, respondent, answers, [sentBefore, bSent], counted).decision,
    ).toMatchObject({ status: 'full', full: [{ count: 2 }] });
    expect(
      decideRespondent(plan, respondent, answers, [sentBefore], siteCounts).decision.status,
    ).toBe('nearly_full');
    // Acknowledged after the counts were received: not in them yet, so added.
    const sentAfter = record('2', {
      interviewer: 'B',
      quota: old,
      sync: { state: 'sent', attempts: 0, sentAt: '2026-11-23T12:30:00.000Z' },
    });
    expect(
      decideRespondent(plan, respondent, answers, [sentBefore, sentAfter], siteCounts).decision
        .status,
    ).toBe('full');
    expect(siteCountsFor(plan, siteCounts, [sentBefore, sentAfter]).completed).toEqual({
      age: { old: 2 },
    });
  });

  it('counts the interviewer’s interviews on every tablet against their allocation', () => {
    const at = '2026-11-23T12:00:00.000Z';
    // A and B share the young cell (target 2): one each.
    const shared = {
      ...plan,
      allocations: [
        { interviewer: 'A', targets: { age: { young: 1, old: 1 } } },
        { interviewer: 'B', targets: { age: { young: 1, old: 1 } } },
      ],
    };
    // This tablet has nothing of A; the server holds A's young interview made on another tablet.
    const siteCounts = {
      completed: { age: { young: 1 } },
      screenedOut: {},
      at,
      receivedAt: at,
      interviewers: { A: { age: { young: 1 } } },
    };
    const respondent = record('new', { status: 'screening' });
    const young = new Map([['age', 30]]);
    expect(interviewerCountsFor(shared, [], 'A', siteCounts).completed).toEqual({
      age: { young: 1 },
    });
    expect(decideRespondent(shared, respondent, young, [], siteCounts).decision).toMatchObject({
      status: 'full',
      full: [{ table: 'age', key: 'young', count: 1, limit: 1, basis: 'allocation' }],
    });
    // Without the server's per-interviewer counts (an older server), this tablet saw only its own.
    const older = { completed: siteCounts.completed, screenedOut: {}, at, receivedAt: at };
    const before = decideRespondent(shared, respondent, young, [], older).decision;
    expect(before.status === 'unknown' ? [] : before.cells).toContainEqual(
      expect.objectContaining({ basis: 'allocation', count: 0, limit: 1 }),
    );
    // A's interview here not sent yet is added to the server's count of A; one sent before the
    // counts came is in it already.
    const unsent = record('1', { quota: { categories: { age: 'old' }, status: 'accepted', at } });
    const sent = record('2', {
      quota: { categories: { age: 'young' }, status: 'accepted', at },
      sync: { state: 'sent', attempts: 0, sentAt: '2026-11-23T11:00:00.000Z' },
    });
    expect(interviewerCountsFor(shared, [unsent, sent], 'A', siteCounts).completed).toEqual({
      age: { young: 1, old: 1 },
    });
    // Another interviewer's records on this tablet never count as A's.
    const ofB = record('3', { interviewer: 'B' });
    expect(interviewerCountsFor(shared, [ofB], 'A', siteCounts).completed).toEqual({
      age: { young: 1 },
    });
  });
});

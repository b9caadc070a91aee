// What "Nouvel entretien" offers: every installed questionnaire on a tablet without a server and in
// practice mode; on a field tablet its site's (the one its plan is for; before the plan, all but
// the demo); and no new interview, practice apart, on a tablet the server has revoked.
import { describe, expect, it } from 'vitest';
import {
  offeredQuestionnaires,
  selectedQuestionnaire,
  startRefusal,
} from '../../../src/app/new-interview.ts';
import type { InstalledQuestionnaire } from '../../../src/app/storage/index.ts';

function installed(questionnaireId: string, version: string): InstalledQuestionnaire {
  return {
    questionnaireId,
    version,
    definition: {},
    labelPacks: [],
    installedAt: '2026-03-01T00:00:00.000Z',
  };
}

const NEWEST = [installed('demo', '2'), installed('other', '1'), installed('smpg', '2026.2')];
const ids = (entries: readonly InstalledQuestionnaire[]) =>
  entries.map((entry) => entry.questionnaireId);

describe('the questionnaires a new interview may use', () => {
  it('are every one without a server, and every one in practice mode', () => {
    const alone = { enrolled: false, practice: false, siteQuestionnaire: undefined };
    expect(ids(offeredQuestionnaires(NEWEST, alone))).toEqual(['demo', 'other', 'smpg']);
    const practising = { enrolled: true, practice: true, siteQuestionnaire: 'smpg' };
    expect(ids(offeredQuestionnaires(NEWEST, practising))).toEqual(['demo', 'other', 'smpg']);
  });

  it('are the site’s on a field tablet: its plan’s, or all but the demo before the plan', () => {
    const field = { enrolled: true, practice: false };
    expect(ids(offeredQuestionnaires(NEWEST, { ...field, siteQuestionnaire: 'smpg' }))).toEqual([
      'smpg',
    ]);
    // A site whose plan is on the demo (the test server's) runs the demo.
    expect(ids(offeredQuestionnaires(NEWEST, { ...field, siteQuestionnaire: 'demo' }))).toEqual([
      'demo',
    ]);
    expect(ids(offeredQuestionnaires(NEWEST, { ...field, siteQuestionnaire: undefined }))).toEqual([
      'other',
      'smpg',
    ]);
    // The plan's questionnaire not installed yet (sync brings it): nothing to start.
    expect(offeredQuestionnaires(NEWEST, { ...field, siteQuestionnaire: 'gone' })).toEqual([]);
  });

  it('start with the one chosen, else the site’s, else SMPG, else the first', () => {
    expect(selectedQuestionnaire(NEWEST, 'other', 'demo')?.questionnaireId).toBe('other');
    expect(selectedQuestionnaire(NEWEST, 'gone', 'demo')?.questionnaireId).toBe('demo');
    expect(selectedQuestionnaire(NEWEST, undefined, undefined)?.questionnaireId).toBe('smpg');
    expect(selectedQuestionnaire(NEWEST.slice(0, 2), undefined, undefined)?.questionnaireId).toBe(
      'demo',
    );
    expect(selectedQuestionnaire([], 'smpg', 'smpg')).toBeUndefined();
  });
});

describe('starting an interview on a revoked tablet', () => {
  it('is refused, practice apart', () => {
    const blocked = 'this tablet was revoked by the coordinator: enrol it again';
    expect(startRefusal({ practice: false, blocked })).toBe('revoked');
    expect(startRefusal({ practice: true, blocked })).toBeUndefined();
    expect(startRefusal({ practice: false, blocked: undefined })).toBeUndefined();
  });
});

// What the home screen says of a draft, with a fixed clock: the questionnaire's title in the
// interface's language (not "smpg version 2026.1"), the respondent's sex (the choice's label) and
// age band once answered and nothing before, when it started ("il y a 5 min", "il y a 2 h",
// "hier", counted in the site's days), and the last question reached.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ageBand, describeDraft, startedAgo } from '../../../src/app/drafts.ts';
import { HOME_TEXT } from '../../../src/app/home-text.ts';
import type { InterviewRecord } from '../../../src/app/storage/index.ts';
import type { Answer, Questionnaire } from '../../../src/core/questionnaire/index.ts';
import { REFUSED, loadQuestionnaire } from '../../../src/core/questionnaire/index.ts';
import { loadSmpg } from '../../helpers/smpg.ts';

const NOW = new Date('2026-03-10T14:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const PARIS = 'Europe/Paris';

function demo(): Questionnaire {
  const loaded = loadQuestionnaire(
    JSON.parse(readFileSync('questionnaires/demo/2.json', 'utf8')) as unknown,
  );
  if (loaded.status === 'failure') throw new Error('the demo questionnaire does not load');
  return loaded.questionnaire;
}

function draft(extra: Partial<InterviewRecord> = {}): InterviewRecord {
  return {
    id: '0192f0c1-0000-7000-8000-000000000001',
    questionnaireId: 'smpg',
    questionnaireVersion: '2026.2',
    site: 'lille',
    interviewer: 'ENQ-07',
    deviceId: 'device-1',
    status: 'in_progress',
    practice: false,
    position: 'age',
    language: 'fr',
    appVersion: '0.1.0',
    startedAt: ago(5),
    updatedAt: ago(1),
    ...extra,
  };
}

function described(
  record: InterviewRecord,
  questionnaire: Questionnaire | undefined,
  answers: Record<string, Answer>,
  language: 'fr' | 'en' = 'fr',
) {
  const summary = describeDraft({
    record,
    questionnaire,
    answers: new Map(Object.entries(answers)),
    language,
    now: NOW,
    timeZone: PARIS,
    words: HOME_TEXT[language],
  });
  // Intl puts no-break spaces in "il y a 5 min": compared as plain spaces.
  return { ...summary, started: summary.started.replace(/[\u00a0\u202f]/g, ' ') };
}

describe('a draft on the home screen', () => {
  const smpg = loadSmpg('2026.2');

  it('says the questionnaire’s title, the respondent’s sex and age band, and the last question', () => {
    const summary = described(draft(), smpg, { sex: '2', age: 38 });
    expect(summary).toEqual({
      title: 'Santé mentale en population générale : images et réalités',
      respondent: ['Une femme', '35-44 ans'],
      started: 'il y a 5 min',
      lastItem: { label: 'Quel âge avez-vous ?' },
    });
    expect(described(draft(), smpg, { sex: '1', age: 67 }, 'en')).toMatchObject({
      title: 'Mental health in the general population: images and realities',
      respondent: ['A man', 'aged 65-74'],
      lastItem: { label: 'How old are you?' },
    });
  });

  it('says nothing of the respondent before it is answered, or when refused', () => {
    expect(described(draft({ position: 'elig_adult' }), smpg, {}).respondent).toEqual([]);
    expect(described(draft(), smpg, { sex: REFUSED, age: REFUSED }).respondent).toEqual([]);
    // The demo has an age and no sex.
    const record = draft({
      questionnaireId: 'demo',
      questionnaireVersion: '2',
      position: 'review',
    });
    expect(described(record, demo(), { age: 22 })).toMatchObject({
      title: 'Démonstration : la vie dans le quartier (v2)',
      respondent: ['18-24 ans'],
      lastItem: 'review',
    });
  });

  it('falls back to the id when its version cannot be read, and says no question before the first', () => {
    expect(described(draft({ position: null }), undefined, { sex: '2', age: 80 })).toEqual({
      title: 'smpg',
      respondent: ['75 ans et plus'],
      started: 'il y a 5 min',
      lastItem: undefined,
    });
  });

  it('bands ages by ten years from 25', () => {
    const words = HOME_TEXT.fr;
    expect([17, 18, 24, 25, 34, 35, 44, 74, 75, 101].map((age) => ageBand(age, words))).toEqual([
      'moins de 18 ans',
      '18-24 ans',
      '18-24 ans',
      '25-34 ans',
      '25-34 ans',
      '35-44 ans',
      '35-44 ans',
      '65-74 ans',
      '75 ans et plus',
      '75 ans et plus',
    ]);
  });

  it('says when it started relative to now, by the site’s calendar for days', () => {
    const when = (startedAt: string, language: 'fr' | 'en' = 'fr', timeZone = PARIS) =>
      startedAgo(startedAt, NOW, language, timeZone, HOME_TEXT[language].draftJustNow).replace(
        /[\u00a0\u202f]/g,
        ' ',
      );
    expect(when(ago(0))).toBe('à l’instant');
    expect(when(new Date(NOW.getTime() + 60_000).toISOString())).toBe('à l’instant');
    expect(when(ago(5))).toBe('il y a 5 min');
    expect(when(ago(125))).toBe('il y a 2 h');
    // 15:00 in Paris; yesterday 22:00 there is "hier", not "il y a 17 h".
    expect(when('2026-03-09T21:00:00.000Z')).toBe('hier');
    expect(when('2026-03-08T09:00:00.000Z')).toBe('avant-hier');
    expect(when('2026-03-05T09:00:00.000Z')).toBe('il y a 5 jours');
    expect(when(ago(5), 'en')).toMatch(/^5 min\.? ago$/);
    expect(when('2026-03-09T21:00:00.000Z', 'en')).toBe('yesterday');
    // In Cayenne (UTC-3) 21:00 UTC is still the same day as 14:00 UTC.
    expect(when('2026-03-09T21:00:00.000Z', 'fr', 'America/Cayenne')).toBe('hier');
    expect(when('2026-03-10T04:00:00.000Z', 'fr', 'America/Cayenne')).toBe('il y a 10 h');
  });
});

// The drafts' list as rendered: each draft says its questionnaire's title (never "smpg version
// 2026.1"), whom it is with and when it started, and each "Reprendre" button has a name of its own,
// even for two drafts alike in all that.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DraftEntry } from '../../../../src/app/components/DraftList.tsx';
import { DraftList } from '../../../../src/app/components/DraftList.tsx';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { UI_TEXT_EN } from '../../../../src/app/ui-text-en.ts';
import { UI_TEXT_FR, UiTextContext } from '../../../../src/app/ui-text.ts';

function record(id: string, extra: Partial<InterviewRecord> = {}): InterviewRecord {
  return {
    id,
    questionnaireId: 'smpg',
    questionnaireVersion: '2026.1',
    site: 'lille',
    interviewer: 'ENQ-07',
    deviceId: 'device-1',
    status: 'in_progress',
    practice: false,
    position: 'age',
    language: 'fr',
    appVersion: '0.1.0',
    startedAt: '2026-03-10T13:55:00.000Z',
    updatedAt: '2026-03-10T13:59:00.000Z',
    ...extra,
  };
}

const TITLE = 'Santé mentale en population générale : images et réalités';

const DRAFTS: DraftEntry[] = [
  {
    record: record('0192f0c1-aaaa-7000-8000-000000000001', { pickupPoint: 'Gare' }),
    summary: {
      title: TITLE,
      respondent: ['Une femme', '35-44 ans'],
      started: 'il y a 5 min',
      lastItem: { label: 'Quel âge avez-vous ?' },
    },
  },
  // Two drafts just begun, nothing answered: alike but for their ids.
  ...['0192f0c1-bbbb-7000-8000-000000000002', '0192f0c1-cccc-7000-8000-000000000003'].map(
    (id): DraftEntry => ({
      record: record(id, { position: 'elig_intro', practice: true }),
      summary: { title: TITLE, respondent: [], started: 'à l’instant', lastItem: undefined },
    }),
  ),
];

function render(language: 'fr' | 'en', drafts: readonly DraftEntry[] = DRAFTS): string {
  const text = language === 'fr' ? UI_TEXT_FR : UI_TEXT_EN;
  return renderToStaticMarkup(
    <UiTextContext.Provider value={{ language, text }}>
      <DraftList drafts={drafts} onOpen={() => {}} />
    </UiTextContext.Provider>,
  );
}

/** The accessible names of the buttons (their aria-label). */
function buttonNames(html: string): string[] {
  return [...html.matchAll(/<button[^>]*aria-label="([^"]*)"/g)].map((match) =>
    (match[1] ?? '').replace(/&#x27;/g, "'"),
  );
}

describe('the drafts on the home screen', () => {
  it('say the title, whom each is with, when and where it started, and the last question', () => {
    const html = render('fr');
    expect(html).toContain(`<strong>${TITLE}</strong>`);
    expect(html).not.toContain('version 2026.1');
    expect(html).toContain('Une femme, 35-44 ans');
    expect(html).toContain('Commencé il y a 5 min · lieu : Gare');
    expect(html).toContain('Dernière question : Quel âge avez-vous ?');
    expect(html).toContain('Commencé à l’instant');
  });

  it('name each "Reprendre" after its draft, every name its own', () => {
    const names = buttonNames(render('fr'));
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toBe(
      `Reprendre : ${TITLE}, Une femme, 35-44 ans, commencé il y a 5 min, lieu : Gare`,
    );
    // The two alike (their ids begin alike: the time) are told apart by the ends of their ids.
    expect(names.slice(1)).toEqual([
      `Reprendre : ${TITLE}, commencé à l’instant (000002)`,
      `Reprendre : ${TITLE}, commencé à l’instant (000003)`,
    ]);
    for (const name of names) expect(name.startsWith(UI_TEXT_FR.resume)).toBe(true);
  });

  it('speak English in English', () => {
    const [first] = DRAFTS;
    if (first === undefined) throw new Error('no draft');
    const english = { ...first.summary, title: 'Mental health', started: '5 min. ago' };
    const html = render('en', [{ ...first, summary: english }]);
    expect(html).toContain('Started 5 min. ago · place: Gare');
    expect(buttonNames(html)[0]).toMatch(/^Resume: /);
  });
});

// The site's income bands on the tablet: the income item shows the site's bands (labels made from
// their amounts, only as many choices as bands), the review names the band chosen, other items
// and interviews without bands stay as the questionnaire has them, and the record keeps the bands.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { newInterview } from '../../../../src/app/interview/interview-session.ts';
import { QuestionnaireCache } from '../../../../src/app/questionnaires/catalogue.ts';
import { InterviewScreen } from '../../../../src/app/screens/InterviewScreen.tsx';
import { siteIncomeBands } from '../../../../src/app/site-settings.ts';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { MemoryInterviewStore } from '../../../../src/app/storage/memory-store.ts';
import { interviewMeta } from '../../../../src/app/sync/sync-engine.ts';
import { UI_TEXT_FR, UiTextContext } from '../../../../src/app/ui-text.ts';
import type { IncomeBands, SiteSettings } from '../../../../src/core/protocol/index.ts';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { createState } from '../../../../src/core/questionnaire/index.ts';
import { anonymise } from '../../../../src/core/record/index.ts';
import { definition, fixedClock, load, single } from '../../../helpers/builder.ts';

const q = load(
  definition([single('income', ['1', '2', '3', '4', '5', '6', '7']), single('work', ['1', '2'])]),
);
const BANDS: IncomeBands = { item: 'income', currency: 'EUR', upperBounds: [840, 1200] };
const NNBSP = '\u202f';
const NBSP = '\u00a0';

function interview(position: string, bands?: IncomeBands): InterviewRecord {
  return {
    ...newInterview(
      {
        id: '00000000-0000-4000-8000-000000000001',
        questionnaireId: q.definition.id,
        questionnaireVersion: q.definition.version,
        site: 'cayenne',
        interviewer: 'ENQ-07',
        deviceId: 'tablet-1',
        practice: false,
        language: 'fr',
        appVersion: 'test',
        ...(bands === undefined ? {} : { incomeBands: bands }),
      },
      new Date('2026-06-15T09:00:00.000Z'),
    ),
    status: 'in_progress',
    position,
  };
}

function render(record: InterviewRecord, answers: Record<string, Answer> = {}): string {
  const store = new MemoryInterviewStore();
  const state = createState(q, Object.entries(answers), fixedClock('2026-06-15'));
  return renderToStaticMarkup(
    <UiTextContext.Provider value={{ language: 'fr', text: UI_TEXT_FR }}>
      <InterviewScreen
        store={store}
        cache={new QuestionnaireCache(store)}
        interviewId={record.id}
        alert={{ helpline: '3114', contacts: [] }}
        plan={undefined}
        siteCounts={undefined}
        loaded={{ record, q, state }}
        onExit={() => {}}
      />
    </UiTextContext.Provider>,
  );
}

const radios = (html: string) =>
  [...html.matchAll(/type="radio"[^>]*value="([^"]*)"/g)].map((m) => m[1]);
const textOf = (html: string) => html.replace(/<[^>]+>/g, '');

describe('the income item on the tablet', () => {
  it('shows the site’s bands, labelled from their amounts, and only as many choices', () => {
    const html = render(interview('income', BANDS));
    expect(radios(html)).toEqual(['1', '2', '3']);
    const text = textOf(html);
    expect(text).toContain(`Moins de 840${NBSP}€`);
    expect(text).toContain(`De 840 à 1${NNBSP}199${NBSP}€`);
    expect(text).toContain(`1${NNBSP}200${NBSP}€ ou plus`);
    expect(text).not.toContain('choice 1 (fr)');
  });

  it('keeps the questionnaire’s choices without bands, and for other items', () => {
    const plain = render(interview('income'));
    expect(radios(plain)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(textOf(plain)).toContain('choice 1 (fr)');
    expect(radios(render(interview('work', BANDS)))).toEqual(['1', '2']);
  });

  it('names the band chosen on the review screen', () => {
    const html = render(interview('review', BANDS), { income: '2', work: '1' });
    expect(textOf(html)).toContain(`De 840 à 1${NNBSP}199${NBSP}€`);
  });

  it('starts an interview with the site’s bands and sends them with its record', () => {
    const site = { incomeBands: BANDS } as Partial<SiteSettings> as SiteSettings;
    expect(siteIncomeBands(site)).toEqual({ incomeBands: BANDS });
    expect(siteIncomeBands({ ...site, incomeBands: null })).toEqual({});
    expect(siteIncomeBands(undefined)).toEqual({});
    const record = { ...interview('work', BANDS), status: 'completed' as const };
    const answers = new Map<string, Answer>([
      ['income', '2'],
      ['work', '1'],
    ]);
    const wire = anonymise(q, interviewMeta(record), answers, fixedClock('2026-06-15'));
    expect(wire.incomeBands).toEqual(BANDS);
    const without = { ...interview('work'), status: 'completed' as const };
    expect(
      anonymise(q, interviewMeta(without), answers, fixedClock('2026-06-15')),
    ).not.toHaveProperty('incomeBands');
  });
});

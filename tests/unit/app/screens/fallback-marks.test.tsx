// An interviewer's text a language leaves out (a screen-out's reason, an alert's title and
// protocol) is shown in the default language, marked as such, so the interviewer does not read it
// out as if it were the respondent's language.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AlertProtocol } from '../../../../src/app/components/AlertProtocol.tsx';
import { newInterview } from '../../../../src/app/interview/interview-session.ts';
import { QuestionnaireCache } from '../../../../src/app/questionnaires/catalogue.ts';
import { InterviewScreen } from '../../../../src/app/screens/InterviewScreen.tsx';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { MemoryInterviewStore } from '../../../../src/app/storage/memory-store.ts';
import { UI_TEXT_FR, UiTextContext } from '../../../../src/app/ui-text.ts';
import { createState } from '../../../../src/core/questionnaire/index.ts';
import { definition, fixedClock, load, single } from '../../../helpers/builder.ts';

const q = load(
  definition([single('adult', ['1', '2'])], {
    screenOuts: [{ id: 'minor', when: "${adult} = '2'", label: { fr: 'Personne mineure' } }],
  }),
);

function screenedOut(language: string): InterviewRecord {
  return {
    ...newInterview(
      {
        id: '00000000-0000-4000-8000-000000000002',
        questionnaireId: q.definition.id,
        questionnaireVersion: q.definition.version,
        site: 'lille',
        interviewer: 'ENQ-07',
        deviceId: 'tablet-1',
        practice: false,
        language,
        appVersion: 'test',
      },
      new Date('2026-06-15T09:00:00.000Z'),
    ),
    status: 'screened_out',
    screenOutId: 'minor',
  };
}

function render(record: InterviewRecord): string {
  const store = new MemoryInterviewStore();
  const state = createState(q, [['adult', '2']], fixedClock('2026-06-15'));
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

const MARK = 'en français : pas encore traduit';

describe('texts shown in the default language', () => {
  it('marks a screen-out’s reason the interview’s language leaves out', () => {
    const english = render(screenedOut('en'));
    expect(english).toContain('<span lang="fr">Personne mineure</span>');
    expect(english).toContain(MARK);
    const french = render(screenedOut('fr'));
    expect(french).toContain('Personne mineure');
    expect(french).not.toContain(MARK);
  });

  it('marks an alert’s title and protocol each on its own', () => {
    const html = (titleFallback?: string, protocolFallback?: string) =>
      renderToStaticMarkup(
        <UiTextContext.Provider value={{ language: 'fr', text: UI_TEXT_FR }}>
          <AlertProtocol
            title="Risque élevé"
            protocol="Donnez le {{helpline}}."
            helpline="3114"
            contacts={[]}
            titleFallback={titleFallback}
            protocolFallback={protocolFallback}
            onAcknowledge={() => {}}
          />
        </UiTextContext.Provider>,
      );
    const marks = (markup: string) => markup.split(MARK).length - 1;
    expect(marks(html())).toBe(0);
    const titleOnly = html('fr');
    expect(titleOnly).toContain('<span lang="fr">Risque élevé</span>');
    expect(marks(titleOnly)).toBe(1);
    const both = html('fr', 'fr');
    expect(both).toContain('<div class="protocol-text" lang="fr">');
    expect(marks(both)).toBe(2);
  });
});

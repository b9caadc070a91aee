// One question of an interview screen rendered to HTML as the app draws it (the interface in
// French, the questionnaire in `language`, the answers given so far), for unit tests of its markup.
import { renderToStaticMarkup } from 'react-dom/server';
import { ItemView } from '../../src/app/components/ItemView.tsx';
import { UI_TEXT_FR, UiTextContext } from '../../src/app/ui-text.ts';
import type { Answer, Questionnaire } from '../../src/core/questionnaire/index.ts';
import { createState, validateAnswer } from '../../src/core/questionnaire/index.ts';
import { fixedClock } from './builder.ts';

export function renderItem(
  q: Questionnaire,
  itemId: string,
  answers: Readonly<Record<string, Answer>> = {},
  language = 'fr',
): string {
  const entry = q.itemById.get(itemId);
  if (entry === undefined) throw new Error(`${itemId} is missing`);
  const state = createState(q, Object.entries(answers), fixedClock('2026-06-15'));
  return renderToStaticMarkup(
    <UiTextContext.Provider value={{ language: 'fr', text: UI_TEXT_FR }}>
      <ItemView
        q={q}
        state={state}
        entry={entry}
        language={language}
        errors={new Map()}
        onAnswer={(id, value) => Promise.resolve(validateAnswer(q, state, id, value, 'fr'))}
      />
    </UiTextContext.Provider>,
  );
}

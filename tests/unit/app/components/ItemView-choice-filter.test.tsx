// A question whose choices are offered on earlier answers (a choice's `relevant`, from XLSForm's
// choice_filter): the screen lists only the choices offered now, and an answer given before the
// earlier answer changed is not shown ticked.
import { describe, expect, it } from 'vitest';
import type { Answer, Choice } from '../../../../src/core/questionnaire/index.ts';
import { choices, definition, load, single } from '../../../helpers/builder.ts';
import { renderItem } from '../../../helpers/render-item.tsx';

/** One choice, labelled from its code, offered when `relevant` holds. */
function choice(code: string, relevant?: string): Choice {
  const [made] = choices(code);
  return {
    code,
    label: made?.label ?? { fr: code, en: code },
    ...(relevant === undefined ? {} : { relevant }),
  };
}

const q = load(
  definition([
    single('region', ['nord', 'sud']),
    single('town', [], {
      choices: [
        choice('lille', "${region} = 'nord'"),
        choice('roubaix', "${region} = 'nord'"),
        choice('nice', "${region} = 'sud'"),
      ],
    }),
  ]),
);

const render = (answers: Record<string, Answer>): string => renderItem(q, 'town', answers);

const values = (html: string) =>
  [...html.matchAll(/<input[^>]*name="town"[^>]*value="([^"]*)"/g)].map((match) => match[1]);
const checked = (html: string) =>
  [...html.matchAll(/<input[^>]*name="town"[^>]*>/g)]
    .filter((match) => match[0].includes('checked'))
    .map((match) => /value="([^"]*)"/.exec(match[0])?.[1]);

describe('ItemView with choices offered on earlier answers', () => {
  it('lists only the choices offered now', () => {
    expect(values(render({ region: 'nord' }))).toEqual(['lille', 'roubaix']);
    expect(values(render({ region: 'sud' }))).toEqual(['nice']);
    expect(values(render({}))).toEqual([]);
  });

  it('does not show ticked an answer no longer offered', () => {
    expect(checked(render({ region: 'nord', town: 'lille' }))).toEqual(['lille']);
    const html = render({ region: 'sud', town: 'lille' });
    expect(values(html)).toEqual(['nice']);
    expect(checked(html)).toEqual([]);
  });
});

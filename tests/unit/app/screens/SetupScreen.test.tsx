// The set-up and enrolment forms' words, rendered as the tablet shows them before any tap: the
// settings screen titled as the home screen's button names it, each code field's format told with
// an example the app and the server both accept, and "Obligatoire" for what was left empty.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EnrolSchema } from '../../../../src/app/screens/EnrolScreen.tsx';
import type { Setup } from '../../../../src/app/screens/SetupScreen.tsx';
import { REQUIRED, SetupSchema, SetupScreen } from '../../../../src/app/screens/SetupScreen.tsx';
import { HOME_TEXT } from '../../../../src/app/home-text.ts';
import { UI_TEXT_EN } from '../../../../src/app/ui-text-en.ts';
import { UI_TEXT_FR, UiTextContext } from '../../../../src/app/ui-text.ts';
import { SITE_ID } from '../../../../src/core/protocol/index.ts';

const TEXTS = { fr: UI_TEXT_FR, en: UI_TEXT_EN };

function render(
  initial: Setup,
  { siteLocked = false, language = 'fr' }: { siteLocked?: boolean; language?: 'fr' | 'en' } = {},
): string {
  return renderToStaticMarkup(
    <UiTextContext.Provider value={{ language, text: TEXTS[language] }}>
      <SetupScreen
        initial={initial}
        siteLocked={siteLocked}
        siteName={siteLocked ? 'Lille' : undefined}
        helpline="03 20 00 00 00"
        onSave={async () => {}}
        onEnrol={() => {}}
      />
    </UiTextContext.Provider>,
  );
}

/** The text of the first element matching `pattern` (its first group is the content). */
function textOf(html: string, pattern: RegExp): string | undefined {
  return pattern.exec(html)?.[1]?.replace(/<[^>]+>/g, '');
}

/** The text of the elements an input's aria-describedby names, in order. */
function descriptionOf(html: string, inputId: string): string {
  const ids = new RegExp(`<input[^>]*id="${inputId}"[^>]*aria-describedby="([^"]*)"`).exec(html);
  return (ids?.[1] ?? '')
    .split(' ')
    .map((id) => textOf(html, new RegExp(`id="${id}"[^>]*>(.*?)</p>`)) ?? `(no #${id})`)
    .join(' ');
}

/** The example a hint gives ("…, par exemple lille-2026."). */
function exampleIn(hint: string): string | undefined {
  return /(?:par exemple|for example) (\S+?)\.?$/.exec(hint)?.[1];
}

describe('SetupScreen', () => {
  it('is titled "Réglages", as the home screen’s button says, once the tablet is set up', () => {
    expect(textOf(render({ site: '', interviewer: '' }), /<h1>(.*?)<\/h1>/)).toBe(
      UI_TEXT_FR.setupTitle,
    );
    for (const siteLocked of [false, true]) {
      const html = render({ site: 'lille', interviewer: 'ENQ-07' }, { siteLocked });
      expect(textOf(html, /<h1>(.*?)<\/h1>/), `siteLocked ${siteLocked}`).toBe('Réglages');
      expect(textOf(html, /<h1>(.*?)<\/h1>/)).toBe(UI_TEXT_FR.settings);
    }
    expect(
      textOf(
        render({ site: 'lille', interviewer: 'ENQ-07' }, { language: 'en' }),
        /<h1>(.*?)<\/h1>/,
      ),
    ).toBe(UI_TEXT_EN.settings);
  });

  it('ties to each code field a hint that gives its format and an example', () => {
    const html = render({ site: '', interviewer: '' });
    const site = descriptionOf(html, 'setup-site');
    const interviewer = descriptionOf(html, 'setup-interviewer');
    expect(site).toBe(UI_TEXT_FR.siteHint);
    expect(interviewer).toBe(UI_TEXT_FR.interviewerHint);
    for (const hint of [site, interviewer]) expect(hint).toContain('2 à 32');
    // The site's example is one the tablet takes and a server could name a site by.
    const siteExample = exampleIn(site) ?? '';
    expect(siteExample).toBe('lille-2026');
    expect(SITE_ID.test(siteExample)).toBe(true);
    const interviewerExample = exampleIn(interviewer) ?? '';
    expect(
      SetupSchema.safeParse({ site: siteExample, interviewer: interviewerExample }).success,
    ).toBe(true);
    for (const text of [UI_TEXT_FR, UI_TEXT_EN]) {
      expect(exampleIn(text.siteHint)).toBe(siteExample);
      expect(exampleIn(text.interviewerHint)).toBe(interviewerExample);
    }
    // On an enrolled tablet the site is the server's: only the interviewer's hint is left.
    const enrolled = render({ site: 'lille', interviewer: 'ENQ-07' }, { siteLocked: true });
    expect(enrolled).not.toContain('id="setup-site"');
    expect(descriptionOf(enrolled, 'setup-interviewer')).toBe(UI_TEXT_FR.interviewerHint);
  });
});

describe('the set-up and enrolment checks', () => {
  /** The message of each field's first issue: what the screens turn into words. */
  function problems(result: {
    error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } | undefined;
  }): Record<string, string> {
    const found: Record<string, string> = {};
    for (const issue of result.error?.issues ?? []) found[String(issue.path[0])] ??= issue.message;
    return found;
  }

  it('says a field left empty (or blank) is required, and a mistyped one is of the wrong form', () => {
    expect(problems(SetupSchema.safeParse({ site: '', interviewer: '   ' }))).toEqual({
      site: REQUIRED,
      interviewer: REQUIRED,
    });
    const mistyped = problems(SetupSchema.safeParse({ site: 'Évry centre', interviewer: 'E' }));
    expect(Object.keys(mistyped)).toEqual(['site', 'interviewer']);
    expect(Object.values(mistyped)).not.toContain(REQUIRED);
    expect(problems(EnrolSchema.safeParse({ serverUrl: '', code: '', interviewer: '' }))).toEqual({
      serverUrl: REQUIRED,
      code: REQUIRED,
      interviewer: REQUIRED,
    });
    const wrong = problems(
      EnrolSchema.safeParse({ serverUrl: 'pas une adresse', code: 'ABC', interviewer: 'ENQ 07' }),
    );
    expect(Object.keys(wrong).sort()).toEqual(['code', 'interviewer', 'serverUrl']);
    expect(Object.values(wrong)).not.toContain(REQUIRED);
    expect(UI_TEXT_FR.fieldRequired).toBe('Obligatoire.');
  });

  it('calls enrolment by one name, the glossary’s "enregistrer la tablette", never "inscrire"', () => {
    const enrolWords = Object.entries({ ...UI_TEXT_FR, ...HOME_TEXT.fr })
      .filter(([key, value]) => key.startsWith('enrol') && typeof value === 'string')
      .map(([, value]) => value as string);
    expect(enrolWords.length).toBeGreaterThan(10);
    expect(enrolWords.filter((words) => /inscri/i.test(words))).toEqual([]);
    expect(HOME_TEXT.fr.enrolInstallFirst).toContain('enregistrez la tablette');
  });
});

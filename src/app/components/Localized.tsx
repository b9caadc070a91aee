// A questionnaire text on screen, in the interview's language or, for an interviewer's text the
// language leaves out (an instruction, a section title), in the default language, marked so that
// the interviewer knows not to read it to the respondent as it is.
import type { LocalizedText, Questionnaire } from '../../core/questionnaire/index.ts';
import { localizedText } from '../../core/questionnaire/index.ts';
import { fill, useUiLanguage, useUiText } from '../ui-text.ts';

/** The language's name in the interface's language ("français"), or its code. */
function languageName(code: string, uiLanguage: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function Localized({
  q,
  text,
  language,
}: {
  readonly q: Questionnaire;
  readonly text: LocalizedText | undefined;
  readonly language: string;
}) {
  const shown = localizedText(q, text, language);
  if (shown.language === language) return <>{shown.text}</>;
  return (
    <>
      <span lang={shown.language}>{shown.text}</span> <FallbackNote language={shown.language} />
    </>
  );
}

/** The mark beside a text shown in `language` because the interview's language leaves it out. */
export function FallbackNote({ language }: { readonly language: string }) {
  const ui = useUiText();
  const uiLanguage = useUiLanguage();
  return (
    <span className="fallback-language">
      ({fill(ui.notTranslated, { language: languageName(language, uiLanguage) })})
    </span>
  );
}

// What a filled translation sheet gives, before it is sent: the errors of the sheet and the
// respondent's texts left untranslated (both block: the language could not be offered), the
// interviewer's texts that will show in French, then the warnings with their rows (texts left as
// in French, placeholders lost).
import { useId } from 'react';
import type { ReactNode } from 'react';
import { countText, formatNumber } from '../../app/components/plurals.ts';
import type { PluralForms } from '../../app/components/plurals.ts';
import type { SheetCheck, SheetText } from '../translation-packs.ts';
import { canSend } from '../translation-packs.ts';
import { fill, useText } from '../text.ts';
import { sheetIssuePlace } from '../xlsform-upload.ts';

/** Past this many lines a list says how many more there are: a blank sheet misses hundreds. */
const SHOWN = 20;

function TextList({
  kind,
  heading,
  count,
  language,
  children,
}: {
  readonly kind: 'error' | 'warning';
  readonly heading: PluralForms;
  readonly count: number;
  readonly language: string;
  readonly children: readonly ReactNode[];
}) {
  const text = useText();
  const labelId = useId();
  const more = count - Math.min(count, SHOWN);
  return (
    <div className={kind === 'error' ? 'field-error' : 'warning-notice'} data-report={kind}>
      <p id={labelId}>{countText(heading, count, language)}</p>
      <ul aria-labelledby={labelId}>
        {children.slice(0, SHOWN)}
        {more > 0 && <li>{countText(text.trMore, more, language)}</li>}
      </ul>
    </div>
  );
}

export function SheetReport({
  check,
  language,
}: {
  readonly check: SheetCheck;
  readonly language: string;
}) {
  const text = useText();
  const at = (entry: SheetText) =>
    entry.row === undefined
      ? fill(text.trAtNoRow, { where: entry.where, key: entry.key })
      : fill(text.trAt, { row: entry.row, where: entry.where, key: entry.key });
  return (
    <div className="sheet-report" data-testid="sheet-report">
      {check.errors.length > 0 && (
        <TextList
          kind="error"
          heading={text.trErrors}
          count={check.errors.length}
          language={language}
        >
          {check.errors.map((issue, index) => (
            <li key={index}>
              {fill(text.xlsIssue, { place: sheetIssuePlace(issue, text), message: '' })}
              {/* The reader's own (English) words, as the command line prints them. */}
              <span lang="en">{issue.message}</span>
            </li>
          ))}
        </TextList>
      )}
      {check.missing.length > 0 && (
        <TextList
          kind="error"
          heading={text.trMissing}
          count={check.missing.length}
          language={language}
        >
          {check.missing.map((entry) => (
            <li key={entry.key}>{at(entry)}</li>
          ))}
        </TextList>
      )}
      {!canSend(check) && (
        <p role="alert" data-blocked="">
          {text.trFixAndRetry}
        </p>
      )}
      {check.fallback > 0 && (
        <p className="notice" data-report="fallback">
          {countText(text.trFallback, check.fallback, language)}
        </p>
      )}
      {check.placeholders.length > 0 && (
        <TextList
          kind="warning"
          heading={text.trPlaceholders}
          count={check.placeholders.length}
          language={language}
        >
          {check.placeholders.map((entry) => (
            <li key={entry.key}>
              {fill(text.trLost, {
                text: at(entry),
                names: entry.lost.map((name) => `{{${name}}}`).join(', '),
              })}
            </li>
          ))}
        </TextList>
      )}
      {check.unchanged.length > 0 && (
        <TextList
          kind="warning"
          heading={text.trUnchanged}
          count={check.unchanged.length}
          language={language}
        >
          {check.unchanged.map((entry) => (
            <li key={entry.key}>{at(entry)}</li>
          ))}
        </TextList>
      )}
      {canSend(check) && (
        <p data-report="ready">
          {fill(text.trReady, {
            translated: countText(text.trTranslated, check.translated, language),
            total: formatNumber(check.total, language),
          })}
        </p>
      )}
    </div>
  );
}

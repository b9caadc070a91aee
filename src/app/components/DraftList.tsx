// The home screen's interviews under way, each saying whom it is with (drafts.ts): title, the
// respondent's sex and age band, when it started, where, and the last question; its "Reprendre"
// button named after it, so that a screen reader tells two drafts apart.
import type { DraftSummary } from '../drafts.ts';
import { useHomeText } from '../home-text.ts';
import type { InterviewRecord } from '../storage/index.ts';
import type { UiLanguage } from '../ui-text.ts';
import { fill, useUiLanguage, useUiText } from '../ui-text.ts';

export interface DraftEntry {
  readonly record: InterviewRecord;
  readonly summary: DraftSummary;
}

function capitalised(text: string, language: UiLanguage): string {
  return text.charAt(0).toLocaleUpperCase(language) + text.slice(1);
}

export function DraftList({
  drafts,
  onOpen,
}: {
  readonly drafts: readonly DraftEntry[];
  readonly onOpen: (interviewId: string) => void;
}) {
  const text = useUiText();
  const words = useHomeText();
  const language = useUiLanguage();
  const started = (summary: DraftSummary) => fill(words.draftStarted, { when: summary.started });
  const names = drafts.map(({ record, summary }) =>
    fill(words.resumeDraft, {
      draft: [
        summary.title,
        ...summary.respondent,
        started(summary),
        ...(record.pickupPoint === undefined
          ? []
          : [fill(words.pickupAt, { place: record.pickupPoint })]),
      ].join(', '),
    }),
  );
  // Two drafts alike in all that (started the same minute, nothing answered yet): the end of the
  // id, its random part (its start is the time, the same for both).
  const named = names.map((name, index) =>
    names.indexOf(name) === names.lastIndexOf(name)
      ? name
      : `${name} (${drafts[index]?.record.id.slice(-6) ?? index})`,
  );

  return (
    <ul className="drafts">
      {drafts.map(({ record, summary }, index) => (
        <li key={record.id} data-draft-id={record.id}>
          <div className="draft-text">
            <p className="draft-title">
              <strong>{summary.title}</strong>
              {record.practice && <span className="tag">{text.practiceMode}</span>}
            </p>
            {summary.respondent.length > 0 && (
              <p data-testid="draft-respondent">{summary.respondent.join(', ')}</p>
            )}
            <p className="small">
              {capitalised(started(summary), language)}
              {record.pickupPoint !== undefined &&
                ` · ${fill(words.pickupAt, { place: record.pickupPoint })}`}
            </p>
            {summary.lastItem !== undefined && (
              <p className="small draft-last">
                {summary.lastItem === 'review'
                  ? capitalised(words.draftAtReview, language)
                  : capitalised(
                      fill(words.draftLastItem, { item: summary.lastItem.label }),
                      language,
                    )}
              </p>
            )}
          </div>
          <button type="button" onClick={() => onOpen(record.id)} aria-label={named[index]}>
            {text.resume}
          </button>
        </li>
      ))}
    </ul>
  );
}

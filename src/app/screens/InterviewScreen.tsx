// The interview: one item per screen with back/next and a progress bar, the language switch (the
// site's languages), alert protocols (with the site's helpline and contacts, and what the
// interviewer did), the review screen, stopping (abandoned before consent, broken off after), and
// the polite ends (screen-out, completed, abandoned, broken off).
import { useEffect, useId, useRef, useState } from 'react';
import type { Answer, InterviewState, Questionnaire } from '../../core/questionnaire/index.ts';
import {
  completion,
  isNonResponse,
  itemOf,
  localize,
  localizedText,
  previousItem,
  relevantItems,
} from '../../core/questionnaire/index.ts';
import type { IncomeBands } from '../../core/protocol/index.ts';
import { withIncomeBands } from '../../core/protocol/index.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
import { AlertProtocol } from '../components/AlertProtocol.tsx';
import { ItemView } from '../components/ItemView.tsx';
import { Localized } from '../components/Localized.tsx';
import { QUOTA_FULL, cellLabel } from '../quota/quota-session.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import type { InterviewStore, SiteCounts } from '../storage/index.ts';
import type { BreakOffReason, InterviewView, UnsavedWork } from '../interview/interview-session.ts';
import { REVIEW, breaksOff, screenIds } from '../interview/interview-session.ts';
import { useInterview } from '../interview/useInterview.ts';
import type { AlertContacts } from '../site-settings.ts';
import { offeredLanguages } from '../site-settings.ts';
import { fill, useUiText } from '../ui-text.ts';

interface InterviewScreenProps {
  readonly store: InterviewStore;
  readonly cache: QuestionnaireCache;
  readonly interviewId: string;
  /** The helpline and contacts the alert protocols give (the site's). */
  readonly alert: AlertContacts;
  /** The site's interview languages, the first the default; undefined: the questionnaire's. */
  readonly siteLanguages?: readonly string[] | undefined;
  readonly plan: QuotaPlan | undefined;
  /** The site's counts from the server, when known (stable between renders). */
  readonly siteCounts: SiteCounts | undefined;
  /** This interview, already loaded (a cold start on its address): shown without a wait. */
  readonly loaded?: InterviewView | undefined;
  /** Called once the interview is on screen (or the screen says why it cannot be). */
  readonly onShown?: (() => void) | undefined;
  readonly onExit: () => void;
}

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  fr: 'Français',
  en: 'English',
  es: 'Español',
  ar: 'العربية',
  de: 'Deutsch',
  pt: 'Português',
  it: 'Italiano',
};

export function InterviewScreen({
  plan,
  siteCounts,
  store,
  cache,
  interviewId,
  alert,
  siteLanguages,
  loaded,
  onShown,
  onExit,
}: InterviewScreenProps) {
  const text = useUiText();
  const controls = useInterview(store, cache, interviewId, { plan, siteCounts, loaded });
  const { view, pendingAlert } = controls;
  const [abandoning, setAbandoning] = useState(false);
  const settled = view !== undefined || controls.error !== undefined;
  useEffect(() => {
    if (settled) onShown?.();
  }, [settled, onShown]);

  if (controls.error !== undefined) {
    return (
      <main className="screen">
        <div role="alert">
          <h1>{text.loadError}</h1>
        </div>
        <button type="button" onClick={onExit}>
          {text.backHome}
        </button>
      </main>
    );
  }
  if (view === undefined) {
    return (
      <main className="screen">
        <h1 aria-live="polite">{text.loading}</h1>
      </main>
    );
  }
  const { record, q, state } = view;
  const language = record.language;
  // An alert's texts are the interviewer's: a language may leave them out, shown then in the
  // default language and marked.
  const alertTitle = localizedText(q, pendingAlert?.title, language);
  const alertProtocol = localizedText(q, pendingAlert?.protocol, language);

  if (
    record.status === 'screened_out' ||
    record.status === 'completed' ||
    record.status === 'abandoned' ||
    record.status === 'broken_off'
  ) {
    const screenOut = q.screenOuts.find(
      (entry) => entry.screenOut.id === record.screenOutId,
    )?.screenOut;
    const quotaFull = record.status === 'screened_out' && record.screenOutId === QUOTA_FULL;
    const title =
      record.status === 'completed'
        ? text.completedTitle
        : record.status === 'abandoned'
          ? text.abandonedTitle
          : record.status === 'broken_off'
            ? text.brokenOffTitle
            : quotaFull
              ? text.quotaFullTitle
              : text.screenedOutTitle;
    return (
      <main className="screen end-screen">
        <EndTitle>{title}</EndTitle>
        {record.status === 'completed' && <p>{text.completedText}</p>}
        {record.status === 'broken_off' && <p>{text.brokenOffText}</p>}
        {quotaFull && (
          <>
            <p>{text.quotaFullText}</p>
            <ul className="quota-cells">
              {(record.quota?.fullCells ?? []).map((cell) => {
                const [table = '', key = ''] = cell.split('/');
                return <li key={cell}>{plan ? cellLabel(plan, table, key, language) : key}</li>;
              })}
            </ul>
          </>
        )}
        {screenOut && (
          <p>
            {text.screenedOutText}{' '}
            <strong>
              <Localized q={q} text={screenOut.label} language={language} />
            </strong>
          </p>
        )}
        <button type="button" className="primary" onClick={onExit}>
          {text.backHome}
        </button>
      </main>
    );
  }

  const position = record.position ?? REVIEW;
  const entry = q.itemById.get(position);
  // Progress over the whole questionnaire in interview order: it only moves forward, where a
  // count of the items relevant now would jump as answers open sections.
  const shown = q.items.filter((candidate) => candidate.item.type !== 'calculate');
  const index = entry === undefined ? 0 : shown.indexOf(entry) + 1;
  const percent = shown.length === 0 ? 0 : Math.round((100 * index) / shown.length);
  const languageId = 'interview-language';

  return (
    <main className={record.practice ? 'screen interview practice' : 'screen interview'}>
      {record.practice && (
        <p className="practice-banner" role="status">
          {text.practiceBanner}
        </p>
      )}
      <header className="interview-header">
        <label htmlFor={languageId}>{text.interviewLanguage}</label>
        <select
          id={languageId}
          value={language}
          onChange={(event) => void controls.setLanguage(event.target.value)}
        >
          {offeredLanguages(q.definition.languages, siteLanguages, language).map((code) => (
            <option key={code} value={code} lang={code}>
              {LANGUAGE_NAMES[code] ?? code}
            </option>
          ))}
        </select>
        <button type="button" className="quiet" onClick={() => setAbandoning(true)}>
          {text.abandon}
        </button>
      </header>
      {entry !== undefined && (
        <div className="progress">
          <progress max={100} value={percent} aria-label={fill(text.progress, { percent })} />
          <span>{fill(text.progress, { percent })}</span>
        </div>
      )}
      {controls.quotaNotice.length > 0 && plan && (
        <p className="quota-notice" role="status">
          {text.quotaNearlyFull}{' '}
          {controls.quotaNotice
            .map((cell) => {
              const [table = '', key = ''] = cell.split('/');
              return cellLabel(plan, table, key, language);
            })
            .join(' ; ')}
        </p>
      )}
      {controls.unsaved !== undefined && (
        <UnsavedNotice
          q={q}
          language={language}
          unsaved={controls.unsaved}
          onRetry={() => void controls.retry()}
        />
      )}
      {abandoning && breaksOff(record) ? (
        <StopDialog<BreakOffReason>
          title={text.breakOffTitle}
          intro={text.breakOffIntro}
          legend={text.breakOffReason}
          reasons={text.breakOffReasons}
          first="respondent_stopped"
          onCancel={() => setAbandoning(false)}
          onConfirm={(reason) => {
            setAbandoning(false);
            void controls.breakOff(reason);
          }}
        />
      ) : abandoning ? (
        <StopDialog<string>
          title={text.abandonTitle}
          legend={text.abandonReason}
          reasons={text.abandonReasons}
          first="respondent_stopped"
          onCancel={() => setAbandoning(false)}
          onConfirm={(reason) => {
            setAbandoning(false);
            void controls.abandon(reason);
          }}
        />
      ) : pendingAlert !== undefined ? (
        <AlertProtocol
          key={pendingAlert.id}
          title={alertTitle.text}
          titleFallback={alertTitle.language === language ? undefined : alertTitle.language}
          protocol={alertProtocol.text}
          protocolFallback={
            alertProtocol.language === language ? undefined : alertProtocol.language
          }
          helpline={alert.helpline}
          contacts={alert.contacts}
          onAcknowledge={(actions) => void controls.acknowledgeAlert(actions)}
        />
      ) : entry === undefined ? (
        <Review
          q={q}
          state={state}
          language={language}
          incomeBands={record.incomeBands}
          onEdit={(id) => void controls.goTo(id)}
          onComplete={() => void controls.complete()}
        />
      ) : (
        <ItemView
          key={entry.item.id}
          q={q}
          state={state}
          // The site's income bands replace the income item's choices, on screen only.
          entry={withIncomeBands(entry, record.incomeBands, language)}
          language={language}
          errors={controls.errors}
          onAnswer={controls.answer}
        />
      )}
      {!abandoning && pendingAlert === undefined && (
        <nav className="interview-nav" aria-label={text.appName}>
          <button
            type="button"
            onClick={() => void controls.back()}
            disabled={entry !== undefined && previousItem(q, state, entry.item.id).kind === 'start'}
          >
            {text.back}
          </button>
          {entry !== undefined && (
            <button type="button" className="primary" onClick={() => void controls.next()}>
              {text.next}
            </button>
          )}
        </nav>
      )}
    </main>
  );
}

/** The label of an item, or of a grid row with its grid's ("Grid — row"). */
function answerLabel(q: Questionnaire, id: string, language: string): string {
  const entry = itemOf(q, id);
  if (entry === undefined) return id;
  const own = localize(q, entry.item.label, language);
  if (entry.item.id === id || entry.item.type !== 'grid') return own;
  const row = entry.item.rows.find((candidate) => candidate.id === id);
  return row === undefined ? own : `${own} — ${localize(q, row.label, language)}`;
}

/**
 * What failed to be stored, said plainly: the tablet is full (and what to do), or saving failed;
 * what is not stored yet; that the interview waits for it; and a button to try again now (the
 * session also retries by itself).
 */
function UnsavedNotice({
  q,
  language,
  unsaved,
  onRetry,
}: {
  readonly q: Questionnaire;
  readonly language: string;
  readonly unsaved: UnsavedWork;
  readonly onRetry: () => void;
}) {
  const text = useUiText();
  const pending = [
    ...unsaved.answers.map((id) => answerLabel(q, id, language)),
    ...(unsaved.progress && !unsaved.end ? [text.unsavedProgress] : []),
    ...(unsaved.end ? [text.unsavedEnd] : []),
  ];
  return (
    <div
      className="field-error unsaved-notice"
      role="alert"
      data-testid="unsaved-notice"
      data-storage-full={unsaved.storageFull}
    >
      <p>
        <strong>{unsaved.storageFull ? text.storageFull : text.saveFailed}</strong>
      </p>
      <p>{text.unsavedList}</p>
      <ul>
        {pending.map((label, index) => (
          <li key={index}>{label}</li>
        ))}
      </ul>
      {unsaved.refused && <p>{text.unsavedBlocks}</p>}
      <p>{unsaved.storageFull ? text.storageFullAdvice : text.saveFailedAdvice}</p>
      <button type="button" onClick={onRetry} disabled={unsaved.retrying}>
        {unsaved.retrying ? text.saveRetrying : text.saveRetry}
      </button>
    </div>
  );
}

/** The end screen's title takes the focus: the button that led here is gone. */
function EndTitle({ children }: { readonly children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/**
 * Stopping the interview: why, among `reasons` (in their order, `first` chosen at first). Before
 * consent it is abandoned and stays on the tablet; after, it is broken off and sent (`intro`).
 */
function StopDialog<R extends string>({
  title,
  intro,
  legend,
  reasons,
  first,
  onCancel,
  onConfirm,
}: {
  readonly title: string;
  readonly intro?: string;
  readonly legend: string;
  readonly reasons: Readonly<Record<R, string>>;
  readonly first: R;
  readonly onCancel: () => void;
  readonly onConfirm: (reason: R) => void;
}) {
  const text = useUiText();
  const [reason, setReason] = useState<R>(first);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  useEffect(() => titleRef.current?.focus(), []);
  return (
    <section className="dialog" role="dialog" aria-labelledby={titleId}>
      <h1 id={titleId} ref={titleRef} tabIndex={-1}>
        {title}
      </h1>
      {intro !== undefined && <p>{intro}</p>}
      <fieldset>
        <legend>{legend}</legend>
        {(Object.entries(reasons) as [R, string][]).map(([code, label]) => (
          <label key={code} className="choice">
            <input
              type="radio"
              name="stop-reason"
              value={code}
              checked={reason === code}
              onChange={() => setReason(code)}
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          {text.cancel}
        </button>
        <button type="button" className="danger" onClick={() => onConfirm(reason)}>
          {text.confirmAbandon}
        </button>
      </div>
    </section>
  );
}

function describe(
  q: Questionnaire,
  id: string,
  answer: Answer | undefined,
  language: string,
  dk: string,
  rf: string,
  none: string,
  incomeBands: IncomeBands | undefined,
): string {
  if (answer === undefined) return none;
  if (isNonResponse(answer)) return answer.nonResponse === 'dont_know' ? dk : rf;
  const entry = itemOf(q, id);
  const choices = entry && withIncomeBands(entry, incomeBands, language).choices;
  const label = (code: string) =>
    localize(q, choices?.find((choice) => choice.code === code)?.label, language) || code;
  if (Array.isArray(answer)) return answer.map(label).join(', ');
  if (typeof answer === 'string' && choices !== undefined) return label(answer);
  return String(answer);
}

function Review({
  q,
  state,
  language,
  incomeBands,
  onEdit,
  onComplete,
}: {
  readonly q: Questionnaire;
  readonly state: InterviewState;
  readonly language: string;
  readonly incomeBands: IncomeBands | undefined;
  readonly onEdit: (id: string) => void;
  readonly onComplete: () => void;
}) {
  const text = useUiText();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const check = completion(q, state, language);
  const itemIdOf = (id: string) => itemOf(q, id)?.item.id ?? id;
  return (
    <section className="review" aria-labelledby="review-title">
      <h1 id="review-title" ref={headingRef} tabIndex={-1}>
        {text.review}
      </h1>
      <p>{text.reviewIntro}</p>
      {!check.canComplete && (
        <div className="field-error" role="alert">
          <p>{text.cannotComplete}</p>
          <ul>
            {check.problems.map((problem) => (
              <li key={problem.id}>
                <button type="button" className="link" onClick={() => onEdit(itemIdOf(problem.id))}>
                  {localize(q, q.itemById.get(itemIdOf(problem.id))?.item.label, language)}
                </button>{' '}
                — {problem.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ol className="review-list">
        {relevantItems(q, state)
          .filter((entry) => entry.item.type !== 'note')
          .map((entry) => (
            <li key={entry.item.id}>
              <button type="button" className="link" onClick={() => onEdit(entry.item.id)}>
                {localize(q, entry.item.label, language)}
              </button>
              <span className="review-answer">
                {screenIds(q, state, entry.item.id)
                  .map((id) =>
                    describe(
                      q,
                      id,
                      state.answers.get(id),
                      language,
                      text.dontKnow,
                      text.refused,
                      text.notAnswered,
                      incomeBands,
                    ),
                  )
                  .join(' · ')}
              </span>
            </li>
          ))}
      </ol>
      <button type="button" className="primary" disabled={!check.canComplete} onClick={onComplete}>
        {text.complete}
      </button>
    </section>
  );
}

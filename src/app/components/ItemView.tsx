// One screen of the interview: the question as read aloud (the screen's one level-one heading),
// the interviewer's instruction apart, native inputs with labels, "don't know" / "refused"
// reachable but not dominant, and grids as compact rows under a sticky header of their choices.
import type { CSSProperties } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import type {
  Answer,
  Choice,
  GridItem,
  InterviewState,
  ItemEntry,
  Questionnaire,
  Validation,
} from '../../core/questionnaire/index.ts';
import {
  DONT_KNOW,
  REFUSED,
  isChoiceOffered,
  isNonResponse,
  isRelevant,
  localize,
} from '../../core/questionnaire/index.ts';
import { bringRowIntoView, nextUnansweredRow } from '../interview/grid-scroll.ts';
import { useUiText } from '../ui-text.ts';
import { Localized } from './Localized.tsx';
import { TappedCodes, toggledSelection } from './selection.ts';

interface ItemViewProps {
  readonly q: Questionnaire;
  readonly state: InterviewState;
  readonly entry: ItemEntry;
  readonly language: string;
  readonly errors: ReadonlyMap<string, string>;
  readonly onAnswer: (
    id: string,
    value: Answer | undefined,
    options?: { quiet?: boolean },
  ) => Promise<Validation>;
}

/**
 * The choices offered now: a choice whose `relevant` (a choice filter) fails on the earlier
 * answers is not shown. A code of the answer no longer offered is dropped from what is shown
 * selected, so the next tap replaces it.
 */
function offeredChoices(
  q: Questionnaire,
  state: InterviewState,
  id: string,
  choices: readonly Choice[],
): readonly Choice[] {
  const offered = choices.filter((choice) => isChoiceOffered(q, state, id, choice.code));
  return offered.length === choices.length ? choices : offered;
}

function offersNonResponse(entry: ItemEntry): boolean {
  const item = entry.item;
  return item.type !== 'note' && item.type !== 'calculate' && item.nonResponse !== false;
}

export function ItemView({ q, state, entry, language, errors, onAnswer }: ItemViewProps) {
  const text = useUiText();
  const item = entry.item;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const questionId = useId();
  const label = localize(q, item.label, language);
  const hint = localize(q, item.hint, language);

  // Focus moves to the new question, so screen readers and keyboards follow. The question is the
  // screen's h1: what a screen reader says first, and what its "next heading" finds; the section's
  // title, which changes only every few screens, is a line of text above it.
  useEffect(() => {
    headingRef.current?.focus();
  }, [item.id]);

  const isNote = item.type === 'note';
  const readAloud = !isNote || item.style !== 'instruction';
  return (
    <section
      className={item.type === 'grid' ? 'item grid-item' : 'item'}
      aria-labelledby={questionId}
      data-item-id={item.id}
    >
      <p className="item-section">
        <Localized q={q} text={entry.section.title} language={language} />
      </p>
      <h1
        id={questionId}
        ref={headingRef}
        tabIndex={-1}
        className={[
          'question',
          readAloud ? '' : 'instruction-text',
          isNote && label.length > 160 ? 'long' : '',
        ].join(' ')}
      >
        {isNote && <span className="tag">{readAloud ? text.readAloud : text.instruction}</span>}
        {readAloud ? label : <Localized q={q} text={item.label} language={language} />}
      </h1>
      {hint !== '' && (
        <p className="hint" role="note">
          <span className="tag">{text.instruction}</span>{' '}
          <Localized q={q} text={item.hint} language={language} />
        </p>
      )}
      {item.type === 'grid' ? (
        <GridInput grid={item} {...{ q, state, entry, language, errors, onAnswer }} />
      ) : (
        !isNote && (
          <>
            <AnswerInput
              q={q}
              entry={entry}
              id={item.id}
              labelledBy={questionId}
              language={language}
              answer={state.answers.get(item.id)}
              state={state}
              onAnswer={onAnswer}
            />
            {offersNonResponse(entry) && (
              <NonResponseButtons
                answer={state.answers.get(item.id)}
                onAnswer={(value) => onAnswer(item.id, value)}
              />
            )}
            <FieldError message={errors.get(item.id)} />
          </>
        )
      )}
    </section>
  );
}

function FieldError({ message }: { readonly message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p className="field-error" role="alert">
      {message}
    </p>
  );
}

function NonResponseButtons({
  answer,
  onAnswer,
  rowLabel,
  cells = false,
}: {
  readonly answer: Answer | undefined;
  readonly onAnswer: (value: Answer | undefined) => void;
  readonly rowLabel?: string;
  /** A grid's row under its header: each button a cell of the header's column, its text hidden. */
  readonly cells?: boolean;
}) {
  const text = useUiText();
  const current = isNonResponse(answer) ? answer.nonResponse : undefined;
  const suffix = rowLabel === undefined ? '' : ` — ${rowLabel}`;
  const shown = (words: string) =>
    cells ? <span className="visually-hidden">{words}</span> : words;
  return (
    <div className="non-response" role="group" aria-label={`${text.nonResponseGroup}${suffix}`}>
      <button
        type="button"
        aria-pressed={current === 'dont_know'}
        aria-label={`${text.dontKnow}${suffix}`}
        onClick={() => onAnswer(current === 'dont_know' ? undefined : DONT_KNOW)}
      >
        {shown(text.dontKnow)}
      </button>
      <button
        type="button"
        aria-pressed={current === 'refused'}
        aria-label={`${text.refused}${suffix}`}
        onClick={() => onAnswer(current === 'refused' ? undefined : REFUSED)}
      >
        {shown(text.refused)}
      </button>
    </div>
  );
}

interface AnswerInputProps {
  readonly q: Questionnaire;
  readonly entry: ItemEntry;
  readonly id: string;
  readonly labelledBy: string;
  readonly language: string;
  readonly answer: Answer | undefined;
  /** The interview's state the answer was read from. */
  readonly state: InterviewState;
  readonly onAnswer: ItemViewProps['onAnswer'];
}

function AnswerInput({
  q,
  entry,
  id,
  labelledBy,
  language,
  answer,
  state,
  onAnswer,
}: AnswerInputProps) {
  const item = entry.item;
  const choices = offeredChoices(q, state, id, entry.choices ?? []);
  const shownCodes = (codes: readonly string[]) =>
    codes.filter((code) => choices.some((choice) => choice.code === code));
  switch (item.type) {
    case 'single':
      return (
        <Choices
          name={id}
          labelledBy={labelledBy}
          choices={choices}
          q={q}
          language={language}
          selected={typeof answer === 'string' ? shownCodes([answer]) : []}
          from={state}
          multiple={false}
          onChange={(codes) => onAnswer(id, codes[0])}
        />
      );
    case 'multiple':
      return (
        <Choices
          name={id}
          labelledBy={labelledBy}
          choices={choices}
          q={q}
          language={language}
          selected={Array.isArray(answer) ? shownCodes(answer) : []}
          from={state}
          multiple
          exclusive={item.exclusive}
          onChange={(codes) => onAnswer(id, codes.length === 0 ? undefined : codes)}
        />
      );
    case 'integer':
    case 'decimal':
    case 'text':
    case 'date':
      return (
        <TypedInput
          id={id}
          labelledBy={labelledBy}
          type={item.type}
          multiline={item.type === 'text' && item.multiline === true}
          maxLength={item.type === 'text' ? item.maxLength : undefined}
          unit={'unit' in item ? localize(q, item.unit, language) : ''}
          answer={answer}
          onAnswer={onAnswer}
        />
      );
    default:
      return null;
  }
}

function ignore(): void {}

function Choices({
  name,
  labelledBy,
  choices,
  q,
  language,
  selected,
  from,
  multiple,
  exclusive,
  onChange,
  compact = false,
  cells = false,
  onTap,
}: {
  readonly name: string;
  readonly labelledBy: string;
  readonly choices: readonly Choice[];
  readonly q: Questionnaire;
  readonly language: string;
  readonly selected: readonly string[];
  /** What `selected` was read from (the interview's state): a new one replaces the codes tapped. */
  readonly from: unknown;
  readonly multiple: boolean;
  readonly exclusive?: readonly string[] | undefined;
  /** Saves the codes now selected (none: the answer cleared). */
  readonly onChange: (codes: readonly string[]) => Promise<Validation>;
  readonly compact?: boolean;
  /** A grid's row under its header: each choice a cell of the header's column, its text hidden. */
  readonly cells?: boolean;
  /** Called after each tap's answer is given (a grid brings its next row into view). */
  readonly onTap?: () => void;
}) {
  // A tap's write goes first, and the screen follows once it commits, or SHOW_AT_LATEST_MS after
  // the tap if it is slower (useInterview.showLatest), not in the tap's handler: on two cores,
  // rendering then would hold the commit back (bench figure 4). Until then React keeps the inputs
  // as `selected` says (a frame shows them so only when the write is slower than the wait for that
  // frame), and further taps build on the codes tapped.
  const [tapped] = useState(() => new TappedCodes());
  const current = () => tapped.base(from, selected);
  const choose = (codes: readonly string[]) => {
    const settled = tapped.tap(from, codes);
    void onChange(codes).then(
      (result) => settled(!result.valid),
      () => settled(false),
    );
  };
  return (
    <div
      className={cells ? 'choices cells' : compact ? 'choices compact' : 'choices'}
      role={multiple ? 'group' : 'radiogroup'}
      aria-labelledby={labelledBy}
    >
      {choices.map((choice) => {
        const checked = selected.includes(choice.code);
        return (
          <label key={choice.code} className={checked ? 'choice checked' : 'choice'}>
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={name}
              value={choice.code}
              checked={checked}
              // A tap is a click (React's own onChange for these inputs listens to clicks too): a
              // radio is put back as `selected` says until the screen follows, so a tap on it may
              // change nothing on the page, and must still count. A tap on the choice already
              // ticked goes to the session too: it writes nothing, unless that answer's write
              // failed, which it then makes again.
              onClick={() => {
                const codes = current();
                choose(
                  multiple
                    ? toggledSelection(
                        choices,
                        codes,
                        choice.code,
                        !codes.includes(choice.code),
                        exclusive,
                      )
                    : [choice.code],
                );
                onTap?.();
              }}
              // Controlled by `checked`; the click above does the work.
              onChange={ignore}
            />
            <span className={cells ? 'visually-hidden' : undefined}>
              {localize(q, choice.label, language)}
            </span>
          </label>
        );
      })}
    </div>
  );
}

function displayed(answer: Answer | undefined): string {
  if (answer === undefined || isNonResponse(answer) || Array.isArray(answer)) return '';
  return String(answer);
}

function sameValue(typed: string, answer: Answer | undefined): boolean {
  if (typeof answer === 'number') return Number(typed.trim().replace(',', '.')) === answer;
  return typed === displayed(answer) || typed.trim() === displayed(answer);
}

/** Number, text and date inputs: saved as the interviewer types (each valid value) and on leaving. */
function TypedInput({
  id,
  labelledBy,
  type,
  multiline,
  maxLength,
  unit,
  answer,
  onAnswer,
}: {
  readonly id: string;
  readonly labelledBy: string;
  readonly type: 'integer' | 'decimal' | 'text' | 'date';
  readonly multiline: boolean;
  readonly maxLength: number | undefined;
  readonly unit: string;
  readonly answer: Answer | undefined;
  readonly onAnswer: ItemViewProps['onAnswer'];
}) {
  const [draft, setDraft] = useState(displayed(answer));
  // Follow the stored answer (e.g. "don't know" pressed) without rewriting what is being typed
  // ("3," stays "3," while 3 is stored).
  useEffect(
    () => setDraft((typed) => (sameValue(typed, answer) ? typed : displayed(answer))),
    [answer],
  );

  // While typing, each valid value is saved quietly; leaving the field shows what is wrong.
  const commit = (raw: string, quiet: boolean) => {
    const options = { quiet };
    const trimmed = raw.trim();
    if (trimmed === '') {
      return void onAnswer(id, isNonResponse(answer) ? answer : undefined, options);
    }
    if (type === 'integer' || type === 'decimal') {
      const value = Number(trimmed.replace(',', '.'));
      return void onAnswer(id, Number.isNaN(value) ? trimmed : value, options);
    }
    return void onAnswer(id, type === 'text' ? raw : trimmed, options);
  };
  const common = {
    id: `input-${id}`,
    'aria-labelledby': labelledBy,
    value: draft,
    onBlur: () => commit(draft, false),
  };
  if (multiline) {
    return (
      <textarea
        {...common}
        rows={5}
        maxLength={maxLength}
        onChange={(event) => {
          setDraft(event.target.value);
          commit(event.target.value, true);
        }}
      />
    );
  }
  return (
    <div className="typed-input">
      <input
        {...common}
        type={type === 'date' ? 'date' : 'text'}
        inputMode={type === 'integer' ? 'numeric' : type === 'decimal' ? 'decimal' : undefined}
        maxLength={maxLength}
        autoComplete="off"
        onChange={(event) => {
          setDraft(event.target.value);
          commit(event.target.value, true);
        }}
      />
      {unit !== '' && <span className="unit">{unit}</span>}
    </div>
  );
}

/** Up to this many choices, a grid shows them once as columns; more (long lists) in each row. */
const MAX_COLUMNS = 5;

/**
 * A grid: with few choices, a header of the choices (and "don't know", "refused") that sticks to
 * the top of the screen, and each row one line of cells under it (on a phone, the row's label on
 * a line of its own above them); with many, each row its label and its choices. Each row is a
 * radio group named by its label, each radio by its choice. After a row's answer, the next row
 * without one comes into view.
 */
function GridInput({
  q,
  state,
  entry,
  grid,
  language,
  errors,
  onAnswer,
}: ItemViewProps & { readonly grid: GridItem }) {
  const text = useUiText();
  const gridRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  // Rows answered since the screen opened: the state shown may not have their answers yet.
  const [answeredHere] = useState(() => new Set<string>());
  const multiple = grid.select === 'multiple';
  const choices = offeredChoices(q, state, grid.id, entry.choices ?? []);
  const withNonResponse = offersNonResponse(entry);
  const columns = choices.length <= MAX_COLUMNS;
  const rows = grid.rows.filter((row) => isRelevant(q, state, row.id));

  const answered = (rowId: string) => {
    answeredHere.add(rowId);
    // A multiple choice may take several taps in its row: it stays where it is.
    if (multiple) return;
    const next = nextUnansweredRow(
      rows.map((row) => row.id),
      rowId,
      (id) => answeredHere.has(id) || state.answers.get(id) !== undefined,
    );
    const container = gridRef.current;
    if (next === undefined || container === null) return;
    const rowElement = (id: string) =>
      container.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(id)}"]`) ?? undefined;
    const target = rowElement(next);
    if (target === undefined) return;
    bringRowIntoView(
      target,
      rowElement(rowId),
      headRef.current,
      document.querySelector<HTMLElement>('.interview-nav'),
    );
  };

  // The number of cells a row has, for the CSS grid that lines them up under the header.
  const layout = {
    '--grid-choices': String(choices.length),
    '--grid-cells': String(choices.length + (withNonResponse ? 2 : 0)),
  } as CSSProperties;
  return (
    <div
      ref={gridRef}
      className={
        !columns
          ? 'grid'
          : withNonResponse
            ? 'grid grid-columns with-non-response'
            : 'grid grid-columns'
      }
      style={columns ? layout : undefined}
    >
      {columns && (
        // The choices' names for the eye; each radio and button carries its own for the ear.
        <div ref={headRef} className="grid-head" aria-hidden="true" data-testid="grid-head">
          <span className="grid-head-corner" />
          {choices.map((choice) => (
            <span key={choice.code}>{localize(q, choice.label, language)}</span>
          ))}
          {withNonResponse && (
            <>
              <span className="grid-head-non-response">{text.dontKnow}</span>
              <span className="grid-head-non-response">{text.refused}</span>
            </>
          )}
        </div>
      )}
      {rows.map((row) => {
        const answer = state.answers.get(row.id);
        const rowLabel = localize(q, row.label, language);
        const rowLabelId = `row-${row.id}`;
        return (
          <div key={row.id} className="grid-row" data-row-id={row.id}>
            <p id={rowLabelId} className="grid-row-label">
              {rowLabel}
            </p>
            <Choices
              name={row.id}
              labelledBy={rowLabelId}
              choices={choices}
              q={q}
              language={language}
              selected={Array.isArray(answer) ? answer : typeof answer === 'string' ? [answer] : []}
              from={state}
              multiple={multiple}
              compact={!columns}
              cells={columns}
              onTap={() => answered(row.id)}
              onChange={(codes) =>
                onAnswer(row.id, multiple ? (codes.length === 0 ? undefined : codes) : codes[0])
              }
            />
            {withNonResponse && (
              <NonResponseButtons
                answer={answer}
                rowLabel={rowLabel}
                cells={columns}
                onAnswer={(value) => {
                  void onAnswer(row.id, value);
                  if (value !== undefined) answered(row.id);
                }}
              />
            )}
            <FieldError message={errors.get(row.id)} />
          </div>
        );
      })}
    </div>
  );
}

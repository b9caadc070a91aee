// The pick-up point (lieu d'enquête) asked when an interview starts: the site's places as large
// choices, the last one used selected already (one tap: "Commencer l'entretien"), and "Autre
// lieu…" typed in. A tablet without the site's list (never synced, or set up without a server)
// asks for the place as free text only.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { MAX_PICKUP_POINT_LENGTH, normalisePickupPoint } from '../../core/protocol/index.ts';
import { pickupChoices } from '../interview/pickup-points.ts';
import { useHomeText } from '../home-text.ts';
import { useUiText } from '../ui-text.ts';

type Selection = { readonly kind: 'place'; readonly label: string } | { readonly kind: 'other' };

export function PickupPointScreen({
  sitePoints,
  last,
  practice,
  onStart,
  onCancel,
}: {
  /** The site's list as the last sync brought it; undefined when the tablet never received one. */
  readonly sitePoints: readonly string[] | undefined;
  /** The place of the last interview started on this tablet. */
  readonly last: string | undefined;
  readonly practice: boolean;
  /** Creates the interview at this place (and leaves this screen). */
  readonly onStart: (pickupPoint: string) => Promise<void>;
  readonly onCancel: () => void;
}) {
  const text = useUiText();
  const words = useHomeText();
  // Recomputed if a sync run brings the site's list while this screen is open.
  const { options, preselected } = useMemo(
    () => pickupChoices(sitePoints, last),
    [sitePoints, last],
  );
  const freeTextOnly = options.length === 0;
  /** What the interviewer tapped here, if anything. */
  const [tapped, setTapped] = useState<Selection>();
  const [typed, setTyped] = useState('');
  // A place typed before the list arrived stays chosen.
  const selection: Selection | undefined =
    tapped?.kind === 'other' || (tapped !== undefined && options.includes(tapped.label))
      ? tapped
      : freeTextOnly || typed !== ''
        ? { kind: 'other' }
        : preselected !== undefined
          ? { kind: 'place', label: preselected }
          : undefined;
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const typedRef = useRef<HTMLInputElement>(null);
  const typedId = useId();
  const problemId = useId();

  // A new screen: the focus goes to its title, so screen readers and keyboards follow.
  useEffect(() => headingRef.current?.focus(), []);

  const chooseOther = () => {
    setTapped({ kind: 'other' });
    setProblem(undefined);
    // The keyboard comes up at once: the interviewer chose to type.
    requestAnimationFrame(() => typedRef.current?.focus());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const place =
      selection?.kind === 'place'
        ? selection.label
        : selection?.kind === 'other'
          ? normalisePickupPoint(typed)
          : undefined;
    if (place === undefined) {
      setProblem(selection === undefined ? words.pickupMissing : words.pickupMissingText);
      if (selection?.kind === 'other') typedRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await onStart(place);
    } catch {
      setBusy(false);
      setProblem(words.pickupStartFailed);
    }
  };

  const typedField = (
    <div className="field">
      <label htmlFor={typedId}>{words.pickupTyped}</label>
      <input
        id={typedId}
        ref={typedRef}
        type="text"
        autoComplete="off"
        enterKeyHint="go"
        maxLength={MAX_PICKUP_POINT_LENGTH}
        value={typed}
        aria-invalid={problem !== undefined}
        aria-describedby={problem === undefined ? undefined : problemId}
        onChange={(event) => {
          setTyped(event.target.value);
          setProblem(undefined);
        }}
      />
    </div>
  );

  return (
    <main className={practice ? 'screen pickup practice' : 'screen pickup'}>
      <h1 ref={headingRef} tabIndex={-1}>
        {words.pickupTitle}
      </h1>
      {practice && (
        <p className="practice-banner" role="status">
          {text.practiceBanner}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        {freeTextOnly ? (
          <>
            <p>{words.pickupNoList}</p>
            {typedField}
          </>
        ) : (
          <fieldset
            className="pickup-fieldset"
            aria-describedby={problem === undefined ? undefined : problemId}
          >
            <legend>{words.pickupQuestion}</legend>
            <div className="choices pickup-choices">
              {options.map((label) => {
                const checked = selection?.kind === 'place' && selection.label === label;
                return (
                  <label key={label} className={checked ? 'choice checked' : 'choice'}>
                    <input
                      type="radio"
                      name="pickup-point"
                      value={label}
                      checked={checked}
                      onChange={() => {
                        setTapped({ kind: 'place', label });
                        setProblem(undefined);
                      }}
                    />
                    <span>{label}</span>
                    {label === preselected && <span className="tag">{words.pickupLast}</span>}
                  </label>
                );
              })}
              <label className={selection?.kind === 'other' ? 'choice checked' : 'choice'}>
                <input
                  type="radio"
                  name="pickup-point"
                  value=""
                  checked={selection?.kind === 'other'}
                  onChange={chooseOther}
                />
                <span>{words.pickupOther}</span>
              </label>
            </div>
            {selection?.kind === 'other' && typedField}
          </fieldset>
        )}
        {problem !== undefined && (
          <p id={problemId} className="field-error" role="alert">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            {text.cancel}
          </button>
          <button type="submit" className="primary big" disabled={busy}>
            {words.pickupStart}
          </button>
        </div>
      </form>
    </main>
  );
}

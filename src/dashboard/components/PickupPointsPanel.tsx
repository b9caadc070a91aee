// The site's pick-up points (lieux d'enquête): the list the tablets offer when an interview
// starts. A coordinator adds and removes places; each change sends the whole list
// (PUT /sites/:site/pickup-points) and the tablets receive it at their next sync.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { MAX_PICKUP_POINTS, MAX_PICKUP_POINT_LENGTH } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { refusalWords } from '../api.ts';
import { addPickupPoint, removePickupPoint } from '../pickup-points.ts';
import { fill, useText } from '../text.ts';

export function PickupPointsPanel({
  api,
  site,
  points,
  canManage,
  explain,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  /** The list as the server last sent it. */
  readonly points: readonly string[];
  /** Coordinators and admins edit; analysts read. */
  readonly canManage: boolean;
  readonly explain: (failure: unknown) => string;
}) {
  const text = useText();
  const [list, setList] = useState(points);
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const problemId = useId();
  const captionId = useId();

  const save = async (next: readonly string[]): Promise<boolean> => {
    setBusy(true);
    setProblem(undefined);
    setSaved(false);
    try {
      await api.setPickupPoints(site, next);
      setList(next);
      setSaved(true);
      return true;
    } catch (failure) {
      setProblem(refusalWords(failure, text.pickupRefused, explain));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = addPickupPoint(list, typed);
    if ('problem' in result) {
      setProblem(
        result.problem === 'empty'
          ? text.pickupEmpty
          : result.problem === 'too_long'
            ? fill(text.pickupTooLong, { max: MAX_PICKUP_POINT_LENGTH })
            : result.problem === 'too_many'
              ? fill(text.pickupTooMany, { max: MAX_PICKUP_POINTS })
              : fill(text.pickupDuplicate, { place: result.place }),
      );
      return;
    }
    if (await save(result.list)) setTyped('');
  };

  return (
    <div className="pickup-panel">
      <p>{text.pickupIntro}</p>
      {list.length === 0 ? (
        <p>{text.pickupNone}</p>
      ) : (
        <>
          <p id={captionId} className="small">
            {fill(text.pickupCaption, { count: list.length, max: MAX_PICKUP_POINTS })}
          </p>
          <ul className="pickup-list" aria-labelledby={captionId} data-testid="pickup-points">
            {list.map((place) => (
              <li key={place}>
                <span>{place}</span>
                {canManage && (
                  <button
                    type="button"
                    className="quiet"
                    disabled={busy}
                    aria-label={fill(text.pickupRemoveLabel, { place })}
                    onClick={() => void save(removePickupPoint(list, place))}
                  >
                    {text.pickupRemove}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {canManage && (
        <form className="pickup-add" onSubmit={(event) => void add(event)} noValidate>
          <div className="field">
            <label htmlFor={inputId}>{text.pickupNew}</label>
            <input
              id={inputId}
              type="text"
              autoComplete="off"
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
          <button type="submit" className="primary" disabled={busy}>
            {text.pickupAdd}
          </button>
        </form>
      )}
      {problem !== undefined && (
        <p id={problemId} className="field-error" role="alert">
          {problem}
        </p>
      )}
      {saved && (
        <p className="notice" role="status">
          {text.pickupSaved}
        </p>
      )}
    </div>
  );
}

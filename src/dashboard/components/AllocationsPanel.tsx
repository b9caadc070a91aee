// Sharing the plan's quotas among interviewers from the dashboard: the coordinator ticks the
// interviewers (those seen in the site's interviews, those already sharing, codes typed in), gives
// each a weight (equal by default) and saves the new split (PUT /sites/:site/allocations).
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { QuotaPlan } from '../../core/quota/index.ts';
import type { Allocation } from '../../core/quota/index.ts';
import { INTERVIEWER_CODE, splitTargets, typedCodes } from '../allocations.ts';
import type { DashboardApi } from '../api.ts';
import { refusalWords } from '../api.ts';
import { explainWithPlan } from '../refusals.ts';
import { typedNumber } from '../site-settings.ts';
import { fill, useText } from '../text.ts';

/** An interviewer's share in all: their shares of the first table's cells. */
function totalOf(plan: QuotaPlan, allocation: Allocation | undefined): number | undefined {
  const first = plan.tables[0];
  if (allocation === undefined || first === undefined) return undefined;
  return Object.values(allocation.targets[first.id] ?? {}).reduce((sum, n) => sum + n, 0);
}

export function AllocationsPanel({
  api,
  site,
  plan,
  interviewers,
  language,
  explain,
  onSaved,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  readonly plan: QuotaPlan;
  /** Interviewer codes seen in the site's interviews. */
  readonly interviewers: readonly string[];
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  readonly onSaved: () => void;
}) {
  const text = useText();
  const id = useId();
  const holders = (plan.allocations ?? []).map((entry) => entry.interviewer);
  const [added, setAdded] = useState<readonly string[]>([]);
  const [chosen, setChosen] = useState<readonly string[]>(() =>
    holders.length > 0 ? holders : [...interviewers],
  );
  const [weights, setWeights] = useState<Readonly<Record<string, string>>>({});
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string>();
  const [refusal, setRefusal] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  const everyone = [...new Set([...holders, ...interviewers, ...added])];
  const weightOf = (code: string) => typedNumber(weights[code] ?? '1');
  const badWeight = chosen.find((code) => {
    const weight = weightOf(code);
    return weight === undefined || weight < 0;
  });
  const split =
    badWeight === undefined
      ? splitTargets(
          plan,
          everyone
            .filter((code) => chosen.includes(code))
            .map((code) => ({ interviewer: code, weight: weightOf(code) ?? 0 })),
        )
      : undefined;

  const edited = () => {
    setDone(undefined);
    setRefusal(undefined);
    setProblem(undefined);
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    edited();
    const codes = typedCodes(typed);
    const wrong = codes.find((code) => !INTERVIEWER_CODE.test(code));
    if (wrong !== undefined) {
      setProblem(fill(text.allocCodeInvalid, { code: wrong }));
      return;
    }
    setAdded((current) => [...new Set([...current, ...codes])]);
    setChosen((current) => [...new Set([...current, ...codes])]);
    setTyped('');
  };

  const send = async (allocations: readonly Allocation[], words: string) => {
    setBusy(true);
    edited();
    try {
      await api.setAllocations(site, allocations);
      setDone(words);
      onSaved();
    } catch (failure) {
      setRefusal(
        refusalWords(
          failure,
          text.allocRefused,
          explainWithPlan(explain, text, { language, plan }),
        ),
      );
    } finally {
      setBusy(false);
    }
  };

  const save = () => {
    if (badWeight !== undefined) {
      setProblem(fill(text.allocWeightInvalid, { code: badWeight }));
      return;
    }
    if (split === undefined) {
      setProblem(text.allocNone);
      return;
    }
    void send(split, text.allocSaved);
  };

  return (
    <div className="allocations-panel">
      <p>{text.allocIntro}</p>
      {everyone.length === 0 ? (
        <p>{text.allocNobody}</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="data" data-table="allocation-split">
            <caption>{text.allocCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{text.interviewer}</th>
                <th scope="col">{text.allocChoose}</th>
                <th scope="col">{text.allocWeight}</th>
                <th scope="col">{text.allocCurrent}</th>
                <th scope="col">{text.allocNew}</th>
              </tr>
            </thead>
            <tbody>
              {everyone.map((code) => {
                const ticked = chosen.includes(code);
                const now = totalOf(
                  plan,
                  plan.allocations?.find((entry) => entry.interviewer === code),
                );
                const next = totalOf(
                  plan,
                  split?.find((entry) => entry.interviewer === code),
                );
                return (
                  <tr key={code} data-interviewer={code}>
                    <th scope="row">{code}</th>
                    <td>
                      <input
                        type="checkbox"
                        checked={ticked}
                        aria-label={fill(text.allocChooseLabel, { code })}
                        onChange={(event) => {
                          edited();
                          setChosen((current) =>
                            event.target.checked
                              ? [...current, code]
                              : current.filter((entry) => entry !== code),
                          );
                        }}
                      />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        size={4}
                        disabled={!ticked}
                        aria-label={fill(text.allocWeightLabel, { code })}
                        value={weights[code] ?? '1'}
                        onChange={(event) => {
                          edited();
                          setWeights((current) => ({ ...current, [code]: event.target.value }));
                        }}
                      />
                    </td>
                    <td className="number">{now ?? text.noShare}</td>
                    <td className="number">{ticked ? (next ?? text.noShare) : text.noShare}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <form className="pickup-add" onSubmit={add} noValidate>
        <div className="field">
          <label htmlFor={`${id}-add`}>{text.allocAdd}</label>
          <input
            id={`${id}-add`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
        <button type="submit">{text.allocAddButton}</button>
      </form>
      <p className="small">{text.allocReplaceHelp}</p>
      {problem !== undefined && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {refusal !== undefined && (
        <p className="field-error" role="alert">
          {refusal}
        </p>
      )}
      {done !== undefined && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      <span className="inline">
        <button type="button" className="primary" disabled={busy} onClick={save}>
          {text.allocSave}
        </button>
        {holders.length > 0 && (
          <button type="button" disabled={busy} onClick={() => void send([], text.allocCleared)}>
            {text.allocClear}
          </button>
        )}
      </span>
    </div>
  );
}

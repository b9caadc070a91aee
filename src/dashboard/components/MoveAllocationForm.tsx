// The form that moves N interviews of one quota cell from one interviewer's share to another's
// (PUT /sites/:site/allocations). The server checks the result against the plan and against
// what each interviewer has already done; its refusal names the cells with the plan's labels.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Allocation, QuotaPlan } from '../../core/quota/index.ts';
import { cellLabel } from '../../app/components/QuotaTables.tsx';
import { moveShare, planCells, shareOf } from '../allocations.ts';
import type { DashboardApi } from '../api.ts';
import { refusalWords } from '../api.ts';
import { explainWithPlan } from '../refusals.ts';
import { useText } from '../text.ts';
import { countText } from '../../app/components/plurals.ts';

const CODE = /^[A-Za-z0-9_-]{2,32}$/;

export function MoveAllocationForm({
  api,
  site,
  plan,
  allocations,
  interviewers,
  language,
  explain,
  onMoved,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  readonly plan: QuotaPlan;
  readonly allocations: readonly Allocation[];
  /** Everyone known: with an allocation or with interviews. */
  readonly interviewers: readonly string[];
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  readonly onMoved: () => void;
}) {
  const text = useText();
  const cells = planCells(plan);
  const holders = allocations.map((entry) => entry.interviewer);
  const [cell, setCell] = useState(
    cells[0] === undefined ? '' : `${cells[0].table}/${cells[0].key}`,
  );
  const [from, setFrom] = useState(holders[0] ?? '');
  const [to, setTo] = useState('');
  const [count, setCount] = useState('1');
  const [problem, setProblem] = useState<string>();
  const [refusal, setRefusal] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [table = '', key = ''] = cell.split('/');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    setRefusal(undefined);
    const n = Number(count);
    const target = to.trim();
    const available = shareOf(allocations, from, table, key);
    const invalid =
      !Number.isInteger(n) || n < 1
        ? text.moveCountInvalid
        : !CODE.test(target)
          ? text.moveCodeInvalid
          : target === from
            ? text.moveSame
            : n > available
              ? countText(text.moveTooMany, available, language, { from })
              : undefined;
    setProblem(invalid);
    if (invalid !== undefined) return;
    setBusy(true);
    try {
      await api.setAllocations(
        site,
        moveShare(allocations, { table, key, from, to: target, count: n }),
      );
      setDone(
        countText(text.moveDone, n, language, {
          cell: cellLabel(plan, table, key, language),
          from,
          to: target,
        }),
      );
      onMoved();
    } catch (failure) {
      setRefusal(
        refusalWords(failure, text.moveRefused, explainWithPlan(explain, text, { language, plan })),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card move-form"
      aria-labelledby="move-title"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h3 id="move-title">{text.moveTitle}</h3>
      <p className="small">{text.moveIntro}</p>
      <div className="move-fields">
        <div className="field">
          <label htmlFor="move-cell">{text.moveCell}</label>
          <select id="move-cell" value={cell} onChange={(event) => setCell(event.target.value)}>
            {cells.map((entry) => (
              <option key={`${entry.table}/${entry.key}`} value={`${entry.table}/${entry.key}`}>
                {plan.tables.length > 1 ? `${entry.table} : ` : ''}
                {cellLabel(plan, entry.table, entry.key, language)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="move-from">{text.moveFrom}</label>
          <select id="move-from" value={from} onChange={(event) => setFrom(event.target.value)}>
            {holders.map((holder) => (
              <option key={holder} value={holder}>
                {holder} ({shareOf(allocations, holder, table, key)})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="move-to">{text.moveTo}</label>
          <input
            id="move-to"
            list="move-to-known"
            autoComplete="off"
            value={to}
            onChange={(event) => setTo(event.target.value)}
          />
          <datalist id="move-to-known">
            {interviewers.map((code) => (
              <option key={code} value={code} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="move-count">{text.moveCount}</label>
          <input
            id="move-count"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={count}
            onChange={(event) => setCount(event.target.value)}
          />
        </div>
      </div>
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
      <button type="submit" className="primary" disabled={busy}>
        {text.moveSubmit}
      </button>
    </form>
  );
}

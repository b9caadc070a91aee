// The quota board: every table's cells as bars (done / target, coloured by how full), the
// crossed table as a heat map, the interviewer's own allocation, and screen-outs per cell.
// Practice interviews never count. Once the server's counts are known, the figures are the
// site's: the server's counts plus this tablet's interviews they do not hold yet.
import { useEffect, useState } from 'react';
import type { QuotaCounts, QuotaPlan } from '../../core/quota/index.ts';
import { countQuotas } from '../../core/quota/index.ts';
import { QuotaTables } from '../components/QuotaTables.tsx';
import { quotaRecords, siteCountsFor } from '../quota/quota-session.ts';
import type { InterviewStore, SiteCounts } from '../storage/index.ts';
import { fill, useUiText } from '../ui-text.ts';

export function QuotaScreen({
  store,
  plan,
  siteCounts,
  siteName,
  timeZone,
  interviewer,
  language,
  onBack,
}: {
  readonly store: InterviewStore;
  readonly plan: QuotaPlan;
  /** The site's counts from the server, when known. */
  readonly siteCounts: SiteCounts | undefined;
  /** The plan's site by name, when it is the tablet's site and its settings have come. */
  readonly siteName?: string | undefined;
  /** The site's time zone, for the time the counts came (undefined: the tablet's). */
  readonly timeZone?: string | undefined;
  readonly interviewer: string;
  readonly language: string;
  readonly onBack: () => void;
}) {
  const text = useUiText();
  const [counts, setCounts] = useState<{ device: QuotaCounts; own: QuotaCounts }>();
  useEffect(() => {
    let cancelled = false;
    void store.listInterviews().then((records) => {
      if (cancelled) return;
      const relevant = quotaRecords(records);
      setCounts({
        device:
          siteCounts === undefined
            ? countQuotas(plan, relevant)
            : siteCountsFor(plan, siteCounts, records),
        own: countQuotas(plan, relevant, interviewer),
      });
    });
    return () => {
      cancelled = true;
    };
  }, [store, plan, siteCounts, interviewer]);
  const allocation = plan.allocations?.find((entry) => entry.interviewer === interviewer);

  return (
    <main className="screen quotas">
      <h1>{text.quotaBoard}</h1>
      <p>
        {text.siteLabel} <strong>{siteName ?? plan.site}</strong> · {text.sampleSize}{' '}
        {plan.sampleSize} · {text.tolerance} {Math.round(plan.tolerance * 100)} %
      </p>
      <p className="small">
        {siteCounts === undefined
          ? text.quotaDeviceOnly
          : fill(text.quotaSiteCounts, {
              time: new Date(siteCounts.receivedAt).toLocaleString(language, {
                dateStyle: 'short',
                timeStyle: 'short',
                ...(timeZone === undefined ? {} : { timeZone }),
              }),
            })}
      </p>
      {plan.allocations !== undefined && allocation === undefined && (
        <p className="field-error" role="alert">
          {text.noAllocation}
        </p>
      )}
      {counts && (
        <QuotaTables
          plan={plan}
          completed={counts.device.completed}
          screenedOut={counts.device.screenedOut}
          own={allocation === undefined ? undefined : { counts: counts.own.completed, allocation }}
          language={language}
          text={{
            heatmap: text.quotaHeatmap,
            doneOfTarget: text.quotaDoneOfTarget,
            mine: text.quotaMine,
            screenedOut: text.quotaScreenedOut,
            variables: text.quotaVariables,
          }}
        />
      )}
      <button type="button" onClick={onBack}>
        {text.backHome}
      </button>
    </main>
  );
}

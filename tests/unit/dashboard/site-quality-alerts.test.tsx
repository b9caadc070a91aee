// What a site's page shows of the safety protocol's alerts, the break-offs and the quality per
// interviewer, rendered to static markup (no DOM): the tables the e2e test reads, the alerts never
// acknowledged flagged, the actions in words, days in the site's zone, figures far from the site's
// marked.
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import type {
  AlertEventInfo,
  DeviceInfo,
  InterviewerQuality,
  SiteSummary,
} from '../../../src/core/protocol/index.ts';
import { SiteSummarySchema } from '../../../src/core/protocol/index.ts';
import { DashboardApi } from '../../../src/dashboard/api.ts';
import { AlertsView } from '../../../src/dashboard/components/AlertsPanel.tsx';
import { InterviewerProgress } from '../../../src/dashboard/components/InterviewerProgress.tsx';
import { QualityPanel } from '../../../src/dashboard/components/QualityPanel.tsx';
import type { DashboardTexts } from '../../../src/dashboard/text.ts';
import { DASHBOARD_TEXT, DashboardTextContext } from '../../../src/dashboard/text.ts';

const fr = DASHBOARD_TEXT.fr;
const render = (element: ReactElement, text: DashboardTexts = fr) =>
  renderToStaticMarkup(
    <DashboardTextContext.Provider value={text}>{element}</DashboardTextContext.Provider>,
  );

const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';
const R3 = '33333333-3333-4333-8333-333333333333';

const ALERTS: AlertEventInfo[] = [
  {
    recordId: R1,
    interviewer: 'ENQ01',
    deviceId: 'dev_1',
    status: 'completed',
    alertId: 'suicide_high',
    raisedAt: '2026-06-01T14:00:00.000Z',
    acknowledgedAt: '2026-06-01T14:03:00.000Z',
    actions: ['helpline_given', 'supervisor_told'],
  },
  {
    // 01:30 UTC on 2 June is still 1 June in Cayenne (UTC-3).
    recordId: R2,
    interviewer: 'ENQ02',
    deviceId: 'dev_2',
    status: 'broken_off',
    alertId: 'suicide_high',
    raisedAt: '2026-06-02T01:30:00.000Z',
    acknowledgedAt: null,
    actions: [],
  },
  {
    recordId: R3,
    interviewer: 'ENQ01',
    deviceId: 'dev_1',
    status: 'screened_out',
    alertId: 'other_alert',
    raisedAt: '2026-06-03T12:00:00.000Z',
    acknowledgedAt: '2026-06-03T12:01:00.000Z',
    actions: ['respondent_declined_help'],
  },
];

const DEVICES: DeviceInfo[] = [
  {
    id: 'dev_1',
    site: 'cayenne',
    label: 'Tablette verte',
    enrolledAt: '2026-05-01T08:00:00.000Z',
    revokedAt: null,
    lastSyncAt: null,
    lastPending: null,
  },
];

/** The `<tr>` of one record in the alerts list. */
function row(html: string, recordId: string): string {
  const match = new RegExp(`<tr[^>]*data-record="${recordId}"[^>]*>(.*?)</tr>`).exec(html);
  expect(match, `row of ${recordId}`).not.toBeNull();
  return match?.[1] ?? '';
}

describe('AlertsView', () => {
  const html = render(
    <AlertsView alerts={ALERTS} timeZone="America/Cayenne" devices={DEVICES} language="fr" />,
  );

  it('lists every alert in the table the e2e test reads, one row per record', () => {
    expect(html).toContain('data-table="alerts"');
    for (const id of [R1, R2, R3]) expect(html).toContain(`data-record="${id}"`);
    // Newest first.
    expect(html.indexOf(`data-record="${R3}"`)).toBeLessThan(html.indexOf(`data-record="${R1}"`));
  });

  it('flags an alert never acknowledged, and says what was done in words', () => {
    const broken = row(html, R2);
    expect(broken).toContain('class="flagged"');
    expect(broken).toContain(fr.alertUnacknowledged);
    expect(broken).toContain(fr.recordStatus.broken_off);
    expect(broken).toContain(fr.alertNoAction);
    expect(broken).toContain('dev_2');
    const done = row(html, R1);
    expect(done).not.toContain(fr.alertUnacknowledged);
    expect(done).toContain('numéro d’aide donné ; superviseur·e prévenu·e');
    expect(done).toContain('risque suicidaire élevé');
    expect(done).toContain('Tablette verte');
    expect(done).toContain(fr.recordStatus.completed);
    // At the site's time: 14:03 UTC is 11:03 in Cayenne.
    expect(done).toContain('11:03');
    const out = row(html, R3);
    expect(out).toContain(fr.recordStatus.screened_out);
    expect(out).toContain('other_alert');
    expect(out).toContain('la personne a refusé l’aide');
    expect(html).toContain('3 alertes reçues, dont 1 non acquittée.');
  });

  it('counts per day in the site’s zone and per interviewer', () => {
    const perDay = /data-table="alerts-per-day".*?<\/table>/.exec(html)?.[0] ?? '';
    expect(perDay).toContain('America/Cayenne');
    expect(perDay).toMatch(
      /data-key="2026-06-01">.*?<td class="number">2<\/td><td class="number flagged">1<\/td>/,
    );
    expect(perDay).not.toContain('data-key="2026-06-02"');
    expect(perDay).toContain('data-key="2026-06-03"');
    const perInterviewer = /data-table="alerts-per-interviewer".*?<\/table>/.exec(html)?.[0] ?? '';
    expect(perInterviewer).toMatch(
      /data-key="ENQ01">.*?<td class="number">2<\/td><td class="number">0<\/td>/,
    );
  });

  it('offers nothing to change (analysts read it the same), and says when there is none', () => {
    expect(html).not.toMatch(/<(input|select|button|form)\b/);
    const none = render(
      <AlertsView alerts={[]} timeZone="Europe/Paris" devices={undefined} language="fr" />,
    );
    expect(none).toContain(fr.alertsNone);
    expect(none).not.toContain('data-table="alerts"');
  });

  it('speaks English on request', () => {
    const en = render(
      <AlertsView alerts={ALERTS} timeZone="America/Cayenne" devices={DEVICES} language="en" />,
      DASHBOARD_TEXT.en,
    );
    expect(en).toContain('helpline number given; supervisor told');
    expect(en).toContain(DASHBOARD_TEXT.en.alertUnacknowledged);
  });
});

const quality = (
  interviewer: string,
  figures: Partial<InterviewerQuality>,
): InterviewerQuality => ({
  interviewer,
  completed: 40,
  brokenOff: 1,
  medianSeconds: 1750,
  dontKnowShare: 0.04,
  refusedShare: 0.02,
  positiveScreenShare: 0.2,
  ...figures,
});

/** A summary from a server older than the break-offs and quality figures. */
const OLD_SUMMARY: SiteSummary = {
  site: 'cayenne',
  name: 'Cayenne',
  at: '2026-06-03T18:00:00.000Z',
  timeZone: 'America/Cayenne',
  shortInterviewSeconds: 900,
  totals: { completed: 85, screenedOut: 7, short: 1 },
  perDay: [],
  interviewers: [
    { interviewer: 'ENQ01', completed: 40, screenedOut: 4, short: 0, lastEndedAt: null, cells: {} },
    { interviewer: 'ENQ02', completed: 40, screenedOut: 3, short: 1, lastEndedAt: null, cells: {} },
    { interviewer: 'ENQ03', completed: 5, screenedOut: 0, short: 0, lastEndedAt: null, cells: {} },
  ],
  durations: { medianSeconds: 1700, bins: [], short: [] },
  screenOuts: [],
};

const SUMMARY: SiteSummary = {
  ...OLD_SUMMARY,
  brokenOff: 10,
  quality: [
    quality('ENQ01', {}),
    // Rushes and leads: half the median time, few "don't know", many positive screens.
    quality('ENQ02', {
      brokenOff: 8,
      medianSeconds: 800,
      dontKnowShare: 0.01,
      positiveScreenShare: 0.45,
    }),
    // As far off, but on too few interviews to say.
    quality('ENQ03', { completed: 5, brokenOff: 1, medianSeconds: 600 }),
  ],
  siteQuality: {
    completed: 85,
    brokenOff: 10,
    medianSeconds: 1700,
    dontKnowShare: 0.035,
    refusedShare: 0.02,
    positiveScreenShare: 0.25,
  },
};

/** The `<tr>` of one interviewer in a table. */
function interviewerRow(html: string, interviewer: string): string {
  return (
    new RegExp(`<tr[^>]*data-interviewer="${interviewer}"[^>]*>(.*?)</tr>`).exec(html)?.[1] ?? ''
  );
}

describe('QualityPanel', () => {
  const html = render(<QualityPanel summary={SUMMARY} language="fr" />);

  it('shows each interviewer against the whole site in the quality table', () => {
    expect(html).toContain('data-table="quality"');
    expect(html).toContain(fr.qualitySite);
    expect(interviewerRow(html, '')).toContain('28 min 20 s');
    expect(html).toContain('1,5 fois'); // the rule, said in the panel
  });

  it('marks the figures far from the site’s, and only from enough interviews', () => {
    const rusher = interviewerRow(html, 'ENQ02');
    expect(rusher).toMatch(/data-measure="medianSeconds" data-far="low"/);
    expect(rusher).toMatch(/data-measure="dontKnowShare" data-far="low"/);
    expect(rusher).toMatch(/data-measure="positiveScreenShare" data-far="high"/);
    expect(rusher).toMatch(/data-measure="breakOffShare" data-far="high"/);
    expect(rusher).not.toMatch(/data-measure="refusedShare" data-far/);
    expect(rusher).toContain('13 min 20 s');
    // French puts a no-break space before the percent sign (narrow or not, by ICU version).
    expect(rusher).toMatch(/>45[\u00a0\u202f]%</);
    expect(rusher).toMatch(/title="1,58 fois la valeur du site \(10,5[\u00a0\u202f]%\)"/);
    expect(rusher).toContain('title="0,47 fois la valeur du site (28 min 20 s)"');
    expect(interviewerRow(html, 'ENQ01')).not.toContain('data-far');
    const few = interviewerRow(html, 'ENQ03');
    expect(few).not.toContain('data-far');
    expect(few).toContain('moins de 10 questionnaires complets');
    expect(html).toContain('1 enquêteur·rice avec au moins un chiffre éloigné');
  });

  it('says so when the server does not send the figures', () => {
    expect(render(<QualityPanel summary={OLD_SUMMARY} language="fr" />)).toContain(fr.qualityNone);
  });
});

describe('InterviewerProgress', () => {
  const api = new DashboardApi(async () => new Response(null, { status: 204 }));
  const progress = (summary: SiteSummary) =>
    render(
      <InterviewerProgress
        api={api}
        site="cayenne"
        plan={null}
        summary={summary}
        language="fr"
        canManage={false}
        explain={String}
        onMoved={() => undefined}
      />,
    );

  it('gives the interrupted interviews in the totals and each interviewer’s break-offs', () => {
    const html = progress(SUMMARY);
    expect(html).toContain('10 entretiens interrompus après l’accord');
    expect(html).toContain(`<th scope="col">${fr.brokenOff}</th>`);
    expect(interviewerRow(html, 'ENQ02')).toContain(
      '<td class="number" data-column="broken-off">8</td>',
    );
  });

  it('leaves them out for a server that does not count them', () => {
    const html = progress(OLD_SUMMARY);
    expect(html).not.toContain('interrompu');
    expect(html).not.toContain('data-column="broken-off"');
    expect(html).toContain('Reçus : 85 questionnaires complets');
  });
});

describe('the summary on the wire', () => {
  it('is read with the break-offs and quality figures, and without them', () => {
    expect(SiteSummarySchema.safeParse(SUMMARY).success).toBe(true);
    expect(SiteSummarySchema.safeParse(OLD_SUMMARY).success).toBe(true);
  });
});

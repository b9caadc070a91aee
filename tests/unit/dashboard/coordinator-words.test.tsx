// The coordinators' points of issue #25 on the dashboard's screens, rendered to static markup (no
// DOM): screen-out reasons in the questionnaire's words, the per-day chart's totals and legend,
// pending enrolment codes told apart, the file fields in French, exports by title and language.
import { readFileSync } from 'node:fs';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type {
  EnrolmentCodeInfo,
  PublishedQuestionnaire,
  SiteSummary,
} from '../../../src/core/protocol/index.ts';
import { DashboardApi } from '../../../src/dashboard/api.ts';
import { DailyChart } from '../../../src/dashboard/components/DailyChart.tsx';
import { PendingCodes, cancelNames } from '../../../src/dashboard/components/EnrolmentPanel.tsx';
import {
  ExportPanel,
  exportChoices,
  labelLanguageName,
} from '../../../src/dashboard/components/ExportPanel.tsx';
import { FilePicker } from '../../../src/dashboard/components/FilePicker.tsx';
import type { Published } from '../../../src/dashboard/published.ts';
import { screenOutLabels, titleOf } from '../../../src/dashboard/published.ts';
import type { DashboardTexts } from '../../../src/dashboard/text.ts';
import { DASHBOARD_TEXT, DashboardTextContext } from '../../../src/dashboard/text.ts';

const fr = DASHBOARD_TEXT.fr;
const en = DASHBOARD_TEXT.en;
const render = (element: ReactElement, text: DashboardTexts = fr) =>
  renderToStaticMarkup(
    <DashboardTextContext.Provider value={text}>{element}</DashboardTextContext.Provider>,
  );
const ignore = () => undefined;

function published(id: string, version: string): PublishedQuestionnaire {
  return {
    questionnaireId: id,
    version,
    definition: JSON.parse(readFileSync(`questionnaires/${id}/${version}.json`, 'utf8')) as unknown,
    labelPacks: [],
    publishedAt: '2026-01-01T00:00:00.000Z',
  };
}
const SMPG = published('smpg', '2026.2');
const DEMO = published('demo', '2');
const PUBLISHED: Published = {
  versions: [
    { questionnaireId: 'demo', version: '1', publishedAt: '2026-01-01T00:00:00.000Z' },
    { questionnaireId: 'demo', version: '2', publishedAt: '2026-01-01T00:00:00.000Z' },
    { questionnaireId: 'smpg', version: '2026.2', publishedAt: '2026-01-01T00:00:00.000Z' },
  ],
  newest: [SMPG, DEMO],
};

const SUMMARY: SiteSummary = {
  site: 'lille',
  name: 'Lille',
  at: '2026-03-12T08:00:00.000Z',
  timeZone: 'Europe/Paris',
  shortInterviewSeconds: 600,
  totals: { completed: 12, screenedOut: 11, short: 0 },
  perDay: [
    { date: '2026-03-10', completed: 10, screenedOut: 11 },
    { date: '2026-03-11', completed: 2, screenedOut: 0 },
  ],
  interviewers: [],
  durations: { medianSeconds: null, bins: [], short: [] },
  screenOuts: [
    { reason: 'under_18', count: 6 },
    { reason: 'outside_zone', count: 4 },
    { reason: 'quota_full', count: 1 },
  ],
};

describe('the per-day chart', () => {
  const markup = render(
    <DailyChart
      summary={SUMMARY}
      language="fr"
      timeZone="Europe/Paris"
      reasons={screenOutLabels(PUBLISHED.newest, 'fr')}
    />,
  );

  it('writes each day’s total over its bar: 10 completed and 11 screen-outs read 21', () => {
    const day = /<g data-day="2026-03-10">(.*?)<\/g>/.exec(markup)?.[1] ?? '';
    expect(/<text[^>]*class="bar-value"[^>]*>(\d+)<\/text>/.exec(day)?.[1]).toBe('21');
    expect(markup).toContain('10/03 21, 11/03 2');
    // The table of figures has the total too.
    expect(markup).toContain('<td class="number">10</td><td class="number">11</td>');
    expect(markup).toContain('<td class="number">21</td>');
  });

  it('has a legend naming each colour and the number over the bars', () => {
    const legend = /<ul class="legend"[^>]*data-legend="daily">(.*?)<\/ul>/.exec(markup)?.[1];
    expect(legend).toContain('swatch-completed');
    expect(legend).toContain(fr.legendCompleted);
    expect(legend).toContain('swatch-out');
    expect(legend).toContain(fr.legendScreenedOut);
    expect(legend).toContain(fr.legendTotal);
  });

  it('names screen-outs in the questionnaire’s words, never by their ids', () => {
    const reasons = /<table class="data" data-table="screen-outs">(.*?)<\/table>/.exec(markup)?.[1];
    expect(reasons).toContain('Hors cible : moins de 18 ans');
    expect(reasons).toContain('Hors cible : n');
    expect(reasons).toContain(fr.reasons['quota_full']);
    expect(reasons).not.toMatch(/under_18|outside_zone|quota_full/);
    const english = render(
      <DailyChart
        summary={SUMMARY}
        language="en"
        timeZone="Europe/Paris"
        reasons={screenOutLabels(PUBLISHED.newest, 'en')}
      />,
      en,
    );
    expect(english).toContain('Not eligible: under 18');
  });
});

describe('pending enrolment codes', () => {
  const codes: EnrolmentCodeInfo[] = [
    {
      createdAt: '2026-03-10T09:15:03.120Z',
      expiresAt: '2026-03-13T09:15:03.120Z',
      createdBy: 'coord',
    },
    {
      createdAt: '2026-03-10T09:15:41.500Z',
      expiresAt: '2026-03-13T09:15:41.500Z',
      createdBy: 'coord',
      label: 'Tablette 3',
    },
    {
      createdAt: '2026-03-10T09:15:41.900Z',
      expiresAt: '2026-03-13T09:15:41.900Z',
      createdBy: 'coord',
      label: 'Tablette 3',
    },
  ];

  it('gives each cancel button its own name, with the time to the second and the label', () => {
    const names = cancelNames(codes, fr, 'fr');
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toMatch(/^Annuler le code créé le 10\/03\/2026 \d\d:15:03$/);
    expect(names[1]).toMatch(
      /^Annuler le code « Tablette 3 » créé le 10\/03\/2026 \d\d:15:41 \(1\)$/,
    );
    expect(names[2]).toMatch(/ \(2\)$/);
    const markup = render(
      <PendingCodes codes={codes} shown={undefined} language="fr" busy={false} onCancel={ignore} />,
    );
    const labels = [...markup.matchAll(/aria-label="([^"]*)"/g)].map((match) => match[1]);
    expect(labels).toEqual(names);
    expect(markup).toContain('<td>Tablette 3</td>');
    expect(markup).toMatch(/10\/03\/2026 \d\d:15:03/);
  });
});

describe('file fields', () => {
  it('say “Choisir un fichier” and “Aucun fichier choisi” whatever the browser’s language', () => {
    const markup = render(
      <FilePicker id="backup" label={fr.backupFile} accept=".json" chosen={[]} onChange={ignore} />,
    );
    // The input keeps the field's label, so keyboards, screen readers and tests find it.
    expect(markup).toContain(`<label for="backup">${fr.backupFile}</label>`);
    expect(markup).toMatch(/<input id="backup" type="file" class="file-input visually-hidden"/);
    expect(markup).toContain('aria-describedby="backup-chosen"');
    expect(markup).toContain(
      '<label for="backup" class="file-button" aria-hidden="true">Choisir un fichier</label>',
    );
    expect(markup).toContain(
      '<span id="backup-chosen" class="file-chosen">Aucun fichier choisi</span>',
    );
    const chosen = render(
      <FilePicker
        id="census"
        label={fr.censusFiles}
        accept=".csv"
        multiple
        chosen={['pop.csv', 'diplomes.csv']}
        onChange={ignore}
      />,
    );
    expect(chosen).toContain('Choisir des fichiers');
    expect(chosen).toContain('pop.csv, diplomes.csv');
    expect(chosen).toContain(' multiple=""');
  });
});

describe('exports', () => {
  it('offer questionnaires by their titles and label languages by their names', () => {
    const choices = exportChoices(PUBLISHED, 'fr');
    expect(choices.map((entry) => entry.title)).toEqual([
      titleOf(SMPG, 'fr'),
      'Démonstration : la vie dans le quartier (v2)',
    ]);
    expect(choices[0]?.title).toBe('Santé mentale en population générale : images et réalités');
    expect(choices[1]?.versions).toEqual(['2', '1']);
    expect(choices[0]?.languages).toEqual(['fr', 'en']);
    expect(labelLanguageName('fr')).toBe('Français');
    expect(labelLanguageName('en')).toBe('English');
    expect(labelLanguageName('qq')).toBe('qq');

    const markup = render(
      <ExportPanel
        api={new DashboardApi(() => new Promise(() => undefined))}
        published={PUBLISHED}
        site="lille"
        allSites={false}
        language="fr"
        explain={String}
      />,
    );
    expect(markup).toContain(
      '<option value="smpg" selected="">Santé mentale en population générale : images et réalités</option>',
    );
    expect(markup).toContain('<option value="fr" lang="fr" selected="">Français</option>');
    expect(markup).toContain('<option value="en" lang="en">English</option>');
    expect(markup).not.toMatch(/>smpg<|>fr<|>en</);
  });

  it('say why the questionnaires could not be read', () => {
    const markup = render(
      <ExportPanel
        api={new DashboardApi(() => new Promise(() => undefined))}
        published={{ failure: fr.networkError }}
        site="lille"
        allSites={false}
        language="fr"
        explain={String}
      />,
    );
    expect(markup).toContain(fr.networkError);
  });
});

// The site's "Traductions" panel (issue #22) on a fake fetch, without a browser: the sheet made in
// the page is a real .xlsx that the dashboard's reader gives back (the site's pack round-trips);
// a filled sheet is judged (respondent texts missing block, the interviewer's fall back to
// French, texts left as in French and placeholders lost are warned with their rows); the pack
// is PUT where the server expects it; the site's packs are listed. Markup is rendered statically.
import { readFileSync } from 'node:fs';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type {
  PublishedQuestionnaire,
  SitePackResponse,
  SitePackSummary,
} from '../../../src/core/protocol/index.ts';
import type { Definition, LabelPack } from '../../../src/core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../../src/core/questionnaire/index.ts';
import type { Workbook } from '../../../src/core/xlsform/index.ts';
import {
  TRANSLATION_SHEET,
  packFromTranslationSheet,
  translationRows,
  translationSheet,
} from '../../../src/core/xlsform/index.ts';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { ApiError, DashboardApi } from '../../../src/dashboard/api.ts';
import { SheetReport } from '../../../src/dashboard/components/SheetReport.tsx';
import { SitePacksTable } from '../../../src/dashboard/components/SitePacksTable.tsx';
import { TranslationsPanel } from '../../../src/dashboard/components/TranslationsPanel.tsx';
import { readXlsxWorkbook } from '../../../src/dashboard/dashboard-xlsform-reader.ts';
import { DASHBOARD_TEXT, DashboardTextContext } from '../../../src/dashboard/text.ts';
import type { SheetChoice } from '../../../src/dashboard/translation-packs.ts';
import {
  canSend,
  downloadSheet,
  downloadWords,
  languageCodeProblem,
  packIssues,
  readFilledSheet,
  sendPack,
  sentWords,
} from '../../../src/dashboard/translation-packs.ts';
import { unzipSync } from 'fflate';
import { XLSX_TYPE, xlsxBytes } from '../../../src/dashboard/xlsx-write.ts';

const fr = DASHBOARD_TEXT.fr;

function json(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

function definitionOf(file: string): Definition {
  const loaded = loadQuestionnaire(json(file));
  if (loaded.status === 'failure') throw new Error(`${file} does not load`);
  return loaded.definition;
}

const DEMO2 = definitionOf('questionnaires/demo/2.json');
const PUBLISHED2: PublishedQuestionnaire = {
  questionnaireId: 'demo',
  version: '2',
  definition: json('questionnaires/demo/2.json'),
  labelPacks: [],
  publishedAt: '2026-11-02T09:00:00.000Z',
};
const PUBLISHED1: PublishedQuestionnaire = {
  questionnaireId: 'demo',
  version: '1',
  definition: json('questionnaires/demo/1.json'),
  labelPacks: [{ source: '1.labels.es.json', pack: json('questionnaires/demo/1.labels.es.json') }],
  publishedAt: '2026-06-02T09:00:00.000Z',
};

/** A Creole pack of our own words for demo 2: every text, each one marked as translated. */
function fullPack(definition: Definition, language: string): LabelPack {
  return {
    questionnaire: definition.id,
    version: definition.version,
    language,
    texts: Object.fromEntries(
      translationRows(definition).map((row) => [row.key, `${row.text['fr'] ?? ''} [${language}]`]),
    ),
  };
}

interface Call {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

/** A server that answers from `routes` (`GET /api/v1/...` -> [status, body]), 404 elsewhere. */
function server(routes: Readonly<Record<string, readonly [number, unknown]>>) {
  const calls: Call[] = [];
  const fetcher: Fetch = async (url, init) => {
    const method = init.method ?? 'GET';
    calls.push({
      method,
      url,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    const [status, body] = routes[`${method} ${url}`] ?? [
      404,
      { error: 'not_found', message: 'no such thing' },
    ];
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { api: new DashboardApi(fetcher).withToken('ses_1'), calls };
}

const render = (element: ReactElement, text = fr) =>
  renderToStaticMarkup(
    <DashboardTextContext.Provider value={text}>{element}</DashboardTextContext.Provider>,
  );

/** The rows of a workbook's translation sheet with the target column (the last) set by key. */
function withTexts(workbook: Workbook, texts: Readonly<Record<string, string>>): Workbook {
  const rows = workbook[TRANSLATION_SHEET] ?? [];
  return {
    [TRANSLATION_SHEET]: rows.map((row, i) => {
      const key = row[0] ?? '';
      if (i === 0 || !(key in texts)) return row;
      return [...row.slice(0, -1), texts[key] ?? ''];
    }),
  };
}

/** The row (as a spreadsheet numbers it) of `key` in the translation sheet. */
function rowOf(workbook: Workbook, key: string): number {
  return (workbook[TRANSLATION_SHEET] ?? []).findIndex((row) => row[0] === key) + 1;
}

describe('the .xlsx written in the page', () => {
  it('reads back cell for cell through the dashboard’s reader, XML characters and all', async () => {
    const workbook: Workbook = {
      translation: [
        ['key', 'where', 'Français (fr)'],
        ['a.b', 'x › y (question)', 'Ça & <ça> "cité" l’été 🙂'],
        ['c', '', 'deux\nlignes'],
      ],
    };
    const bytes = xlsxBytes(workbook);
    const read = await readXlsxWorkbook(new Blob([bytes], { type: XLSX_TYPE }));
    expect(read['translation']).toEqual(workbook['translation']);
    // Well-formed XML that stricter readers (Excel, LibreOffice) accept: every special character
    // escaped in the sheet's part.
    const raw = new TextDecoder().decode(unzipSync(bytes)['xl/worksheets/sheet1.xml']);
    expect(raw).toContain('Ça &amp; &lt;ça&gt; &quot;cité&quot; l’été 🙂');
    expect(raw).not.toContain('Ça & ');
  });
});

describe('languageCodeProblem', () => {
  it('takes the codes a label pack takes, and says why not otherwise', () => {
    expect(languageCodeProblem('gcr')).toBeUndefined();
    expect(languageCodeProblem(' pt-BR ')).toBeUndefined();
    expect(languageCodeProblem('')).toBe('empty');
    expect(languageCodeProblem('GCR')).toBe('pattern');
    expect(languageCodeProblem('fr_FR')).toBe('pattern');
    expect(languageCodeProblem('créole')).toBe('pattern');
  });
});

const GCR: SheetChoice = { questionnaireId: 'demo', version: '2', language: 'gcr' };

describe('downloading the translation sheet', () => {
  it('fills in the site’s latest pack, and the file gives that pack back', async () => {
    const pack = fullPack(DEMO2, 'gcr');
    const { api, calls } = server({
      'GET /api/v1/questionnaires/demo/2': [200, PUBLISHED2],
      'GET /api/v1/sites/mamoudzou/label-packs/demo/2/gcr': [
        200,
        { language: 'gcr', revision: 3, pack },
      ],
    });
    const sheet = await downloadSheet(api, 'mamoudzou', GCR);
    if (sheet.status !== 'ready') throw new Error(sheet.status);
    expect(sheet.fileName).toBe('traduction-demo-2-gcr.xlsx');
    expect(sheet.revision).toBe(3);
    expect(sheet.total).toBe(translationRows(DEMO2).length);
    expect(sheet.filled).toBe(sheet.total);
    expect(downloadWords(sheet, fr, 'fr')).toBe(
      `Feuille traduction-demo-2-gcr.xlsx téléchargée : ${sheet.total} textes, dont ${sheet.total} déjà traduits. La traduction de la révision 3 de ce site y est reprise.`,
    );
    expect(sheet.file.type).toBe(XLSX_TYPE);
    expect(calls.every((call) => call.method === 'GET')).toBe(true);

    const workbook = await readXlsxWorkbook(sheet.file);
    expect(workbook[TRANSLATION_SHEET]?.[0]).toEqual([
      'key',
      'where',
      'read by',
      'Français (fr)',
      'English (en)',
      'gcr (gcr)',
    ]);
    const back = packFromTranslationSheet(DEMO2, workbook, 'gcr');
    expect(back.pack).toEqual(pack);
    expect(back.report?.missing).toEqual([]);
  });

  it('writes SMPG’s sheet with a whole translation (parts over fflate’s 160 KB worker threshold)', async () => {
    const smpg = definitionOf('questionnaires/smpg/2026.2.json');
    const pack = fullPack(smpg, 'gcr');
    const { api } = server({
      'GET /api/v1/questionnaires/smpg/2026.2': [
        200,
        {
          ...PUBLISHED2,
          questionnaireId: 'smpg',
          version: '2026.2',
          definition: json('questionnaires/smpg/2026.2.json'),
        },
      ],
      'GET /api/v1/sites/cayenne/label-packs/smpg/2026.2/gcr': [
        200,
        { language: 'gcr', revision: 1, pack },
      ],
    });
    const sheet = await downloadSheet(api, 'cayenne', {
      questionnaireId: 'smpg',
      version: '2026.2',
      language: 'gcr',
    });
    if (sheet.status !== 'ready') throw new Error(sheet.status);
    const sheetPart = unzipSync(new Uint8Array(await sheet.file.arrayBuffer()))[
      'xl/worksheets/sheet1.xml'
    ];
    expect(sheetPart?.length).toBeGreaterThan(160_000);
    const back = packFromTranslationSheet(smpg, await readXlsxWorkbook(sheet.file), 'gcr');
    expect(back.pack).toEqual(pack);
  });

  it('starts from a pack published with the version when the site has none', async () => {
    const { api } = server({ 'GET /api/v1/questionnaires/demo/1': [200, PUBLISHED1] });
    const sheet = await downloadSheet(api, 'lille', { ...GCR, version: '1', language: 'es' });
    if (sheet.status !== 'ready') throw new Error(sheet.status);
    expect(sheet.revision).toBeUndefined();
    expect(sheet.sitePackUnavailable).toBe(false);
    const workbook = await readXlsxWorkbook(sheet.file);
    const es = json('questionnaires/demo/1.labels.es.json') as LabelPack;
    expect(
      packFromTranslationSheet(definitionOf('questionnaires/demo/1.json'), workbook, 'es').pack
        ?.texts,
    ).toEqual(es.texts);
    expect(sheet.filled).toBe(Object.keys(es.texts).length);
  });

  it('still makes the sheet, and says so, when the server will not give the site’s pack', async () => {
    const { api } = server({
      'GET /api/v1/questionnaires/demo/2': [200, PUBLISHED2],
      'GET /api/v1/sites/mamoudzou/label-packs/demo/2/gcr': [
        403,
        { error: 'forbidden', message: 'not yours' },
      ],
    });
    const sheet = await downloadSheet(api, 'mamoudzou', GCR);
    if (sheet.status !== 'ready') throw new Error(sheet.status);
    expect(sheet.sitePackUnavailable).toBe(true);
    expect(sheet.filled).toBe(0);
    expect(downloadWords(sheet, DASHBOARD_TEXT.en, 'en')).toContain(
      ', 0 already translated. This site’s translation could not be read',
    );
  });

  it('refuses to translate a version into its own source language', async () => {
    const { api } = server({ 'GET /api/v1/questionnaires/demo/2': [200, PUBLISHED2] });
    expect(await downloadSheet(api, 'lille', { ...GCR, language: 'fr' })).toEqual({
      status: 'source_language',
    });
  });
});

describe('importing a filled sheet', () => {
  const blank = translationSheet(DEMO2, 'gcr');
  const full = fullPack(DEMO2, 'gcr').texts;
  const rows = translationRows(DEMO2);
  const respondent = rows.filter((row) => row.required).map((row) => row.key);
  const interviewer = rows.filter((row) => row.reader === 'interviewer').map((row) => row.key);
  const { api } = server({ 'GET /api/v1/questionnaires/demo/2': [200, PUBLISHED2] });
  const readBack = async (workbook: Workbook) => {
    const file = new Blob([xlsxBytes(workbook)], { type: XLSX_TYPE });
    const reading = await readFilledSheet(GCR, file, api);
    if (reading.status !== 'read') throw new Error(reading.status);
    return reading.check;
  };

  it('blocks on respondent texts left out, naming their rows', async () => {
    const [first = '', second = ''] = respondent;
    const workbook = withTexts(blank, { ...full, [first]: '', [second]: '' });
    const check = await readBack(workbook);
    expect(check.missing.map((entry) => [entry.key, entry.row])).toEqual([
      [first, rowOf(workbook, first)],
      [second, rowOf(workbook, second)],
    ]);
    expect(canSend(check)).toBe(false);
    const html = render(<SheetReport check={check} language="fr" />);
    expect(html).toContain('2 textes lus par la personne interrogée ne sont pas traduits');
    expect(html).toContain(`ligne ${rowOf(workbook, first)} : `);
    expect(html).toContain(fr.trFixAndRetry);
    expect(html).not.toContain('data-report="ready"');
  });

  it('lets the interviewer’s texts fall back to French, and warns of copies and lost placeholders', async () => {
    const helplineKey = rows.find((row) => (row.text['fr'] ?? '').includes('{{helpline}}'))?.key;
    const [copied = ''] = respondent;
    const [untranslated = ''] = interviewer.filter((key) => key !== helplineKey);
    expect(helplineKey).toBeDefined();
    const texts: Record<string, string> = {
      ...full,
      [untranslated]: '',
      [copied]: rows.find((row) => row.key === copied)?.text['fr'] ?? '',
      [helplineKey ?? '']: 'Apelé nimèro-a',
    };
    const workbook = withTexts(blank, texts);
    const check = await readBack(workbook);
    expect(check.errors).toEqual([]);
    expect(check.missing).toEqual([]);
    expect(check.fallback).toBe(1);
    expect(check.unchanged.map((entry) => [entry.key, entry.row])).toEqual([
      [copied, rowOf(workbook, copied)],
    ]);
    expect(check.placeholders).toEqual([
      expect.objectContaining({
        key: helplineKey,
        row: rowOf(workbook, helplineKey ?? ''),
        lost: ['helpline'],
      }),
    ]);
    expect(canSend(check)).toBe(true);
    expect(check.pack?.texts[untranslated]).toBeUndefined();

    const html = render(<SheetReport check={check} language="fr" />);
    expect(html).toContain(
      '1 texte de l’enquêteur·rice n’est pas traduit : il s’affichera en français',
    );
    expect(html).toContain('1 texte est resté identique au français');
    expect(html).toContain(`ligne ${rowOf(workbook, copied)} : `);
    expect(html).toContain(`ligne ${rowOf(workbook, helplineKey ?? '')} : `);
    expect(html).toContain('il manque {{helpline}}');
    expect(html).toContain('data-report="ready"');
    expect(html).not.toContain(fr.trFixAndRetry);
    const english = render(<SheetReport check={check} language="en" />, DASHBOARD_TEXT.en);
    expect(english).toContain('1 text for the interviewer is not translated');
    expect(english).toContain('{{helpline}} missing');
  });

  it('blocks on a key changed in the sheet, with its sheet, row and column', async () => {
    const workbook = withTexts(blank, full);
    const sheet = workbook[TRANSLATION_SHEET] ?? [];
    const changed: Workbook = {
      [TRANSLATION_SHEET]: sheet.map((row, i) =>
        i === 5 ? ['items.nothing.label', ...row.slice(1)] : row,
      ),
    };
    const check = await readBack(changed);
    expect(check.errors).toEqual([
      expect.objectContaining({
        sheet: TRANSLATION_SHEET,
        row: 6,
        column: 'key',
        columnLetter: 'A',
      }),
    ]);
    expect(canSend(check)).toBe(false);
    expect(render(<SheetReport check={check} language="fr" />)).toContain(
      'Feuille translation, ligne 6, colonne A (key)',
    );
  });

  it('says a file that is no workbook cannot be read', async () => {
    const reading = await readFilledSheet(GCR, new Blob(['key;where'], { type: 'text/csv' }), api);
    expect(reading.status).toBe('unreadable');
  });
});

describe('sending a pack and listing the site’s packs', () => {
  const pack = fullPack(DEMO2, 'gcr');
  const answer: SitePackResponse = {
    revision: 4,
    coverage: { given: 50, missingRespondent: 0, missingInterviewer: 0 },
  };
  const summary: SitePackSummary = {
    questionnaireId: 'demo',
    version: '2',
    language: 'gcr',
    revision: 4,
    uploadedAt: '2026-12-07T09:30:00.000Z',
    uploadedBy: 'coord.mayotte',
  };

  it('PUTs the pack under the site, version and language, and reads the revision', async () => {
    const { api, calls } = server({
      'PUT /api/v1/sites/mamoudzou/label-packs/demo/2/gcr': [201, answer],
    });
    const sent = await sendPack(api, 'mamoudzou', pack, undefined);
    expect(sent).toEqual({ response: answer, same: false });
    expect(sentWords(sent, fr, 'fr')).toBe(
      'Révision 4 enregistrée (50 textes traduits) : les tablettes du site la recevront à leur prochaine synchronisation.',
    );
    expect(calls).toEqual([
      { method: 'PUT', url: '/api/v1/sites/mamoudzou/label-packs/demo/2/gcr', body: { pack } },
    ]);
    // The same pack again: the server keeps the revision the list already showed.
    const again = await sendPack(api, 'mamoudzou', pack, summary);
    expect(again.same).toBe(true);
    expect(sentWords(again, fr, 'fr')).toBe(
      'Cette traduction est identique à la révision 4 : rien n’a changé.',
    );
  });

  it('reads the loader’s issues of a refused pack', async () => {
    const { api } = server({
      'PUT /api/v1/sites/mamoudzou/label-packs/demo/2/gcr': [
        422,
        {
          error: 'invalid_pack',
          message: 'the pack does not load',
          params: { issues: [{ path: 'texts.items.age.label', message: 'unknown text key' }] },
        },
      ],
    });
    const failure: unknown = await sendPack(api, 'mamoudzou', pack, undefined).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect(packIssues(failure)).toEqual(['texts.items.age.label: unknown text key']);
  });

  it('lists each pack with its revision, date and sender', async () => {
    const { api, calls } = server({ 'GET /api/v1/sites/mamoudzou/label-packs': [200, [summary]] });
    const packs = await api.sitePacks('mamoudzou');
    expect(packs).toEqual([summary]);
    expect(calls[0]?.url).toBe('/api/v1/sites/mamoudzou/label-packs');
    const html = render(
      <SitePacksTable packs={packs} titles={new Map([['demo', 'Démonstration']])} language="fr" />,
    );
    expect(html).toContain(`<caption>${fr.trListCaption}</caption>`);
    expect(html).toMatch(/<th scope="row">Démonstration<\/th><td>2<\/td><td>[^<]*gcr[^<]*<\/td>/);
    expect(html).toContain('<td class="number">4</td>');
    expect(html).toContain('coord.mayotte');
    expect(html).toContain('2026');
    expect(render(<SitePacksTable packs={[]} titles={new Map()} language="fr" />)).toContain(
      fr.trListNone,
    );
  });
});

describe('the panel', () => {
  it('names every field and starts with headings under the section’s', () => {
    const html = render(
      <TranslationsPanel
        api={new DashboardApi(async () => new Response(null, { status: 204 }))}
        site="mamoudzou"
        published={{
          versions: [PUBLISHED1, PUBLISHED2].map(({ questionnaireId, version, publishedAt }) => ({
            questionnaireId,
            version,
            publishedAt,
          })),
          newest: [PUBLISHED2],
        }}
        language="fr"
        explain={String}
      />,
    );
    for (const label of [fr.trVersion, fr.trLanguage, fr.trFile]) {
      const id = new RegExp(`<label for="([^"]+)">${label.replace(/[().]/g, '\\$&')}</label>`).exec(
        html,
      )?.[1];
      expect(id, label).toBeDefined();
      expect(html).toContain(`id="${id ?? ''}"`);
    }
    expect(html).toContain(`<h3>${fr.trSheetTitle}</h3>`);
    expect(html).toContain(`<h3>${fr.trListTitle}</h3>`);
    expect(html).toContain(fr.trDownload);
    // The newest version first.
    expect(html).toMatch(/<option value="demo 2"[^>]*>[^<]*2<\/option><option value="demo 1"/);
  });
});

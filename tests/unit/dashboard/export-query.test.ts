// The export panel's choices as a query string: what the server's export routes accept, formulas
// neutralised unless the user ticks "text as typed".
import { describe, expect, it } from 'vitest';
import { ExportQuerySchema } from '../../../src/core/protocol/index.ts';
import type { ExportChoices } from '../../../src/dashboard/export-query.ts';
import {
  exportButtons,
  exportFileName,
  exportPath,
  exportQuery,
  isScript,
} from '../../../src/dashboard/export-query.ts';

const CHOICES: ExportChoices = {
  questionnaire: 'smpg',
  version: '',
  format: 'excel_fr',
  values: 'codes',
  language: 'fr',
  formulas: 'escaped',
};

const parsed = (query: string) =>
  ExportQuerySchema.parse(Object.fromEntries(new URLSearchParams(query)));

describe('exportQuery', () => {
  it('asks for neutralised formulas by default, and raw text when ticked', () => {
    expect(parsed(exportQuery(CHOICES))).toEqual({
      questionnaire: 'smpg',
      values: 'codes',
      language: 'fr',
      formulas: 'escaped',
      separator: 'semicolon',
      decimal: 'comma',
      bom: '1',
    });
    const raw = exportQuery({ ...CHOICES, format: 'standard', formulas: 'raw' });
    expect(parsed(raw)).toMatchObject({ formulas: 'raw', separator: 'comma', decimal: 'dot' });
  });

  it('passes the choice to every file', () => {
    const raw = { ...CHOICES, formulas: 'raw' } as const;
    expect(exportPath('interviews', 'lille', raw)).toMatch(
      /^\/sites\/lille\/export\/interviews\.csv\?.*formulas=raw/,
    );
    expect(exportPath('screen-outs', undefined, raw)).toMatch(
      /^\/export\/screen-outs\.csv\?.*formulas=raw/,
    );
    expect(exportPath('codebook', 'lille', CHOICES)).toMatch(
      /^\/export\/codebook\.csv\?.*formulas=escaped/,
    );
  });
});

describe('the break-offs and paradata files', () => {
  it('have a route per site and one for every site, with the same choices', () => {
    expect(exportPath('break-offs', 'saint laurent', CHOICES)).toMatch(
      /^\/sites\/saint%20laurent\/export\/break-offs\.csv\?questionnaire=smpg&.*separator=semicolon/,
    );
    expect(exportPath('paradata', 'lille', CHOICES)).toMatch(
      /^\/sites\/lille\/export\/paradata\.csv\?questionnaire=smpg&/,
    );
    expect(exportPath('break-offs', undefined, CHOICES)).toMatch(/^\/export\/break-offs\.csv\?/);
    expect(exportPath('paradata', undefined, CHOICES)).toMatch(/^\/export\/paradata\.csv\?/);
  });

  it('get a button for the site, and for every site only to a user who sees several', () => {
    const files = (allSites: boolean) =>
      exportButtons(allSites).map((row) =>
        row.map((button) => `${button.what}${button.everySite ? ' (all)' : ''}`),
      );
    const site = ['interviews', 'codebook', 'screen-outs', 'break-offs', 'paradata', 'margins'];
    const scripts = ['script-r', 'script-stata', 'script-spss'];
    expect(files(false)).toEqual([site, scripts]);
    expect(files(true)).toEqual([
      site,
      scripts,
      ['interviews (all)', 'break-offs (all)', 'paradata (all)', 'margins (all)'],
      scripts.map((file) => `${file} (all)`),
    ]);
  });
});

describe('the scripts and the margins', () => {
  it('ask for the codes export whatever the panel says, in the same format', () => {
    const labels = { ...CHOICES, values: 'labels' as const };
    for (const [what, extension] of [
      ['script-r', 'R'],
      ['script-stata', 'do'],
      ['script-spss', 'sps'],
    ] as const) {
      const path = exportPath(what, 'lille', labels);
      expect(path).toMatch(new RegExp(`^/sites/lille/export/interviews\\.${extension}\\?`));
      expect(new URLSearchParams(path.split('?')[1]).get('values')).toBe('codes');
      expect(new URLSearchParams(path.split('?')[1]).get('separator')).toBe('semicolon');
    }
    expect(exportPath('margins', undefined, CHOICES)).toMatch(/^\/export\/margins\.csv\?/);
  });

  it("are saved under the server's names, the scripts beside the CSV they load", () => {
    expect(exportFileName('interviews', 'smpg', 'lille', '2026-12-07')).toBe(
      'smpg_lille_interviews_2026-12-07.csv',
    );
    expect(exportFileName('script-stata', 'smpg', 'lille', '2026-12-07')).toBe(
      'smpg_lille_interviews_2026-12-07.do',
    );
    expect(exportFileName('script-r', 'smpg', undefined, '2026-12-07')).toBe(
      'smpg_all-sites_interviews_2026-12-07.R',
    );
    expect(exportFileName('codebook', 'smpg', 'lille', '2026-12-07')).toBe(
      'smpg_codebook_2026-12-07.csv',
    );
    expect(isScript('script-spss')).toBe(true);
    expect(isScript('margins')).toBe(false);
  });
});

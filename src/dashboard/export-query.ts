// The export panel's choices as the query string of the server's `/export/` routes.
import type { ExportQuery } from '../core/protocol/index.ts';

/** Two formats cover the field: French spreadsheets, and everything else (R, Stata, SPSS, Epi Info). */
export type ExportFormat = 'excel_fr' | 'standard';

export interface ExportChoices {
  readonly questionnaire: string;
  /** One version, or `''` for every version together. */
  readonly version: string;
  readonly format: ExportFormat;
  readonly values: 'codes' | 'labels';
  readonly language: string;
  /**
   * `escaped`: a text cell that starts like a formula gets a `'` first (safe to open in a
   * spreadsheet); `raw`: text as typed, for tools that read the bytes themselves.
   */
  readonly formulas: 'escaped' | 'raw';
}

export function exportQuery(choices: ExportChoices): string {
  const query: ExportQuery = {
    questionnaire: choices.questionnaire,
    ...(choices.version === '' ? {} : { version: choices.version }),
    values: choices.values,
    language: choices.language,
    formulas: choices.formulas,
    ...(choices.format === 'excel_fr'
      ? { separator: 'semicolon', decimal: 'comma', bom: '1' }
      : { separator: 'comma', decimal: 'dot' }),
  };
  return new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
}

/**
 * The files the server exports: completed interviews, screen-outs, the codebook, interviews broken
 * off after consent (partial records, never in the interviews file), and the paradata (one row per
 * item asked: seconds on it, languages of the record).
 */
export type ExportFile = 'interviews' | 'screen-outs' | 'codebook' | 'break-offs' | 'paradata';

/** The route of one file: a site's, or every site's (`site` undefined; no site in the codebook). */
export function exportPath(
  what: ExportFile,
  site: string | undefined,
  choices: ExportChoices,
): string {
  const scope =
    site === undefined || what === 'codebook' ? '' : `/sites/${encodeURIComponent(site)}`;
  return `${scope}/export/${what}.csv?${exportQuery(choices)}`;
}

/** The export panel's words for its buttons (keys of the dashboard's texts). */
export type ExportLabel =
  | 'exportInterviews'
  | 'exportCodebook'
  | 'exportScreenOuts'
  | 'exportBreakOffs'
  | 'exportParadata'
  | 'exportAllSites'
  | 'exportAllSitesBreakOffs'
  | 'exportAllSitesParadata';

/** One button of the export panel: a file, the site's or every site's, and its words. */
export interface ExportButton {
  readonly what: ExportFile;
  readonly everySite: boolean;
  readonly label: ExportLabel;
}

const SITE_BUTTONS: readonly ExportButton[] = [
  { what: 'interviews', everySite: false, label: 'exportInterviews' },
  { what: 'codebook', everySite: false, label: 'exportCodebook' },
  { what: 'screen-outs', everySite: false, label: 'exportScreenOuts' },
  { what: 'break-offs', everySite: false, label: 'exportBreakOffs' },
  { what: 'paradata', everySite: false, label: 'exportParadata' },
];

const EVERY_SITE_BUTTONS: readonly ExportButton[] = [
  { what: 'interviews', everySite: true, label: 'exportAllSites' },
  { what: 'break-offs', everySite: true, label: 'exportAllSitesBreakOffs' },
  { what: 'paradata', everySite: true, label: 'exportAllSitesParadata' },
];

/**
 * The panel's buttons in two rows: the site's files, then every site's for a user who sees
 * several sites (`allSites`), else none.
 */
export function exportButtons(allSites: boolean): readonly (readonly ExportButton[])[] {
  return allSites ? [SITE_BUTTONS, EVERY_SITE_BUTTONS] : [SITE_BUTTONS];
}

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
      : // SPSS ends a row at every line break, even inside quotes: typed ones become spaces.
        { separator: 'comma', decimal: 'dot', linebreaks: 'space' }),
  };
  return new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
}

/**
 * The files the server exports: completed interviews, screen-outs, the codebook, interviews broken
 * off after consent (partial records, never in the interviews file), the paradata (one row per
 * item asked: seconds on it, languages of the record), each site's quota margins with the
 * weights' figures, and the scripts that load the interviews' file labelled in R, Stata and SPSS.
 */
export type ExportFile =
  | 'interviews'
  | 'screen-outs'
  | 'codebook'
  | 'break-offs'
  | 'paradata'
  | 'margins'
  | 'script-r'
  | 'script-stata'
  | 'script-spss';

/** Each file's name on the server's routes (and, dated, on the analyst's disk). */
const FILES: Readonly<Record<ExportFile, { readonly name: string; readonly extension: string }>> = {
  interviews: { name: 'interviews', extension: 'csv' },
  'screen-outs': { name: 'screen-outs', extension: 'csv' },
  codebook: { name: 'codebook', extension: 'csv' },
  'break-offs': { name: 'break-offs', extension: 'csv' },
  paradata: { name: 'paradata', extension: 'csv' },
  margins: { name: 'margins', extension: 'csv' },
  'script-r': { name: 'interviews', extension: 'R' },
  'script-stata': { name: 'interviews', extension: 'do' },
  'script-spss': { name: 'interviews', extension: 'sps' },
};

/** Whether a file is a script: scripts read the codes export and label it themselves. */
export function isScript(what: ExportFile): boolean {
  return what.startsWith('script-');
}

/** The route of one file: a site's, or every site's (`site` undefined; no site in the codebook). */
export function exportPath(
  what: ExportFile,
  site: string | undefined,
  choices: ExportChoices,
): string {
  const scope =
    site === undefined || what === 'codebook' ? '' : `/sites/${encodeURIComponent(site)}`;
  const { name, extension } = FILES[what];
  const query = exportQuery(isScript(what) ? { ...choices, values: 'codes' } : choices);
  return `${scope}/export/${name}.${extension}?${query}`;
}

/**
 * The name the file is saved under: the server's own (`smpg_lille_interviews_2026-12-07.csv`),
 * which the scripts expect of the interviews' file of the same scope and day.
 */
export function exportFileName(
  what: ExportFile,
  questionnaire: string,
  site: string | undefined,
  date: string,
): string {
  const { name, extension } = FILES[what];
  const scope = what === 'codebook' ? '' : `_${site ?? 'all-sites'}`;
  return `${questionnaire}${scope}_${name}_${date}.${extension}`;
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
  | 'exportAllSitesParadata'
  | 'exportMargins'
  | 'exportAllSitesMargins'
  | 'exportScriptR'
  | 'exportScriptStata'
  | 'exportScriptSpss';

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
  { what: 'margins', everySite: false, label: 'exportMargins' },
];

const SCRIPT_BUTTONS: readonly ExportButton[] = [
  { what: 'script-r', everySite: false, label: 'exportScriptR' },
  { what: 'script-stata', everySite: false, label: 'exportScriptStata' },
  { what: 'script-spss', everySite: false, label: 'exportScriptSpss' },
];

const EVERY_SITE_BUTTONS: readonly ExportButton[] = [
  { what: 'interviews', everySite: true, label: 'exportAllSites' },
  { what: 'break-offs', everySite: true, label: 'exportAllSitesBreakOffs' },
  { what: 'paradata', everySite: true, label: 'exportAllSitesParadata' },
  { what: 'margins', everySite: true, label: 'exportAllSitesMargins' },
];

const EVERY_SITE_SCRIPT_BUTTONS: readonly ExportButton[] = SCRIPT_BUTTONS.map((button) => ({
  ...button,
  everySite: true,
}));

/**
 * The panel's buttons in rows: the site's files and the scripts for its interviews' file, then
 * every site's for a user who sees several sites (`allSites`).
 */
export function exportButtons(allSites: boolean): readonly (readonly ExportButton[])[] {
  return allSites
    ? [SITE_BUTTONS, SCRIPT_BUTTONS, EVERY_SITE_BUTTONS, EVERY_SITE_SCRIPT_BUTTONS]
    : [SITE_BUTTONS, SCRIPT_BUTTONS];
}

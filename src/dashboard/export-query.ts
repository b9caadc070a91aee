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

/** The route of one file: a site's, or every site's (`site` undefined; no site in the codebook). */
export function exportPath(
  what: 'interviews' | 'screen-outs' | 'codebook',
  site: string | undefined,
  choices: ExportChoices,
): string {
  const scope =
    site === undefined || what === 'codebook' ? '' : `/sites/${encodeURIComponent(site)}`;
  return `${scope}/export/${what}.csv?${exportQuery(choices)}`;
}

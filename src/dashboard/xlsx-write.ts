// .xlsx bytes written in the dashboard's page (the translation sheet). Not write-excel-file, the
// scripts' writer: it zips with fflate, which deflates every part over 160 KB in a worker made
// from a blob: URL, and the server's Content-Security-Policy (worker-src 'self') refuses that
// worker, so the file would never come (SMPG's sheet with a translation holds ~190 KB of text).
// Here each cell is an inline string and the parts are zipped by fflate's synchronous zipSync, in
// the page's own thread: no worker, and every spreadsheet program opens it as any .xlsx.
import { zipSync } from 'fflate';
import type { Workbook } from '../core/xlsform/index.ts';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** How a sheet is laid out: its columns' widths (in characters); the first row is frozen and bold. */
export interface SheetLayout {
  readonly widths?: readonly number[];
}

/** Text as XML character data: escaped, and without the control characters XML 1.0 forbids. */
function xmlText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- those very characters are what is removed
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/** A column's letters from its index from 0 (0 -> A, 26 -> AA). */
function letters(index: number): string {
  let out = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  }
  return out;
}

function sheetXml(rows: readonly (readonly string[])[], layout: SheetLayout): string {
  const cols = (layout.widths ?? [])
    .map((width, i) => `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`)
    .join('');
  const data = rows
    .map((cells, r) => {
      const style = r === 0 ? 1 : 2;
      const filled = cells
        .map((value, c) =>
          value === ''
            ? ''
            : `<c r="${letters(c)}${r + 1}" s="${style}" t="inlineStr"><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`,
        )
        .join('');
      return `<row r="${r + 1}">${filled}</row>`;
    })
    .join('');
  return (
    `${XML}<worksheet xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}">` +
    '<sheetViews><sheetView workbookViewId="0">' +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>' +
    (cols === '' ? '' : `<cols>${cols}</cols>`) +
    `<sheetData>${data}</sheetData></worksheet>`
  );
}

// Three cell formats: the default, the headers in bold, the texts wrapped and aligned at the top
// (a translator reads whole sentences).
const STYLES =
  `${XML}<styleSheet xmlns="${MAIN}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill>' +
  '<fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">' +
  '<alignment vertical="top" wrapText="1"/></xf></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** The parts of the .xlsx package, by path. */
function parts(
  workbook: Workbook,
  layouts: Readonly<Record<string, SheetLayout>>,
): [string, string][] {
  const names = Object.keys(workbook);
  const sheets = names.map(
    (name, i) => `<sheet name="${xmlText(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
  );
  const sheetRels = names.map(
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  const sheetTypes = names.map(
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
  );
  return [
    [
      '[Content_Types].xml',
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        `${sheetTypes.join('')}</Types>`,
    ],
    [
      '_rels/.rels',
      `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">` +
        `<Relationship Id="rId1" Type="${RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>` +
        '</Relationships>',
    ],
    [
      'xl/workbook.xml',
      `${XML}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets>${sheets.join('')}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${XML}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">${sheetRels.join('')}` +
        `<Relationship Id="rId${names.length + 1}" Type="${RELATIONSHIPS}/styles" Target="styles.xml"/>` +
        '</Relationships>',
    ],
    ['xl/styles.xml', STYLES],
    ...names.map((name, i): [string, string] => [
      `xl/worksheets/sheet${i + 1}.xml`,
      sheetXml(workbook[name] ?? [], layouts[name] ?? {}),
    ]),
  ];
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The workbook as .xlsx bytes: every cell text, the first row of each sheet bold and frozen. */
export function xlsxBytes(
  workbook: Workbook,
  layouts: Readonly<Record<string, SheetLayout>> = {},
): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const files = Object.fromEntries(
    parts(workbook, layouts).map(([path, xml]) => [path, encoder.encode(xml)]),
  );
  // fflate's synchronous zip deflates in this thread: no worker for the CSP to refuse.
  return zipSync(files, { level: 6 }) as Uint8Array<ArrayBuffer>;
}

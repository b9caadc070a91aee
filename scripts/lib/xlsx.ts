// .xlsx bytes to and from the XLSForm conversion's workbook (src/core/xlsform). Read with
// read-excel-file and written with write-excel-file: both maintained, small, with no dependency
// on the `xlsx` package of npm (SheetJS's last release there, 0.18.5, is unpatched; its newer
// releases are published only on SheetJS's own server, which this project cannot reach).
import readXlsxFile from 'read-excel-file/universal';
import writeXlsxFile from 'write-excel-file/universal';
import type { Workbook } from '../../src/core/xlsform/index.ts';
import { workbookFromSheets } from '../../src/core/xlsform/index.ts';

/** Every sheet of an .xlsx file, as text. */
export async function readWorkbook(bytes: ArrayBuffer | Uint8Array): Promise<Workbook> {
  const buffer =
    bytes instanceof Uint8Array
      ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
      : bytes;
  return workbookFromSheets(await readXlsxFile(buffer as ArrayBuffer));
}

/** The workbook as .xlsx bytes, every cell as text (a code `01` stays `01`), headers frozen. */
export async function writeWorkbook(workbook: Workbook): Promise<Uint8Array> {
  const sheets = Object.entries(workbook).map(([name, rows]) => ({
    sheet: name,
    stickyRowsCount: 1,
    data: rows.map((row, i) =>
      row.map((value) => ({
        value,
        type: String,
        ...(i === 0 ? { fontWeight: 'bold' as const } : {}),
      })),
    ),
  }));
  const blob = await writeXlsxFile(sheets).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

// Reads an XLSForm workbook in the browser, loaded on demand (its name keeps the chunk out of the
// tablets' precache, as every `dashboard-*` asset). read-excel-file's `/universal` entry, not its
// `/browser` one: the latter parses in workers made from blob: URLs, which the server's
// Content-Security-Policy (worker-src 'self') refuses; `/universal` parses in the page, except
// that its unzipper (fflate) still inflates a file of the archive over 512 KB in such a worker.
import readXlsxFile from 'read-excel-file/universal';
import { fromXlsForm, workbookFromSheets } from '../core/xlsform/index.ts';
import type { Workbook } from '../core/xlsform/index.ts';
import type { XlsFormReading } from './xlsform-upload.ts';

/** A workbook whose unzipping needed a worker that the page's Content-Security-Policy refused. */
export class WorkbookTooLargeError extends Error {}

/**
 * `work`, or a WorkbookTooLargeError as soon as the page's policy blocks a worker meanwhile: the
 * blocked worker never answers, and the reading would wait for ever.
 */
function unlessWorkerBlocked<T>(work: Promise<T>): Promise<T> {
  if (typeof document === 'undefined') return work;
  return new Promise<T>((resolve, reject) => {
    const blocked = (event: SecurityPolicyViolationEvent) => {
      if (event.effectiveDirective === 'worker-src')
        reject(new WorkbookTooLargeError('a worker was refused by the Content-Security-Policy'));
    };
    document.addEventListener('securitypolicyviolation', blocked);
    work
      .then(resolve, reject)
      .finally(() => document.removeEventListener('securitypolicyviolation', blocked));
  });
}

/** Every sheet of an .xlsx file (a File from an input, or its bytes), as text. */
export async function readXlsxWorkbook(input: Blob | ArrayBuffer): Promise<Workbook> {
  return workbookFromSheets(await unlessWorkerBlocked(readXlsxFile(input)));
}

/**
 * The file read and converted; `fileName` gives the questionnaire's id when the settings sheet
 * has no form_id, as the command line does (`smpg.xlsx` -> `smpg`).
 */
export async function readXlsFormFile(
  input: Blob | ArrayBuffer,
  fileName: string,
): Promise<XlsFormReading> {
  let workbook: Workbook;
  try {
    workbook = await readXlsxWorkbook(input);
  } catch (error) {
    if (error instanceof WorkbookTooLargeError) return { status: 'too_large' };
    return {
      status: 'unreadable',
      problem: error instanceof Error ? error.message : String(error),
    };
  }
  const result = fromXlsForm(workbook, {
    id: fileName.replace(/\.xlsx$/i, '').toLowerCase(),
  });
  return {
    status: 'read',
    issues: result.issues,
    ...(result.definition === undefined ? {} : { definition: result.definition }),
  };
}

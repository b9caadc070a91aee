// The open drafts a tablet reports when it asks for its site's quota state: interviews under way
// that have passed the quota questions, so that re-pooling never takes their cells' shares away.
// One compact text both sides share (a query parameter of `GET /sites/:site/quota`).

/** An interviewer's code as the app takes it (letters, digits, `-`, `_`): never free text. */
export const INTERVIEWER_CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** Most open drafts one report holds (a tablet sends its most recent ones). */
export const MAX_OPEN_DRAFTS = 20;
/** Most cells one draft falls in (one per table of the plan). */
export const MAX_OPEN_DRAFT_CELLS = 20;
/** Most characters of a report, so that the request line stays well within proxies' limits. */
export const MAX_OPEN_DRAFTS_LENGTH = 2000;
/**
 * A draft untouched for this long is not reported by the tablet, and a report is forgotten by the
 * server after it: an interview is never that long, so it is left, not under way.
 */
export const OPEN_DRAFT_HOURS = 6;

/** One interview under way: its interviewer and the cells (`table/key`, e.g. `sex_age/F|18-24`). */
export interface OpenDraft {
  readonly interviewer: string;
  readonly cells: readonly string[];
}

/** A cell as `table/key`: a plan's table id, then its cell key (codes joined by `|`). */
const CELL = /^[A-Za-z_][A-Za-z0-9_]{0,99}\/[A-Za-z0-9_.+|-]{1,200}$/;

/**
 * The report's text: `ENQ01:sex_age/F|18-24,csp/3;ENQ02:...` (`:`, `,`, `;` and `/` never occur in
 * interviewer codes, table ids or category codes). Drafts are taken in the order given, as many as
 * fit the limits; a draft without a cell is left out.
 */
export function encodeOpenDrafts(drafts: readonly OpenDraft[]): string {
  const parts: string[] = [];
  let length = 0;
  for (const draft of drafts) {
    if (parts.length >= MAX_OPEN_DRAFTS) break;
    const cells = draft.cells.filter((cell) => CELL.test(cell)).slice(0, MAX_OPEN_DRAFT_CELLS);
    if (cells.length === 0 || !INTERVIEWER_CODE.test(draft.interviewer)) continue;
    const part = `${draft.interviewer}:${cells.join(',')}`;
    const added = part.length + (parts.length > 0 ? 1 : 0);
    if (length + added > MAX_OPEN_DRAFTS_LENGTH) break;
    parts.push(part);
    length += added;
  }
  return parts.join(';');
}

export type OpenDraftsParse =
  | { readonly ok: true; readonly drafts: OpenDraft[] }
  | { readonly ok: false; readonly message: string };

/**
 * Reads a report (the query parameter's value: undefined or '' is a report of none). Checks the
 * form only: the limits, interviewer codes, cells shaped `table/key`, one cell per table in a draft.
 * Whether the cells are the plan's is the server's business (the plan may have changed since the
 * tablet received it).
 */
export function parseOpenDrafts(value: unknown): OpenDraftsParse {
  if (value === undefined || value === '') return { ok: true, drafts: [] };
  if (typeof value !== 'string')
    return { ok: false, message: 'drafts: give the parameter once, as text' };
  if (value.length > MAX_OPEN_DRAFTS_LENGTH)
    return { ok: false, message: `drafts: at most ${MAX_OPEN_DRAFTS_LENGTH} characters` };
  const parts = value.split(';');
  if (parts.length > MAX_OPEN_DRAFTS)
    return { ok: false, message: `drafts: at most ${MAX_OPEN_DRAFTS} drafts` };
  const drafts: OpenDraft[] = [];
  for (const [index, part] of parts.entries()) {
    const colon = part.indexOf(':');
    const interviewer = colon < 0 ? '' : part.slice(0, colon);
    if (!INTERVIEWER_CODE.test(interviewer))
      return {
        ok: false,
        message: `drafts[${index}]: expected <interviewer code>:<table>/<cell key>,...`,
      };
    const cells = part.slice(colon + 1).split(',');
    if (cells.length > MAX_OPEN_DRAFT_CELLS)
      return { ok: false, message: `drafts[${index}]: at most ${MAX_OPEN_DRAFT_CELLS} cells` };
    const tables = new Set<string>();
    for (const cell of cells) {
      if (!CELL.test(cell))
        return {
          ok: false,
          message: `drafts[${index}]: ${JSON.stringify(cell.slice(0, 60))} is not a cell <table>/<key>`,
        };
      const table = cell.slice(0, cell.indexOf('/'));
      if (tables.has(table))
        return { ok: false, message: `drafts[${index}]: two cells of table ${table}` };
      tables.add(table);
    }
    drafts.push({ interviewer, cells });
  }
  return { ok: true, drafts };
}

// Census files and plan files as the coordinator uploads them, before src/core/quota reads them:
// bytes decoded to text (INSEE's files are UTF-8, but a file saved again by Excel in France is
// windows-1252), the zones the files list, the codes typed by hand, a plan JSON checked.
import type { QuotaIssue, QuotaPlan } from '../core/quota/index.ts';
import type { CensusFileInfo, CensusZone } from '../core/quota/census-files.ts';
import { loadQuotaPlan } from '../core/quota/index.ts';
import { typedCodes } from './allocations.ts';

export type TextEncoding = 'utf-8' | 'windows-1252';

/**
 * The file's text: UTF-8 when its bytes are valid UTF-8 (a byte-order mark dropped), otherwise
 * windows-1252, which decodes every byte (so a wrong guess shows odd letters, never fails).
 */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const text = new TextDecoder('windows-1252')
      .decode(bytes)
      // Some decoders (Node 20's) read windows-1252 as latin-1, leaving 0x80-0x9F as controls.
      .replace(
        /[\u0080-\u009f]/g,
        (control) => CP1252_HIGH[control.charCodeAt(0) - 0x80] ?? control,
      );
    return { text, encoding: 'windows-1252' };
  }
}

/** windows-1252's characters for the bytes 0x80 to 0x9F (the five unassigned ones kept). */
const CP1252_HIGH = [
  '€',
  '\u0081',
  '‚',
  'ƒ',
  '„',
  '…',
  '†',
  '‡',
  'ˆ',
  '‰',
  'Š',
  '‹',
  'Œ',
  '\u008d',
  'Ž',
  '\u008f',
  '\u0090',
  '‘',
  '’',
  '“',
  '”',
  '•',
  '–',
  '—',
  '˜',
  '™',
  'š',
  '›',
  'œ',
  '\u009d',
  'ž',
  'Ÿ',
];

/** Every zone the files list, each code once (the first file naming it gives its name), sorted. */
export function zonesOf(files: readonly CensusFileInfo[]): CensusZone[] {
  const byCode = new Map<string, CensusZone>();
  for (const file of files)
    for (const zone of file.zones) if (!byCode.has(zone.code)) byCode.set(zone.code, zone);
  return [...byCode.values()].sort(
    (a, b) => a.commune.localeCompare(b.commune) || a.code.localeCompare(b.code),
  );
}

/** The zones whose code, name or commune contains `search` (case and accents ignored). */
export function matchingZones(zones: readonly CensusZone[], search: string): CensusZone[] {
  const fold = (value: string) =>
    value
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  const wanted = fold(search.trim());
  if (wanted === '') return [...zones];
  return zones.filter((zone) =>
    [zone.code, zone.name, zone.commune].some((value) => fold(value).includes(wanted)),
  );
}

/** The zone to send: the ticked codes, then the commune or IRIS codes typed, each once. */
export function chosenZone(ticked: readonly string[], typed: string): string[] {
  return [...new Set([...ticked, ...typedCodes(typed)])];
}

/**
 * A plan file made by `npm run quota:plan`: the plan, checked as the server will check it, or
 * why it cannot be sent (not JSON, the plan's own issues, another site's plan).
 */
export function readPlanFile(
  text: string,
  site: string,
):
  | { readonly plan: QuotaPlan }
  | { readonly problem: 'json' }
  | { readonly problem: 'invalid'; readonly issues: readonly QuotaIssue[] }
  | { readonly problem: 'site'; readonly site: string } {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return { problem: 'json' };
  }
  const checked = loadQuotaPlan(json);
  if (checked.status === 'failure') return { problem: 'invalid', issues: checked.issues };
  if (checked.plan.site !== site) return { problem: 'site', site: checked.plan.site };
  return { plan: checked.plan };
}

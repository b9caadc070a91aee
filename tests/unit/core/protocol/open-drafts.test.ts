// The open drafts' report a tablet sends with its quota state request (src/core/protocol/
// open-drafts.ts): what the tablet writes, the server reads back, and what the server refuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpenDraft } from '../../../../src/core/protocol/index.ts';
import {
  MAX_OPEN_DRAFTS,
  MAX_OPEN_DRAFTS_LENGTH,
  encodeOpenDrafts,
  parseOpenDrafts,
} from '../../../../src/core/protocol/index.ts';

const drafts: OpenDraft[] = [
  { interviewer: 'ENQ01', cells: ['sex_age/F|18-24', 'csp/3'] },
  { interviewer: 'enq-2_b', cells: ['sex_age/H|65+', 'csp/8.1'] },
];

describe('open drafts report', () => {
  it('reads back what the tablet writes', () => {
    const text = encodeOpenDrafts(drafts);
    expect(text).toBe('ENQ01:sex_age/F|18-24,csp/3;enq-2_b:sex_age/H|65+,csp/8.1');
    expect(parseOpenDrafts(text)).toEqual({ ok: true, drafts });
  });

  it('reads no parameter, or an empty one, as no draft open', () => {
    expect(parseOpenDrafts(undefined)).toEqual({ ok: true, drafts: [] });
    expect(parseOpenDrafts('')).toEqual({ ok: true, drafts: [] });
    expect(encodeOpenDrafts([])).toBe('');
  });

  it.each([
    ['a parameter given twice', ['ENQ01:t/a', 'ENQ01:t/b']],
    ['no interviewer', ':t/a'],
    ['no colon', 'ENQ01'],
    ['an interviewer that is not a code', 'Jean Dupont:t/a'],
    ['an interviewer too long', `${'E'.repeat(33)}:t/a`],
    ['a cell without its table', 'ENQ01:a'],
    ['an empty cell', 'ENQ01:t/a,'],
    ['a table id that is not a name', 'ENQ01:1t/a'],
    ['a key with a forbidden character', 'ENQ01:t/a b'],
    ['two cells of one table', 'ENQ01:t/a,t/b'],
    ['too many drafts', Array.from({ length: MAX_OPEN_DRAFTS + 1 }, () => 'E:t/a').join(';')],
    ['too long', `E:t/${'a'.repeat(MAX_OPEN_DRAFTS_LENGTH)}`],
    ['an object', { ENQ01: 't/a' }],
  ])('refuses %s', (_, value) => {
    const parsed = parseOpenDrafts(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^drafts/);
  });

  it('writes at most the limits, most recent first, and leaves out what could not be read', () => {
    const many = Array.from({ length: MAX_OPEN_DRAFTS + 5 }, (_, i) => ({
      interviewer: `E${i}`,
      cells: ['t/a'],
    }));
    const parsed = parseOpenDrafts(encodeOpenDrafts(many));
    expect(parsed.ok && parsed.drafts.map((draft) => draft.interviewer)).toEqual(
      many.slice(0, MAX_OPEN_DRAFTS).map((draft) => draft.interviewer),
    );
    const odd = encodeOpenDrafts([
      { interviewer: 'Jean Dupont', cells: ['t/a'] },
      { interviewer: 'E1', cells: [] },
      { interviewer: 'E2', cells: ['t/a', 'not a cell'] },
    ]);
    expect(odd).toBe('E2:t/a');
  });

  it('never writes what it cannot read back, whatever the drafts', () => {
    const code = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
    const cell = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/),
        fc.stringMatching(/^[A-Za-z0-9_.+|-]{1,30}$/),
      )
      .map(([table, key]) => `${table}/${key}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            interviewer: code,
            cells: fc.uniqueArray(cell, { maxLength: 4, selector: (c) => c.split('/')[0] }),
          }),
          { maxLength: 40 },
        ),
        (given) => {
          const text = encodeOpenDrafts(given);
          expect(text.length).toBeLessThanOrEqual(MAX_OPEN_DRAFTS_LENGTH);
          const parsed = parseOpenDrafts(text);
          expect(parsed.ok).toBe(true);
          const kept = given.filter((draft) => draft.cells.length > 0);
          if (parsed.ok) expect(parsed.drafts).toEqual(kept.slice(0, parsed.drafts.length));
        },
      ),
      { numRuns: 200 },
    );
  });
});

// A full `npm run bench` rewrites the results block of docs/performance.md: the block must be there
// for it to find, and rewriting it must leave the rest of the document as it was.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Results } from '../../../bench/lib/report.ts';
import { RESULTS_END, RESULTS_START, withResults } from '../../../bench/lib/report.ts';

const DOC = 'docs/performance.md';
const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results;

describe('the results block of docs/performance.md', () => {
  it('is found and replaced, the text around it kept', () => {
    const doc = readFileSync(DOC, 'utf8');
    const changed = { ...results, ranAt: '2031-05-06T07:08:09.000Z' };
    const written = withResults(doc, changed);
    expect(written).toBeDefined();
    const before = doc.slice(0, doc.indexOf(RESULTS_START));
    const after = doc.slice(doc.indexOf(RESULTS_END));
    expect(written?.startsWith(before + RESULTS_START)).toBe(true);
    expect(written?.endsWith(after)).toBe(true);
    expect(written).toContain('Last run: 2031-05-06,');
    expect(written?.split(RESULTS_START)).toHaveLength(2);
  });

  it('is left alone, and said missing, when its markers are not there', () => {
    expect(withResults('# Performance\n\nNo block.\n', results)).toBeUndefined();
  });
});

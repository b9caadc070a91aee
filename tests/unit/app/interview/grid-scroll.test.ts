// Which grid row comes into view after a tap, and how far the page scrolls for it: the next row
// without an answer, brought whole between the sticky header and the Back/Next bar.
import { describe, expect, it } from 'vitest';
import {
  SCROLL_MARGIN_PX,
  nextUnansweredRow,
  scrollBehaviour,
  scrollDelta,
} from '../../../../src/app/interview/grid-scroll.ts';

const ROWS = ['a', 'b', 'c', 'd'];

describe('nextUnansweredRow', () => {
  it('takes the first row after the one answered that has no answer yet', () => {
    const answered = new Set(['a', 'b']);
    expect(nextUnansweredRow(ROWS, 'a', (id) => answered.has(id))).toBe('c');
    expect(nextUnansweredRow(ROWS, 'c', (id) => answered.has(id))).toBe('d');
  });

  it('never goes back up, and stops after the last row', () => {
    expect(nextUnansweredRow(ROWS, 'c', (id) => id !== 'a')).toBeUndefined();
    expect(nextUnansweredRow(ROWS, 'd', () => false)).toBeUndefined();
    expect(nextUnansweredRow(ROWS, 'x', () => false)).toBeUndefined();
  });
});

describe('scrollDelta', () => {
  // What the header (60 px) and the buttons (from 700 px) leave of a 768 px screen.
  const band = { top: 60, bottom: 700 };

  it('does not move when the row shows whole', () => {
    expect(scrollDelta({ top: 60, bottom: 120 }, band, { top: 0, bottom: 60 })).toBe(0);
    expect(scrollDelta({ top: 600, bottom: 700 }, band)).toBe(0);
  });

  it('turns a page: the row answered goes to the top, the next one under it', () => {
    const answered = { top: 640, bottom: 690 };
    const target = { top: 690, bottom: 740 };
    const delta = scrollDelta(target, band, answered);
    expect(delta).toBe(640 - 60 - SCROLL_MARGIN_PX);
    expect(answered.top - delta).toBeGreaterThanOrEqual(band.top);
    expect(target.bottom - delta).toBeLessThanOrEqual(band.bottom);
  });

  it('puts the row at the top when it cannot show with the row answered', () => {
    const answered = { top: 100, bottom: 150 };
    const target = { top: 900, bottom: 960 };
    expect(scrollDelta(target, band, answered)).toBe(900 - 60 - SCROLL_MARGIN_PX);
    expect(scrollDelta(target, band)).toBe(900 - 60 - SCROLL_MARGIN_PX);
  });

  it('scrolls up to a row hidden under the header', () => {
    expect(scrollDelta({ top: 20, bottom: 80 }, band)).toBe(20 - 60 - SCROLL_MARGIN_PX);
  });
});

describe('scrollBehaviour', () => {
  it('animates, unless the system asks for less motion', () => {
    expect(scrollBehaviour(false)).toBe('smooth');
    expect(scrollBehaviour(true)).toBe('instant');
  });
});

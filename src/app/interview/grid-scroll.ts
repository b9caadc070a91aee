// After a tap on a grid's row, the next row to answer comes into view: which row, and how far to
// scroll for it, decided here without React or the DOM; `bringRowIntoView` applies it on the page.

/** The first row after `from`, in the grid's order, not answered yet; none after the last. */
export function nextUnansweredRow(
  rowIds: readonly string[],
  from: string,
  answered: (rowId: string) => boolean,
): string | undefined {
  const start = rowIds.indexOf(from);
  if (start < 0) return undefined;
  return rowIds.slice(start + 1).find((id) => !answered(id));
}

/** A vertical extent in the viewport's pixels. */
export interface Extent {
  readonly top: number;
  readonly bottom: number;
}

/** Space left between a row brought into view and the edge of what is visible. */
export const SCROLL_MARGIN_PX = 6;

/**
 * How far to scroll down (negative: up) so that `target` shows whole in `band` (the part of the
 * viewport the sticky header and the fixed buttons leave): 0 if it does already. Otherwise the
 * grid turns a page: the row just answered (`answered`) goes to the top of the band, the target
 * and the rows after it below, so that most taps need no scroll and the answered row stays in
 * sight; if both cannot show together, the target goes to the top.
 */
export function scrollDelta(target: Extent, band: Extent, answered?: Extent): number {
  if (target.top >= band.top && target.bottom <= band.bottom) return 0;
  const top = band.top + SCROLL_MARGIN_PX;
  if (answered !== undefined && answered.top <= target.top) {
    const delta = answered.top - top;
    if (target.bottom - delta <= band.bottom) return delta;
  }
  return target.top - top;
}

/** `smooth` unless the person asked their system for less motion. */
export function scrollBehaviour(reduceMotion: boolean): ScrollBehavior {
  return reduceMotion ? 'instant' : 'smooth';
}

/**
 * Scrolls the page so that the row `target` shows whole between the grid's sticky header (`head`,
 * if the grid has one) and the fixed navigation (`nav`), after the frame the tap's own changes go
 * to. Scrolling only: the focus stays on the choice tapped.
 */
export function bringRowIntoView(
  target: HTMLElement,
  answered: HTMLElement | undefined,
  head: HTMLElement | null,
  nav: HTMLElement | null,
): void {
  requestAnimationFrame(() => {
    if (!target.isConnected) return;
    const extent = (element: HTMLElement): Extent => {
      const box = element.getBoundingClientRect();
      return { top: box.top, bottom: box.bottom };
    };
    // The header sticks to the top of the viewport once the page scrolls past it.
    const band = {
      top: head?.offsetHeight ?? 0,
      bottom: nav?.getBoundingClientRect().top ?? window.innerHeight,
    };
    const delta = scrollDelta(
      extent(target),
      band,
      answered?.isConnected === true ? extent(answered) : undefined,
    );
    if (delta === 0) return;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    window.scrollBy({ top: delta, behavior: scrollBehaviour(reduce) });
  });
}

// The quota plan kept in the tablet's settings, read back: a module of its own so that the sync
// engine, loaded after the first screen, reads it without importing the whole quota session.
import type { QuotaPlan } from '../../core/quota/index.ts';
import { loadQuotaPlan } from '../../core/quota/index.ts';

/** The plan stored in the settings, if there is one and it is valid. */
export function planOf(stored: unknown): QuotaPlan | undefined {
  if (stored === undefined) return undefined;
  const result = loadQuotaPlan(stored);
  return result.status === 'success' ? result.plan : undefined;
}

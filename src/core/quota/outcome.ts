/** The screen-out id of a respondent turned away because a quota cell was full (set by the app). */
export const QUOTA_FULL_SCREEN_OUT = 'quota_full';

/**
 * How an ended interview counts in the quotas: `completed`, `quota_full` (a quota screen-out), or
 * not at all (other screen-outs, drafts, abandoned).
 */
export function quotaOutcome(
  status: string,
  screenOutId: string | null | undefined,
): 'completed' | 'quota_full' | undefined {
  if (status === 'completed') return 'completed';
  if (status === 'screened_out' && screenOutId === QUOTA_FULL_SCREEN_OUT) return 'quota_full';
  return undefined;
}

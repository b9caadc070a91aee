// What "Nouvel entretien" offers and allows, as plain rules: which installed questionnaires a
// tablet offers (a field tablet, its site's; the demo for practice or without a server), which one
// is chosen first, and whether a new interview may start at all (not on a revoked tablet).
import type { InstalledQuestionnaire } from './storage/index.ts';

/** The questionnaire shipped for trying the app and training (questionnaires/demo). */
export const DEMO_QUESTIONNAIRE = 'demo';

/** The study's questionnaire, chosen first when nothing says otherwise. */
const STUDY_QUESTIONNAIRE = 'smpg';

export interface StartingTablet {
  /** Enrolled with a server (a field tablet); false for a tablet used without one. */
  readonly enrolled: boolean;
  /** Practice mode: nothing started is counted or sent. */
  readonly practice: boolean;
  /**
   * The questionnaire the site's quota plan is for (`plan.questionnaire`, received with sync):
   * what the site's interviewers run. Undefined while the tablet has no plan.
   */
  readonly siteQuestionnaire: string | undefined;
}

/**
 * The questionnaires a new interview may use, of the newest installed versions. Every one on a
 * tablet without a server (demonstration and training) and in practice mode. A field tablet offers
 * its site's: the one its site's plan is for, and, before the plan has come, every one but the demo
 * (the server publishes every version to every site, and the app ships the demo: neither says
 * which the site runs, the plan does).
 */
export function offeredQuestionnaires(
  newest: readonly InstalledQuestionnaire[],
  tablet: StartingTablet,
): InstalledQuestionnaire[] {
  if (!tablet.enrolled || tablet.practice) return [...newest];
  const site = tablet.siteQuestionnaire;
  return newest.filter((entry) =>
    site === undefined
      ? entry.questionnaireId !== DEMO_QUESTIONNAIRE
      : entry.questionnaireId === site,
  );
}

/** The questionnaire selected: the one chosen if offered, else the site's, else SMPG, else the first. */
export function selectedQuestionnaire(
  offered: readonly InstalledQuestionnaire[],
  chosen: string | undefined,
  siteQuestionnaire: string | undefined,
): InstalledQuestionnaire | undefined {
  for (const id of [chosen, siteQuestionnaire, STUDY_QUESTIONNAIRE]) {
    const found = offered.find((entry) => entry.questionnaireId === id);
    if (found !== undefined) return found;
  }
  return offered[0];
}

/**
 * Why a new interview may not start, or undefined. `revoked`: the server refused the tablet's
 * token, so nothing made on it can be sent until the tablet is enrolled again. This blocks rather
 * than asks for confirmation: a revoked tablet is one the coordinator has taken out of the survey
 * (lost, stolen, given to someone else), the interviewer could not promise the respondent that the
 * answers will reach the study, and the remedy (a new code, by phone) is at hand, since the tablet
 * learnt of the revocation from the server a moment ago. Practice interviews, never sent, may start.
 */
export function startRefusal(
  tablet: Pick<StartingTablet, 'practice'> & { readonly blocked: string | undefined },
): 'revoked' | undefined {
  return tablet.blocked !== undefined && !tablet.practice ? 'revoked' : undefined;
}

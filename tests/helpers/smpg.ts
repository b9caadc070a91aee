// The shipped SMPG questionnaire, loaded as the app and the server load it, for tests that need it
// ready (tests of the definition itself read its load issues: tests/unit/questionnaires/smpg*.ts).
import { readFileSync } from 'node:fs';
import type { Questionnaire } from '../../src/core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../src/core/questionnaire/index.ts';

/** The SMPG versions in questionnaires/smpg/, oldest first. */
export const SMPG_VERSIONS = ['2026.1', '2026.2'] as const;
export type SmpgVersion = (typeof SMPG_VERSIONS)[number];

export function loadSmpg(version: SmpgVersion = '2026.1'): Questionnaire {
  const loaded = loadQuestionnaire(
    JSON.parse(readFileSync(`questionnaires/smpg/${version}.json`, 'utf8')) as unknown,
  );
  if (loaded.status === 'failure')
    throw new Error(`the SMPG questionnaire ${version} does not load`);
  return loaded.questionnaire;
}

// The shipped SMPG questionnaire, loaded as the app and the server load it, for tests that need it
// ready (tests of the definition itself read its load issues: tests/unit/questionnaires/smpg.test.ts).
import { readFileSync } from 'node:fs';
import type { Questionnaire } from '../../src/core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../src/core/questionnaire/index.ts';

export function loadSmpg(): Questionnaire {
  const loaded = loadQuestionnaire(
    JSON.parse(readFileSync('questionnaires/smpg/2026.1.json', 'utf8')) as unknown,
  );
  if (loaded.status === 'failure') throw new Error('the SMPG questionnaire does not load');
  return loaded.questionnaire;
}

// The coordinator's export of screen-outs: who was turned away, why, in which quota cell, when.
import type { InterviewRecordWire } from '../protocol/index.ts';
import type { LocalizedText, Questionnaire } from '../questionnaire/index.ts';
import { QUOTA_FULL_SCREEN_OUT } from '../quota/index.ts';
import type { FormulaMode } from './formulas.ts';
import { neutralised } from './formulas.ts';

const QUOTA_FULL_LABEL: LocalizedText = {
  fr: 'Quota plein',
  en: 'Quota full',
};

/** The header: fixed columns, then one `quota_<variable>` column per quota variable given. */
export function screenOutHeader(quotaVariables: readonly string[]): string[] {
  return [
    'interview_id',
    'questionnaire_version',
    'site',
    'interviewer',
    'device',
    'pickup_point',
    'reason',
    'reason_label',
    ...quotaVariables.map((variable) => `quota_${variable}`),
    'started_at',
    'ended_at',
    'language',
  ];
}

/**
 * One screen-out as a row. `questionnaires` gives the reasons' labels (by version); the quota
 * categories are the respondent's, as the device recorded them (the cells they fall in). Every
 * cell is text: with `formulas` `escaped` (the default) one that starts like a formula gets a `'`.
 */
export function screenOutRow(
  record: InterviewRecordWire,
  quotaVariables: readonly string[],
  questionnaires: ReadonlyMap<string, Questionnaire>,
  language: string,
  formulas: FormulaMode = 'escaped',
): string[] {
  const reason = record.screenOutId ?? '';
  const declared = questionnaires
    .get(record.questionnaireVersion)
    ?.screenOuts.find(({ screenOut }) => screenOut.id === reason)?.screenOut.label;
  const label = reason === QUOTA_FULL_SCREEN_OUT ? QUOTA_FULL_LABEL : declared;
  const row = [
    record.id,
    record.questionnaireVersion,
    record.site,
    record.interviewer,
    record.deviceId,
    record.pickupPoint ?? '',
    reason,
    label === undefined ? '' : (label[language] ?? Object.values(label)[0] ?? ''),
    ...quotaVariables.map((variable) => record.quotaCategories[variable] ?? ''),
    record.startedAt,
    record.endedAt,
    record.language,
  ];
  return formulas === 'raw' ? row : row.map(neutralised);
}

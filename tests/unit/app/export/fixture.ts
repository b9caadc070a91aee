// What the device-export tests put on a tablet: interviews of the demo questionnaire, ended on
// 2026-11-23, forty minutes after they started.
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';

export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Interview `n` (its id `uuid(n)`), started at `hour`:00 and ended at `hour`:40. */
export function demoInterview(
  n: number,
  hour: string,
  extra: Partial<InterviewRecord> = {},
): InterviewRecord {
  return {
    id: uuid(n),
    questionnaireId: 'demo',
    questionnaireVersion: '1',
    site: 'lille',
    interviewer: 'ENQ-01',
    deviceId: 'tablet-1',
    status: 'completed',
    practice: false,
    position: 'review',
    language: 'fr',
    appVersion: 'test',
    startedAt: `2026-11-23T${hour}:00:00.000Z`,
    updatedAt: `2026-11-23T${hour}:40:00.000Z`,
    endedAt: `2026-11-23T${hour}:40:00.000Z`,
    ...extra,
  };
}

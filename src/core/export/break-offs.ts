// The break-offs' file: interviews stopped after consent, kept out of the interviews' file (their
// answers stop at the break), each with the interviews' columns and where and why it stopped.
import type { BreakOff, InterviewRecordWire } from '../protocol/index.ts';
import type { LocalizedText } from '../questionnaire/index.ts';
import { neutralised } from './formulas.ts';
import type { ExportLayout } from './layout.ts';
import type { ExportOptions } from './rows.ts';
import { exportHeader, exportRow } from './rows.ts';

/** The columns a break-off adds after the interviews' columns. */
export const BREAK_OFF_COLUMNS = ['break_off_reason', 'break_off_item', 'break_off_at'] as const;

/** Each reason's label, for `values: labels` and the codebook. */
export const BREAK_OFF_REASON_LABELS: Readonly<Record<BreakOff['reason'], LocalizedText>> = {
  respondent_stopped: { fr: 'La personne a arrêté', en: 'The respondent stopped' },
  respondent_unwell: { fr: 'La personne ne se sentait pas bien', en: 'The respondent felt unwell' },
  interviewer_stopped: { fr: "L'enquêteur·rice a arrêté", en: 'The interviewer stopped' },
  interrupted: { fr: 'Entretien interrompu', en: 'Interrupted' },
  other: { fr: 'Autre raison', en: 'Other reason' },
};

export function breakOffHeader(layout: ExportLayout): string[] {
  return [...exportHeader(layout), ...BREAK_OFF_COLUMNS];
}

/**
 * One broken-off interview: its row as the interviews' file would write it (the questions after
 * the break are empty, as not asked), then the reason (its code, or its label), the last item
 * shown and when it stopped. A record without a break-off leaves the three cells empty.
 */
export function breakOffRow(
  layout: ExportLayout,
  record: InterviewRecordWire,
  options: ExportOptions = {},
): string[] {
  const row = exportRow(layout, record, options);
  const { breakOff } = record;
  if (breakOff === undefined) return [...row, '', '', ''];
  const language =
    options.language ??
    layout.byVersion.get(record.questionnaireVersion)?.definition.defaultLanguage;
  const label = BREAK_OFF_REASON_LABELS[breakOff.reason];
  // A reason is a code of the wire's list and an item id a name: neither can start a formula.
  const reason =
    options.values === 'labels'
      ? (label[language ?? 'fr'] ?? label['en'] ?? breakOff.reason)
      : breakOff.reason;
  return [
    ...row,
    options.formulas === 'raw' ? reason : neutralised(reason),
    breakOff.itemId,
    breakOff.at,
  ];
}

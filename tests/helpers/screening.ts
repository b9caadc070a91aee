// A small questionnaire for the server's integration tests of break-offs, alerts and quality
// figures: consent, then two screening questions (`dep_screen1`, `dep_screen2`), a follow-up and a
// mood question; each test adds what it needs (items at the start, alerts).
import type { Questionnaire } from '../../src/core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../src/core/questionnaire/index.ts';

/** A yes/no question, required. */
export const single = (id: string, more: Record<string, unknown> = {}) => ({
  id,
  type: 'single',
  label: { fr: id, en: id },
  choices: 'yes_no',
  required: true,
  ...more,
});

/** The definition: `consent` (with `consent`'s extra properties) and `start`'s other items first. */
export function screeningDefinition(
  options: {
    readonly consent?: Record<string, unknown>;
    readonly start?: readonly unknown[];
    readonly alerts?: readonly unknown[];
  } = {},
) {
  return {
    id: 'screening',
    version: '1',
    title: { fr: 'Dépistage', en: 'Screening' },
    languages: ['fr', 'en'],
    defaultLanguage: 'fr',
    nonResponse: {
      dontKnow: { code: -8, label: { fr: 'Ne sait pas', en: "Don't know" } },
      refused: { code: -9, label: { fr: 'Refus', en: 'Refused' } },
    },
    choiceLists: {
      yes_no: [
        { code: '1', label: { fr: 'Oui', en: 'Yes' } },
        { code: '2', label: { fr: 'Non', en: 'No' } },
      ],
    },
    sections: [
      {
        id: 'start',
        title: { fr: 'Début', en: 'Start' },
        items: [single('consent', options.consent), ...(options.start ?? [])],
      },
      {
        id: 'mod_dep',
        title: { fr: 'Humeur', en: 'Mood' },
        relevant: "${consent} = '1'",
        items: [
          single('dep_screen1'),
          single('dep_screen2'),
          single('dep_sleep', { relevant: "${dep_screen1} = '1'" }),
          single('mood'),
        ],
      },
    ],
    ...(options.alerts === undefined ? {} : { alerts: options.alerts }),
    screenOuts: [
      { id: 'no_consent', when: "${consent} = '2'", label: { fr: 'Refus', en: 'Declined' } },
    ],
  };
}

/** A definition loaded, or the test stops with its issues. */
export function loadScreening(definition: unknown): Questionnaire {
  const loaded = loadQuestionnaire(definition);
  if (loaded.status === 'failure')
    throw new Error(`the test questionnaire does not load: ${JSON.stringify(loaded.issues)}`);
  return loaded.questionnaire;
}

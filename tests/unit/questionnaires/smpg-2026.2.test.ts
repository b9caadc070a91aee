// SMPG version 2026.2 (questionnaires/smpg/2026.2.json), the modules shaped as the MINI 5.0.0 ones
// SMPG used: personas walked through the engine, every module's decision rule at and around its
// threshold, the suicide levels and their two alerts, and a respondent who stops after depression.
// The current questions of mania and psychosis come each after its own screen, as in the MINI.
// Exclusion by the family and by society is asked of each figure, as SMPG published it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Value } from '../../../src/core/expression/index.ts';
import { toText } from '../../../src/core/expression/index.ts';
import type {
  Answer,
  InterviewState,
  Item,
  Questionnaire,
} from '../../../src/core/questionnaire/index.ts';
import {
  activeAlerts,
  completion,
  createState,
  formatIssue,
  isRelevant,
  itemOf,
  loadQuestionnaire,
  textEntries,
  valueOf,
} from '../../../src/core/questionnaire/index.ts';
import type { InterviewRun } from '../../helpers/interview-runner.ts';
import { DEFAULT_TODAY, runInterview } from '../../helpers/interview-runner.ts';
import type { Persona } from '../../helpers/smpg-personas-2026.2.ts';
import {
  COMPUTED_VARS,
  MANIA_SYMPTOMS,
  MODULES,
  PERSONAS,
  PSY_EXPERIENCES,
  RESULT_VARS,
  modulesOpened,
} from '../../helpers/smpg-personas-2026.2.ts';
import { POLICIES } from '../../helpers/smpg-personas.ts';

const loaded = loadQuestionnaire(
  JSON.parse(readFileSync('questionnaires/smpg/2026.2.json', 'utf8')) as unknown,
);

function smpg(): Questionnaire {
  if (loaded.status === 'failure') {
    throw new Error(`smpg 2026.2 rejected:\n${loaded.issues.map(formatIssue).join('\n')}`);
  }
  return loaded.questionnaire;
}

const runs = new Map<string, InterviewRun>();
function runOf(persona: Persona): InterviewRun {
  let run = runs.get(persona.id);
  if (run === undefined) {
    run = runInterview(smpg(), persona.script, { policy: POLICIES[persona.policy] });
    runs.set(persona.id, run);
  }
  return run;
}

const pick = (q: Questionnaire, state: InterviewState, ids: readonly string[]) =>
  Object.fromEntries(ids.map((id) => [id, valueOf(q, state, id)]));

const outcomeOf = (run: InterviewRun): string =>
  run.step.kind === 'end' ? 'end' : run.step.screenOut.id;

const clock = { today: () => DEFAULT_TODAY };
const ELIGIBLE = {
  elig_adult: '1',
  elig_zone: '1',
  elig_housing: '1',
  elig_first: '1',
  elig_consent: '1',
};

/** The engine's state for an eligible respondent who gave these answers (and nothing else). */
function stateOf(answers: Readonly<Record<string, Answer>>): InterviewState {
  return createState(smpg(), Object.entries({ ...ELIGIBLE, ...answers }), clock);
}
const valueAfter = (answers: Readonly<Record<string, Answer>>, id: string): Value =>
  valueOf(smpg(), stateOf(answers), id);

/** Yes (`1`) to the first `n` of `ids`, no (`2`) to the others. */
function yesTo(ids: readonly string[], n: number): Record<string, Answer> {
  return Object.fromEntries(ids.map((id, i) => [id, i < n ? '1' : '2']));
}

describe('questionnaires/smpg/2026.2.json', () => {
  it('loads without a warning, in French and English, with every text in both', () => {
    expect(loaded.status === 'failure' ? loaded.issues.map(formatIssue) : []).toEqual([]);
    expect(loaded.status).toBe('success');
    const q = smpg();
    expect(q.definition.version).toBe('2026.2');
    const incomplete = textEntries(q.definition)
      .filter((entry) => !entry.text.fr?.trim() || !entry.text.en?.trim())
      .map((entry) => entry.path);
    expect(incomplete).toEqual([]);
  });

  it('has the size its README states', () => {
    const q = smpg();
    const count = (type: Item['type']) => q.items.filter((entry) => entry.item.type === type);
    expect(q.definition.sections).toHaveLength(37);
    expect(q.items).toHaveLength(266);
    expect({
      single: count('single').length,
      multiple: count('multiple').length,
      grid: count('grid').length,
      text: count('text').length,
      integer: count('integer').length,
      note: count('note').length,
      calculate: count('calculate').length,
    }).toEqual({
      single: 182,
      multiple: 30,
      grid: 20,
      text: 6,
      integer: 1,
      note: 7,
      calculate: 20,
    });
    const rows = count('grid').flatMap((entry) =>
      entry.item.type === 'grid' ? entry.item.rows : [],
    );
    expect(rows).toHaveLength(79);
    // A grid row is an answer variable of its own, the grid itself is not.
    const answerVariables = q.items.filter(
      (entry) => !['grid', 'note', 'calculate'].includes(entry.item.type),
    );
    expect(answerVariables.length + rows.length).toBe(298);
  });

  it('asks exclusion by the family and by society at the end of each figure, not as a cause', () => {
    const q = smpg();
    const causes = q.definition.choiceLists?.['causes'] ?? [];
    expect(causes.map((choice) => choice.code)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
    ]);
    for (const figure of ['fou', 'mm', 'dep']) {
      const prefix = `rep_${figure}`;
      expect(
        q.itemById.get(`${prefix}_causes`)?.choices?.map((c) => c.code),
        figure,
      ).not.toContain('13');
      const entry = q.itemById.get(`${prefix}_excluded`);
      const grid = entry?.item;
      if (grid?.type !== 'grid') throw new Error(`${prefix}_excluded is not a grid`);
      // Last of its figure's block, so the items kept from 2026.1 keep their context.
      const block = q.definition.sections.find((section) => section.id === prefix);
      expect(block?.items.at(-1)?.id, figure).toBe(`${prefix}_excluded`);
      expect(
        {
          select: grid.select,
          choices: grid.choices,
          required: grid.required,
          nonResponse: grid.nonResponse,
          rows: grid.rows.map((row) => row.id),
        },
        figure,
      ).toEqual({
        select: 'one',
        choices: 'yes_no',
        required: true,
        nonResponse: undefined,
        rows: [`${prefix}_family`, `${prefix}_society`],
      });
    }
  });

  it('attributes violence towards oneself and bizarre behaviour among the behaviours', () => {
    const grid = smpg().itemById.get('rep_behaviour')?.item;
    if (grid?.type !== 'grid') throw new Error('rep_behaviour is not a grid');
    const rows = grid.rows.map((row) => row.id);
    expect(rows).toHaveLength(22);
    expect(rows).toEqual(expect.arrayContaining(['beh_incest', 'beh_self_harm', 'beh_bizarre']));
    // Each beside its kin: violence towards the family, then oneself; strange speech, then acts.
    expect(rows.indexOf('beh_self_harm')).toBe(rows.indexOf('beh_family_violence') + 1);
    expect(rows.indexOf('beh_bizarre')).toBe(rows.indexOf('beh_incoherent') + 1);
  });

  it("asks the modules in the MINI's order, suicide risk right after the depression modules", () => {
    const modules = smpg()
      .definition.sections.map((section) => section.id)
      .filter((id) => id.startsWith('mod_'));
    expect(modules).toEqual(MODULES.map((module) => module.section));
    expect(modules.slice(0, 3)).toEqual(['mod_dep', 'mod_dys', 'mod_suic']);
  });

  it("replaces the single current questions of mania and psychosis by the MINI's, one per screen", () => {
    const q = smpg();
    expect(q.itemById.has('psy_recent')).toBe(false);
    expect(q.itemById.has('mania_current')).toBe(false);
    const ids = q.items.map((entry) => entry.item.id);
    // Each current question right after its screen, asked only after that screen's "yes".
    for (const screen of [...PSY_EXPERIENCES, 'mania_screen1', 'mania_screen2']) {
      const current = screen.startsWith('psy_') ? `${screen}_month` : `${screen}_now`;
      expect(ids.indexOf(current), current).toBe(ids.indexOf(screen) + 1);
      const item = q.itemById.get(current)?.item;
      expect(item?.type === 'single' ? [item.relevant, item.choices] : [], current).toEqual([
        `\${${screen}} = '1'`,
        'yes_no',
      ]);
    }
    // Nothing reads the single questions any more; 2026.1 keeps them, and loads as before.
    expect(JSON.stringify(q.definition)).not.toMatch(/psy_recent|mania_current/u);
    const older = loadQuestionnaire(
      JSON.parse(readFileSync('questionnaires/smpg/2026.1.json', 'utf8')) as unknown,
    );
    expect(older.status).toBe('success');
    if (older.status === 'failure') return;
    expect(older.questionnaire.itemById.has('psy_recent')).toBe(true);
    expect(older.questionnaire.itemById.has('mania_current')).toBe(true);
  });

  it('has no suicide-planning question, and separates abuse from dependence', () => {
    const q = smpg();
    for (const gone of ['suic_plan', 'suic_soon', 'res_alcohol', 'res_drugs', 'alc_screen1']) {
      expect(q.itemById.has(gone), gone).toBe(false);
    }
    for (const id of [
      'res_alc_dependence',
      'res_alc_abuse',
      'res_drug_dependence',
      'res_drug_abuse',
    ]) {
      expect(q.itemById.get(id)?.item.type, id).toBe('calculate');
    }
  });

  describe('personas', () => {
    it('have distinct ids, one per screen-out reason', () => {
      expect(new Set(PERSONAS.map((persona) => persona.id)).size).toBe(PERSONAS.length);
      const screenOuts = (smpg().definition.screenOuts ?? []).map((screenOut) => screenOut.id);
      expect(screenOuts).toEqual([
        'under_18',
        'outside_zone',
        'institution_or_homeless',
        'already_answered',
        'no_consent',
      ]);
      for (const id of screenOuts) {
        expect(
          PERSONAS.filter((persona) => persona.expected.outcome === id),
          id,
        ).toHaveLength(1);
      }
    });

    it.each(PERSONAS)('$id: $description', (persona) => {
      const q = smpg();
      const run = runOf(persona);
      const { expected } = persona;
      expect(run.unusedScript, 'scripted answers of items never shown').toEqual([]);
      expect(outcomeOf(run)).toBe(expected.outcome);
      expect(modulesOpened(q, run.asked)).toEqual(expected.modulesOpened);
      expect(pick(q, run.state, RESULT_VARS)).toEqual(expected.results);
      expect(pick(q, run.state, COMPUTED_VARS)).toEqual(expected.computed);
      expect(run.alertsRaised).toEqual(expected.alerts);
      expect(run.asked).toHaveLength(expected.itemsAsked);
      for (const [section, items] of Object.entries(expected.sectionItems ?? {})) {
        expect(
          run.asked.filter((id) => q.itemById.get(id)?.section.id === section),
          section,
        ).toEqual(items);
      }

      const sectionsShown = new Set(run.asked.map((id) => q.itemById.get(id)?.section.id));
      expect(
        MODULES.filter((module) => sectionsShown.has(module.followUp)).map((m) => m.followUp),
      ).toEqual(
        MODULES.filter((module) =>
          module.results.some((result) => expected.results[result] === 1),
        ).map((m) => m.followUp),
      );

      const done = completion(q, run.state, 'fr');
      expect(done.problems).toEqual([]);
      expect({ canComplete: done.canComplete, screenOut: done.screenOut?.id }).toEqual(
        expected.outcome === 'end'
          ? { canComplete: true, screenOut: undefined }
          : { canComplete: false, screenOut: expected.outcome },
      );
      const fresh = createState(q, run.state.answers, run.state.clock);
      expect(fresh.relevant).toEqual(run.state.relevant);
      expect(fresh.values).toEqual(run.state.values);
    });

    it('between them show every item and every grid row of the definition', () => {
      const q = smpg();
      const shown = new Set(
        PERSONAS.flatMap((persona) => [...runOf(persona).asked, ...runOf(persona).rowsShown]),
      );
      const displayable = q.items
        .filter((entry) => entry.item.type !== 'calculate')
        .flatMap((entry) => [
          entry.item.id,
          ...(entry.item.type === 'grid' ? entry.item.rows.map((row) => row.id) : []),
        ]);
      expect(displayable).toHaveLength(246 + 79);
      const missing = displayable.filter((id) => !shown.has(id));
      expect(missing, `never shown: ${missing.join(', ')}`).toEqual([]);
    });

    it('between them make every result positive and negative, and reach every code', () => {
      const q = smpg();
      const seen = new Map<string, Set<string>>();
      for (const persona of PERSONAS) {
        const { state } = runOf(persona);
        for (const entry of q.items) {
          if (entry.item.type !== 'calculate' || entry.choices === undefined) continue;
          const values = seen.get(entry.item.id) ?? new Set<string>();
          values.add(toText(valueOf(q, state, entry.item.id)));
          seen.set(entry.item.id, values);
        }
      }
      const withChoices = q.items.filter(
        (entry) => entry.item.type === 'calculate' && entry.choices !== undefined,
      );
      // 16 module results, suicide_level, age_band, migration_generation.
      expect(withChoices).toHaveLength(19);
      const unreached = withChoices.flatMap((entry) =>
        (entry.choices ?? [])
          .filter((choice) => !seen.get(entry.item.id)?.has(choice.code))
          .map((choice) => `${entry.item.id}=${choice.code}`),
      );
      expect(unreached).toEqual([]);
      const wrong = withChoices.flatMap((entry) =>
        [...(seen.get(entry.item.id) ?? [])]
          .filter((value) => value !== '' && !(entry.choices ?? []).some((c) => c.code === value))
          .map((value) => `${entry.item.id}=${value}`),
      );
      expect(wrong).toEqual([]);
    });
  });

  describe('a respondent who stops after the depression modules', () => {
    it('has been asked every suicide question, and their level and alert are known', () => {
      const q = smpg();
      const persona = PERSONAS.find((p) => p.id === 'recurrent_depression_moderate_risk');
      if (persona === undefined) throw new Error('persona missing');
      const run = runOf(persona);
      const sectionOf = (id: string) => itemOf(q, id)?.section.id;
      // Stopped when the next module (mania) would have started.
      const stop = run.asked.findIndex((id) => sectionOf(id) === 'mod_mania');
      expect(stop).toBeGreaterThan(0);
      const before = run.asked.slice(0, stop);
      for (const id of [
        'suic_screen_wish',
        'suic_screen_harm',
        'suic_thoughts',
        'suic_attempt_month',
        'suic_attempt_life',
      ]) {
        expect(before, id).toContain(id);
      }
      const kept = new Set(before.map(sectionOf));
      const partial = createState(
        q,
        [...run.state.answers].filter(([id]) => kept.has(sectionOf(id))),
        clock,
      );
      expect(valueOf(q, partial, 'suicide_level')).toBe('moderate');
      expect(valueOf(q, partial, 'res_dep')).toBe(1);
      expect(activeAlerts(q, partial).map((alert) => alert.id)).toEqual(['suicide_moderate']);
    });
  });

  describe('suicide risk, scored as the MINI without its planning question', () => {
    const C = {
      wish: 'suic_screen_wish',
      harm: 'suic_screen_harm',
      thoughts: 'suic_thoughts',
      month: 'suic_attempt_month',
      life: 'suic_attempt_life',
    } as const;
    const answersOf = (...yes: (keyof typeof C)[]): Record<string, Answer> =>
      Object.fromEntries(
        Object.entries(C)
          .filter(([key]) => !(key === 'life' && yes.includes('month')))
          .map(([key, id]) => [id, yes.includes(key as keyof typeof C) ? '1' : '2']),
      );
    it.each([
      [[], 0, 'none'],
      [['wish'], 1, 'low'],
      [['wish', 'harm'], 3, 'low'],
      [['life'], 4, 'low'],
      [['wish', 'life'], 5, 'low'],
      [['thoughts'], 6, 'moderate'],
      [['harm', 'life'], 6, 'moderate'],
      [['wish', 'harm', 'thoughts'], 9, 'moderate'],
      [['thoughts', 'life'], 10, 'high'],
      [['month'], 14, 'high'],
      [['wish', 'harm', 'thoughts', 'month'], 23, 'high'],
    ] as const)('%j: score %i, %s', (yes, score, level) => {
      const q = smpg();
      const state = stateOf(answersOf(...yes));
      expect(valueOf(q, state, 'suicide_score')).toBe(score);
      expect(valueOf(q, state, 'suicide_level')).toBe(level);
      expect(valueOf(q, state, 'res_suicide')).toBe(score > 0 ? 1 : 0);
      const alerts = activeAlerts(q, state).map((alert) => alert.id);
      expect(alerts).toEqual(
        level === 'high' ? ['suicide_high'] : level === 'moderate' ? ['suicide_moderate'] : [],
      );
    });

    it('raises the moderate alert only once the last question is answered or declined', () => {
      const q = smpg();
      const open = { [C.wish]: '1', [C.harm]: '2', [C.thoughts]: '1', [C.month]: '2' };
      expect(valueOf(q, stateOf(open), 'suicide_level')).toBe('moderate');
      expect(activeAlerts(q, stateOf(open))).toEqual([]);
      const declined = stateOf({ ...open, [C.life]: { nonResponse: 'refused' } });
      expect(activeAlerts(q, declined).map((alert) => alert.id)).toEqual(['suicide_moderate']);
    });

    it("gives the site's helpline in both alerts, in both languages", () => {
      const alerts = smpg().definition.alerts ?? [];
      expect(alerts.map((alert) => alert.id)).toEqual(['suicide_high', 'suicide_moderate']);
      for (const alert of alerts) {
        expect(alert.protocol.fr).toContain('{{helpline}}');
        expect(alert.protocol.en).toContain('{{helpline}}');
      }
      // The moderate instruction is lighter: no emergency call as its own step.
      const [high, moderate] = alerts;
      expect(high?.protocol.fr).toMatch(/^4\. .*appelez les secours/mu);
      expect(moderate?.protocol.fr).not.toMatch(/^\d\. .*appelez les secours/mu);
    });
  });

  describe('each decision rule at and around its threshold', () => {
    const DEP = [
      'dep_sleep',
      'dep_appetite',
      'dep_energy',
      'dep_pace',
      'dep_focus',
      'dep_worth',
      'dep_death',
    ];
    it('current depressive episode: a screen and 5 of 9', () => {
      expect(valueAfter({ dep_screen1: '1', dep_screen2: '2', ...yesTo(DEP, 3) }, 'res_dep')).toBe(
        0,
      );
      expect(valueAfter({ dep_screen1: '1', dep_screen2: '2', ...yesTo(DEP, 4) }, 'res_dep')).toBe(
        1,
      );
      expect(valueAfter({ dep_screen1: '2', dep_screen2: '1', ...yesTo(DEP, 4) }, 'res_dep')).toBe(
        1,
      );
      expect(valueAfter({ dep_screen1: '1', dep_screen2: '1', ...yesTo(DEP, 3) }, 'res_dep')).toBe(
        1,
      );
      // Symptoms without either screen are not asked, so they count for nothing.
      expect(valueAfter({ dep_screen1: '2', dep_screen2: '2', ...yesTo(DEP, 7) }, 'res_dep')).toBe(
        0,
      );
    });

    it('recurrence: a current episode, an earlier one, two well months between', () => {
      const current = { dep_screen1: '1', dep_screen2: '1', ...yesTo(DEP, 3) };
      const r = 'res_dep_recurrent';
      expect(valueAfter({ ...current, dep_past: '1', dep_gap: '1' }, r)).toBe(1);
      expect(valueAfter({ ...current, dep_past: '1', dep_gap: '2' }, r)).toBe(0);
      expect(valueAfter({ ...current, dep_past: '2' }, r)).toBe(0);
      const notCurrent = { dep_screen1: '1', dep_screen2: '1', ...yesTo(DEP, 2) };
      expect(valueAfter({ ...notCurrent, dep_past: '1', dep_gap: '1' }, r)).toBe(0);
    });

    const DYS = [
      'dys_energy',
      'dys_sleep',
      'dys_appetite',
      'dys_esteem',
      'dys_focus',
      'dys_hopeless',
    ];
    it('dysthymia: 2 years, no well spell, 2 of 6, distress; not explored beside an episode', () => {
      const base = { dys_screen: '1', dys_wellspell: '2', dys_distress: '1' };
      expect(valueAfter({ ...base, ...yesTo(DYS, 1) }, 'res_dysthymia')).toBe(0);
      expect(valueAfter({ ...base, ...yesTo(DYS, 2) }, 'res_dysthymia')).toBe(1);
      expect(valueAfter({ ...base, dys_wellspell: '1', ...yesTo(DYS, 6) }, 'res_dysthymia')).toBe(
        0,
      );
      expect(valueAfter({ ...base, dys_distress: '2', ...yesTo(DYS, 6) }, 'res_dysthymia')).toBe(0);
      const episode = { dep_screen1: '1', dep_screen2: '1', ...yesTo(DEP, 3) };
      const q = smpg();
      const state = stateOf({ ...episode, ...base, ...yesTo(DYS, 6) });
      expect(valueOf(q, state, 'res_dysthymia')).toBe(0);
      expect(isRelevant(q, state, 'dys_screen')).toBe(false);
    });

    it('manic episode: 3 of 7 when elated, 4 when only irritable, a week or hospital', () => {
      const elated = { mania_screen1: '1', mania_screen2: '2', mania_duration: '1' };
      const irritable = { mania_screen1: '2', mania_screen2: '1', mania_duration: '1' };
      expect(valueAfter({ ...elated, ...yesTo(MANIA_SYMPTOMS, 2) }, 'res_mania')).toBe(0);
      expect(valueAfter({ ...elated, ...yesTo(MANIA_SYMPTOMS, 3) }, 'res_mania')).toBe(1);
      expect(valueAfter({ ...irritable, ...yesTo(MANIA_SYMPTOMS, 3) }, 'res_mania')).toBe(0);
      expect(valueAfter({ ...irritable, ...yesTo(MANIA_SYMPTOMS, 4) }, 'res_mania')).toBe(1);
      expect(
        valueAfter({ ...elated, mania_duration: '2', ...yesTo(MANIA_SYMPTOMS, 7) }, 'res_mania'),
      ).toBe(0);
    });

    it('manic episode: D1b asked after D1a only, D2b after D2a only; neither changes the result', () => {
      const q = smpg();
      const asked = (answers: Record<string, Answer>) =>
        ['mania_screen1_now', 'mania_screen2_now'].filter((id) =>
          isRelevant(q, stateOf(answers), id),
        );
      expect(asked({ mania_screen1: '1', mania_screen2: '2' })).toEqual(['mania_screen1_now']);
      expect(asked({ mania_screen1: '2', mania_screen2: '1' })).toEqual(['mania_screen2_now']);
      expect(asked({ mania_screen1: '1', mania_screen2: '1' })).toEqual([
        'mania_screen1_now',
        'mania_screen2_now',
      ]);
      expect(asked({ mania_screen1: '2', mania_screen2: '2' })).toEqual([]);
      const elated = { mania_screen1: '1', mania_screen2: '2', mania_duration: '1' };
      for (const now of ['1', '2']) {
        expect(
          valueAfter(
            { ...elated, mania_screen1_now: now, ...yesTo(MANIA_SYMPTOMS, 3) },
            'res_mania',
          ),
        ).toBe(1);
        expect(
          valueAfter(
            { ...elated, mania_screen1_now: now, ...yesTo(MANIA_SYMPTOMS, 2) },
            'res_mania',
          ),
        ).toBe(0);
      }
    });

    it('panic disorder: peak within minutes, unexpected, a month of worry, 4 of 13, this month', () => {
      const base = {
        panic_screen: '1',
        panic_peak: '1',
        panic_unexpected: '1',
        panic_worry: '1',
        panic_month: '1',
      };
      expect(valueAfter({ ...base, panic_symptoms: ['1', '2', '3'] }, 'res_panic')).toBe(0);
      expect(valueAfter({ ...base, panic_symptoms: ['1', '2', '3', '4'] }, 'res_panic')).toBe(1);
      for (const no of ['panic_peak', 'panic_unexpected', 'panic_worry', 'panic_month']) {
        expect(
          valueAfter(
            { ...base, [no]: '2', panic_symptoms: ['1', '2', '3', '4', '5'] },
            'res_panic',
          ),
          no,
        ).toBe(0);
      }
    });

    it('agoraphobia: the fear and the avoidance', () => {
      expect(valueAfter({ agora_screen: '1', agora_avoid: '1' }, 'res_agoraphobia')).toBe(1);
      expect(valueAfter({ agora_screen: '1', agora_avoid: '2' }, 'res_agoraphobia')).toBe(0);
      expect(valueAfter({ agora_screen: '2', agora_avoid: '1' }, 'res_agoraphobia')).toBe(0);
    });

    it('social phobia: the fear and all three of its questions', () => {
      const ids = ['social_screen', 'social_excess', 'social_avoid', 'social_hinder'];
      expect(valueAfter(yesTo(ids, 4), 'res_social_phobia')).toBe(1);
      expect(valueAfter(yesTo(ids, 3), 'res_social_phobia')).toBe(0);
    });

    const AVOID = [
      'ptsd_avoid_thoughts',
      'ptsd_avoid_reminders',
      'ptsd_amnesia',
      'ptsd_interest',
      'ptsd_estranged',
      'ptsd_numb',
      'ptsd_future',
    ];
    const AROUSAL = ['ptsd_sleep', 'ptsd_anger', 'ptsd_focus', 'ptsd_guard', 'ptsd_startle'];
    it('post-traumatic stress: event, intrusions, 3 of 7, 2 of 5, distress', () => {
      const base = { ptsd_screen1: '1', ptsd_screen2: '1', ptsd_distress: '1' };
      const r = 'res_ptsd';
      expect(valueAfter({ ...base, ...yesTo(AVOID, 3), ...yesTo(AROUSAL, 2) }, r)).toBe(1);
      expect(valueAfter({ ...base, ...yesTo(AVOID, 2), ...yesTo(AROUSAL, 5) }, r)).toBe(0);
      expect(valueAfter({ ...base, ...yesTo(AVOID, 3), ...yesTo(AROUSAL, 1) }, r)).toBe(0);
      expect(
        valueAfter({ ...base, ptsd_distress: '2', ...yesTo(AVOID, 7), ...yesTo(AROUSAL, 5) }, r),
      ).toBe(0);
      expect(
        valueAfter({ ...base, ptsd_screen2: '2', ...yesTo(AVOID, 7), ...yesTo(AROUSAL, 5) }, r),
      ).toBe(0);
    });

    for (const p of ['alc', 'drug'] as const) {
      const dep = [
        'tolerance',
        'withdrawal',
        'more',
        'cutdown',
        'time',
        'giveup',
        'despite_health',
      ].map((s) => `${p}_${s}`);
      const abuse = ['duties', 'danger', 'legal', 'relations'].map((s) => `${p}_${s}`);
      const screen = p === 'alc' ? { alc_screen: '1' } : { drug_screen: '1', drug_which: ['1'] };
      const both = (answers: Record<string, Answer>) => ({
        dependence: valueAfter({ ...screen, ...answers }, `res_${p}_dependence`),
        abuse: valueAfter({ ...screen, ...answers }, `res_${p}_abuse`),
      });
      it(`${p}: dependence at 3 of 7; abuse at 1 of 4, only without dependence`, () => {
        expect(both({ ...yesTo(dep, 3) })).toEqual({ dependence: 1, abuse: 0 });
        // Dependence pre-empts abuse: its questions are not asked, answers to them count nothing.
        expect(both({ ...yesTo(dep, 3), ...yesTo(abuse, 4) })).toEqual({ dependence: 1, abuse: 0 });
        expect(both({ ...yesTo(dep, 2), ...yesTo(abuse, 0) })).toEqual({ dependence: 0, abuse: 0 });
        for (const sign of abuse) {
          expect(both({ ...yesTo(dep, 2), ...yesTo(abuse, 0), [sign]: '1' }), sign).toEqual({
            dependence: 0,
            abuse: 1,
          });
        }
        const noScreen = p === 'alc' ? { alc_screen: '2' } : { drug_screen: '2' };
        expect(valueAfter({ ...noScreen, ...yesTo(dep, 7) }, `res_${p}_dependence`)).toBe(0);
      });
    }

    it('psychotic syndrome: 2 of the 7 experiences; the observations alone do not count', () => {
      expect(valueAfter(yesTo(PSY_EXPERIENCES, 1), 'res_psychosis')).toBe(0);
      expect(valueAfter(yesTo(PSY_EXPERIENCES, 2), 'res_psychosis')).toBe(1);
      expect(
        valueAfter(
          { ...yesTo(PSY_EXPERIENCES, 1), psy_observed: '1', psy_observed_behaviour: '1' },
          'res_psychosis',
        ),
      ).toBe(0);
    });

    it('psychotic syndrome: each experience has its own last-month question, asked after its yes', () => {
      const q = smpg();
      const currents = PSY_EXPERIENCES.map((id) => `${id}_month`);
      for (const id of PSY_EXPERIENCES) {
        const state = stateOf({ ...yesTo(PSY_EXPERIENCES, 0), [id]: '1' });
        expect(
          currents.filter((current) => isRelevant(q, state, current)),
          id,
        ).toEqual([`${id}_month`]);
      }
      expect(
        currents.filter((current) => isRelevant(q, stateOf(yesTo(PSY_EXPERIENCES, 0)), current)),
      ).toEqual([]);
      // The result stays a lifetime one: the last month neither makes nor unmakes it.
      const lifetime2 = {
        ...yesTo(PSY_EXPERIENCES, 2),
        psy_screen1_month: '2',
        psy_mindread_month: '2',
      };
      expect(valueAfter(lifetime2, 'res_psychosis')).toBe(1);
      const current1 = { ...yesTo(PSY_EXPERIENCES, 1), psy_screen1_month: '1' };
      expect(valueAfter(current1, 'res_psychosis')).toBe(0);
    });

    const GAD = [
      'gad_tense',
      'gad_tired',
      'gad_focus',
      'gad_irritable',
      'gad_muscles',
      'gad_sleep',
    ];
    it('generalised anxiety: six months, most days, hard to control, 3 of 6', () => {
      const base = { gad_screen1: '1', gad_days: '1', gad_control: '1' };
      expect(valueAfter({ ...base, ...yesTo(GAD, 2) }, 'res_gad')).toBe(0);
      expect(valueAfter({ ...base, ...yesTo(GAD, 3) }, 'res_gad')).toBe(1);
      expect(valueAfter({ ...base, gad_control: '2', ...yesTo(GAD, 6) }, 'res_gad')).toBe(0);
      expect(valueAfter({ ...base, gad_days: '2', ...yesTo(GAD, 6) }, 'res_gad')).toBe(0);
    });

    it('insomnia: all four', () => {
      const ids = ['insom_screen', 'insom_often', 'insom_months', 'insom_daytime'];
      expect(valueAfter(yesTo(ids, 4), 'res_insomnia')).toBe(1);
      expect(valueAfter(yesTo(ids, 3), 'res_insomnia')).toBe(0);
    });
  });

  describe('anonymity', () => {
    it('keeps the occupation as said and the interviewer note on the tablet', () => {
      const q = smpg();
      const identifying = q.items.filter((entry) => entry.item.identifying === true);
      expect(identifying.map((entry) => entry.item.id)).toEqual([
        'occupation_said',
        'interviewer_note',
      ]);
      // Nothing the server recomputes reads the occupation (the CSP group is asked apart).
      const readers = q.items.filter((entry) =>
        JSON.stringify(entry.item).includes('${occupation_said}'),
      );
      expect(readers).toEqual([]);
    });
  });
});

// The SMPG questionnaire (questionnaires/smpg/2026.1.json): personas walked through the engine
// against results worked out by hand, coverage of every item, and checks over the whole file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EvalContext, Value } from '../../../src/core/expression/index.ts';
import {
  evaluate,
  parseExpression,
  toBoolean,
  toText,
} from '../../../src/core/expression/index.ts';
import type {
  InterviewState,
  Item,
  LocalizedText,
  Questionnaire,
} from '../../../src/core/questionnaire/index.ts';
import {
  REFUSED,
  completion,
  createState,
  formatIssue,
  isNonResponse,
  isRelevant,
  loadQuestionnaire,
  textEntries,
  valueOf,
} from '../../../src/core/questionnaire/index.ts';
import type { InterviewRun } from '../../helpers/interview-runner.ts';
import { runInterview } from '../../helpers/interview-runner.ts';
import type { Persona } from '../../helpers/smpg-personas.ts';
import {
  COMPUTED_VARS,
  MODULES,
  PERSONAS,
  POLICIES,
  RESULT_VARS,
  modulesOpened,
} from '../../helpers/smpg-personas.ts';

const loaded = loadQuestionnaire(
  JSON.parse(readFileSync('questionnaires/smpg/2026.1.json', 'utf8')) as unknown,
);

function smpg(): Questionnaire {
  if (loaded.status === 'failure') {
    throw new Error(`smpg 2026.1 rejected:\n${loaded.issues.map(formatIssue).join('\n')}`);
  }
  return loaded.questionnaire;
}

const runs = new Map<string, InterviewRun>();
/** Each persona is walked once and its run shared by the tests below. */
function runOf(persona: Persona): InterviewRun {
  let run = runs.get(persona.id);
  if (run === undefined) {
    run = runInterview(smpg(), persona.script, { policy: POLICIES[persona.policy] });
    runs.set(persona.id, run);
  }
  return run;
}

function pick(q: Questionnaire, state: InterviewState, ids: readonly string[]) {
  return Object.fromEntries(ids.map((id) => [id, valueOf(q, state, id)]));
}

/** Evaluation context over a final state, built from the public API only. */
function contextOf(q: Questionnaire, state: InterviewState, current?: Value): EvalContext {
  const base: EvalContext = {
    value: (name) => valueOf(q, state, name),
    nonResponse: (name) => {
      const answer = state.answers.get(name);
      return isRelevant(q, state, name) && isNonResponse(answer) ? answer.nonResponse : '';
    },
    today: () => state.clock.today(),
  };
  return current === undefined ? base : { ...base, current };
}

type Role = 'relevant' | 'constraint' | 'required' | 'calculate' | 'condition';
interface Expression {
  readonly where: string;
  readonly role: Role;
  readonly source: string;
  /** Item or row the expression belongs to (none for sections, alerts, screen-outs). */
  readonly owner: string | undefined;
  /** For a constraint: a value the constraint must accept. */
  readonly sample?: Value;
}

/** A valid answer value for an item, to check its constraint with (`.`). */
function sampleValue(item: Item): Value {
  switch (item.type) {
    case 'integer':
    case 'decimal':
      return item.min ?? item.max ?? 0;
    case 'date':
      return item.min ?? item.max ?? '2026-01-01';
    case 'single':
    case 'multiple':
    case 'grid':
      return typeof item.choices === 'string' ? '' : (item.choices[0]?.code ?? '');
    default:
      return 'x';
  }
}

/** Every expression written in the definition, with where it is. */
function expressionsOf(q: Questionnaire): Expression[] {
  const out: Expression[] = [];
  const { definition } = q;
  definition.sections.forEach((section, s) => {
    if (section.relevant !== undefined) {
      out.push({
        where: `sections[${s}]`,
        role: 'relevant',
        source: section.relevant,
        owner: undefined,
      });
    }
    section.items.forEach((item, i) => {
      const where = `${section.id}.${item.id}`;
      if (item.relevant !== undefined) {
        out.push({ where, role: 'relevant', source: item.relevant, owner: item.id });
      }
      if (item.type === 'calculate') {
        out.push({ where, role: 'calculate', source: item.calculate, owner: item.id });
      } else if (item.type !== 'note') {
        if (item.constraint !== undefined) {
          const sample = sampleValue(item);
          out.push({ where, role: 'constraint', source: item.constraint, owner: item.id, sample });
        }
        if (typeof item.required === 'string') {
          out.push({ where, role: 'required', source: item.required, owner: item.id });
        }
      }
      if (item.type === 'grid') {
        for (const row of item.rows) {
          if (row.relevant !== undefined) {
            const rowWhere = `sections[${s}].items[${i}].${row.id}`;
            out.push({ where: rowWhere, role: 'relevant', source: row.relevant, owner: row.id });
          }
        }
      }
    });
  });
  for (const alert of definition.alerts ?? []) {
    out.push({
      where: `alert ${alert.id}`,
      role: 'condition',
      source: alert.when,
      owner: undefined,
    });
  }
  for (const screenOut of definition.screenOuts ?? []) {
    out.push({
      where: `screen-out ${screenOut.id}`,
      role: 'condition',
      source: screenOut.when,
      owner: undefined,
    });
  }
  return out;
}

/** Displayable ids: every item but calculations, and every grid row. */
function displayableIds(q: Questionnaire): string[] {
  return q.items
    .filter((entry) => entry.item.type !== 'calculate')
    .flatMap((entry) => [
      entry.item.id,
      ...(entry.item.type === 'grid' ? entry.item.rows.map((row) => row.id) : []),
    ]);
}

const outcomeOf = (run: InterviewRun): string =>
  run.step.kind === 'end' ? 'end' : run.step.screenOut.id;

describe('questionnaires/smpg/2026.1.json', () => {
  it('loads without a warning, in French and English, with every text in both', () => {
    expect(loaded.status === 'failure' ? loaded.issues.map(formatIssue) : []).toEqual([]);
    expect(loaded.status).toBe('success');
    const q = smpg();
    expect(q.definition.languages).toEqual(['fr', 'en']);
    expect(q.definition.defaultLanguage).toBe('fr');
    const entries = textEntries(q.definition);
    const incomplete = entries
      .filter((entry) => !entry.text.fr?.trim() || !entry.text.en?.trim())
      .map((entry) => entry.path);
    expect(incomplete).toEqual([]);
    // Titles, labels, rows, choices, alerts and screen-outs: far more texts than items.
    expect(entries.length).toBeGreaterThan(q.items.length * 2);
  });

  it('has the size its README states', () => {
    const q = smpg();
    const count = (type: Item['type']) => q.items.filter((entry) => entry.item.type === type);
    expect(q.definition.sections).toHaveLength(39);
    expect(q.items).toHaveLength(249);
    expect({
      single: count('single').length,
      multiple: count('multiple').length,
      grid: count('grid').length,
      text: count('text').length,
      integer: count('integer').length,
      note: count('note').length,
      calculate: count('calculate').length,
    }).toEqual({
      single: 168,
      multiple: 32,
      grid: 18,
      text: 4,
      integer: 2,
      note: 7,
      calculate: 18,
    });
    const rows = count('grid').flatMap((entry) =>
      entry.item.type === 'grid' ? entry.item.rows : [],
    );
    expect(rows).toHaveLength(73);
  });

  it('makes the interview runner fail loudly on an invalid scripted or default answer', () => {
    const q = smpg();
    const eligible = { elig_adult: '1', elig_zone: '1', elig_first: '1', elig_consent: '1' };
    expect(() => runInterview(q, { ...eligible, sex: '2', age: 17 })).toThrow(
      /"age" \(17\): out_of_range/,
    );
    expect(() => runInterview(q, { elig_adult: REFUSED })).toThrow(
      /"elig_adult" .*non_response_not_offered/,
    );
    // A policy that refuses everything, even where no non-response is offered.
    expect(() => runInterview(q, {}, { policy: () => REFUSED })).toThrow(
      /invalid default answer for "elig_adult"/,
    );
  });

  describe('personas', () => {
    it('are at least 15, with distinct ids, one per screen-out reason', () => {
      expect(PERSONAS.length).toBeGreaterThanOrEqual(15);
      expect(new Set(PERSONAS.map((persona) => persona.id)).size).toBe(PERSONAS.length);
      const screenOuts = (smpg().definition.screenOuts ?? []).map((screenOut) => screenOut.id);
      expect(screenOuts).toEqual(['under_18', 'outside_zone', 'already_answered', 'no_consent']);
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
      // A scripted answer that is never asked means the persona (or the logic) is not as written.
      expect(run.unusedScript, 'scripted answers of items never shown').toEqual([]);
      expect(outcomeOf(run)).toBe(expected.outcome);
      expect(modulesOpened(q, run.asked)).toEqual(expected.modulesOpened);
      expect(pick(q, run.state, RESULT_VARS)).toEqual(expected.results);
      expect(pick(q, run.state, COMPUTED_VARS)).toEqual(expected.computed);
      expect(run.alertsRaised).toEqual(expected.alerts);
      expect(run.asked).toHaveLength(expected.itemsAsked);

      // A follow-up section is shown exactly when its module's result is positive.
      const sectionsShown = new Set(run.asked.map((id) => q.itemById.get(id)?.section.id));
      expect(
        MODULES.filter((module) => sectionsShown.has(module.followUp)).map((m) => m.followUp),
      ).toEqual(
        MODULES.filter((module) => expected.results[module.result] === 1).map((m) => m.followUp),
      );

      const done = completion(q, run.state, 'fr');
      expect(done.problems).toEqual([]);
      expect({ canComplete: done.canComplete, screenOut: done.screenOut?.id }).toEqual(
        expected.outcome === 'end'
          ? { canComplete: true, screenOut: undefined }
          : { canComplete: false, screenOut: expected.outcome },
      );

      // Answer by answer recomputation agrees with evaluating everything from scratch.
      const fresh = createState(q, run.state.answers, run.state.clock);
      expect(fresh.relevant).toEqual(run.state.relevant);
      expect(fresh.values).toEqual(run.state.values);
    });

    it('between them show every item and every grid row of the definition', () => {
      const q = smpg();
      const shown = new Set(
        PERSONAS.flatMap((persona) => [...runOf(persona).asked, ...runOf(persona).rowsShown]),
      );
      const displayable = displayableIds(q);
      // 224 questions + 7 notes, and 73 grid rows.
      expect(displayable).toHaveLength(231 + 73);
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
      const unreached = q.items.flatMap((entry) =>
        entry.item.type === 'calculate'
          ? (entry.choices ?? [])
              .filter((choice) => !seen.get(entry.item.id)?.has(choice.code))
              .map((choice) => `${entry.item.id}=${choice.code}`)
          : [],
      );
      expect(unreached).toEqual([]);
      expect([...(seen.get('suicide_level') ?? [])].sort()).toEqual(
        ['', 'high', 'low', 'moderate', 'none'].sort(),
      );
    });
  });

  it("evaluates every expression on every persona's final state as the engine did", () => {
    const q = smpg();
    const expressions = expressionsOf(q);
    const roles = new Set(expressions.map((expression) => expression.role));
    expect([...roles].sort()).toEqual(['calculate', 'condition', 'constraint', 'relevant']);
    const failures: string[] = [];
    for (const expression of expressions) {
      const parsed = parseExpression(expression.source);
      if (!parsed.ok) {
        failures.push(`${expression.where}: does not parse: ${expression.source}`);
        continue;
      }
      for (const persona of PERSONAS) {
        const { state } = runOf(persona);
        const at = `${persona.id} ${expression.where} (${expression.role})`;
        let value: Value;
        try {
          value = evaluate(parsed.expr, contextOf(q, state, expression.sample));
        } catch (error) {
          failures.push(`${at}: throws ${String(error)}`);
          continue;
        }
        const { owner } = expression;
        if (expression.role === 'constraint' && !toBoolean(value)) {
          failures.push(`${at}: rejects the valid value ${String(expression.sample)}`);
        }
        if (expression.role === 'calculate' && owner !== undefined && isRelevant(q, state, owner)) {
          const engine = toText(valueOf(q, state, owner));
          const direct = typeof value === 'number' && !Number.isFinite(value) ? '' : toText(value);
          if (direct !== engine) failures.push(`${at}: ${direct}, the engine holds ${engine}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('every calculation with declared choices yields empty or one of its codes', () => {
    const q = smpg();
    const withChoices = q.items.filter(
      (entry) => entry.item.type === 'calculate' && entry.choices !== undefined,
    );
    // 14 module results, suicide_level, age_band, migration_generation.
    expect(withChoices).toHaveLength(17);
    const wrong: string[] = [];
    for (const persona of PERSONAS) {
      const { state } = runOf(persona);
      for (const entry of withChoices) {
        const value = toText(valueOf(q, state, entry.item.id));
        const codes = (entry.choices ?? []).map((choice) => choice.code);
        if (value !== '' && !codes.includes(value)) {
          wrong.push(`${persona.id} ${entry.item.id} = ${value} (codes ${codes.join(', ')})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("puts the site's helpline in the suicide alert's protocol, in both languages", () => {
    const alerts = smpg().definition.alerts ?? [];
    expect(alerts.map((alert) => alert.id)).toEqual(['suicide_high']);
    for (const alert of alerts) {
      expect(alert.protocol.fr).toContain('{{helpline}}');
      expect(alert.protocol.en).toContain('{{helpline}}');
    }
  });

  describe('anonymity', () => {
    /** Words that ask for a name, an address, a phone number or a date of birth. */
    const PERSONAL: Record<'fr' | 'en', RegExp> = {
      fr: /(?<!\p{L})(?:noms?|prénoms?|adresses?|téléphones?|portable|courriel|date de naissance|née? le)(?!\p{L})/iu,
      // "name" as a noun: not "to name" (as in "I am going to name some behaviours").
      en: /(?<!\bto )\b(?:names?|surname|address(?:es)?|(?:tele)?phones?|e-?mail|date of birth|birth ?date)\b/i,
    };
    const ID_PATTERN =
      /(?:^|_)(?:name|nom|prenom|surname|address|adresse|phone|tel|telephone|mobile|email|dob|birthdate|birth_date|date_naissance)(?:_|$)/i;
    const asks = (text: LocalizedText): boolean =>
      PERSONAL.fr.test(text.fr ?? '') || PERSONAL.en.test(text.en ?? '');

    it('the personal-data patterns catch those words and not look-alikes', () => {
      expect(asks({ fr: 'Quel est votre nom ?', en: '' })).toBe(true);
      expect(asks({ fr: 'Votre adresse', en: '' })).toBe(true);
      expect(asks({ fr: 'Votre date de naissance', en: '' })).toBe(true);
      expect(asks({ fr: '', en: 'What is your phone number?' })).toBe(true);
      expect(asks({ fr: '', en: 'Your date of birth' })).toBe(true);
      expect(asks({ fr: '', en: 'Your name, please' })).toBe(true);
      expect(asks({ fr: 'Quel nombre ? Une renommée, adressé·e', en: '' })).toBe(false);
      expect(
        asks({ fr: '', en: 'I am going to name some behaviours; signs addressed to you' }),
      ).toBe(false);
      expect(ID_PATTERN.test('sd_phone')).toBe(true);
      expect(ID_PATTERN.test('sd_birth_self')).toBe(false);
      // The presentation promises not to ask: the patterns see it (notes are not questions).
      const intro = smpg().itemById.get('elig_intro')?.item.label;
      expect(intro !== undefined && asks(intro)).toBe(true);
    });

    it('no question or grid row asks for a name, an address, a phone number or a birth date', () => {
      const q = smpg();
      const flagged: string[] = [];
      for (const { item } of q.items) {
        if (ID_PATTERN.test(item.id)) flagged.push(`id ${item.id}`);
        if (item.type === 'note' || item.type === 'calculate') continue;
        if (item.label !== undefined && asks(item.label)) flagged.push(`label of ${item.id}`);
        if (item.type === 'grid') {
          for (const row of item.rows) {
            if (ID_PATTERN.test(row.id)) flagged.push(`id ${row.id}`);
            if (asks(row.label)) flagged.push(`label of ${row.id}`);
          }
        }
      }
      expect(flagged).toEqual([]);
    });

    it("only the interviewer's note is identifying, and it is optional", () => {
      const q = smpg();
      const identifying = q.items.filter((entry) => entry.item.identifying === true);
      expect(identifying.map((entry) => entry.item.id)).toEqual(['interviewer_note']);
      expect(identifying[0]?.item.type).toBe('text');
      expect(identifying[0]?.required).toBe(false);
    });
  });
});

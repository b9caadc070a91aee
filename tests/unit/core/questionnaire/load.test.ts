// Every kind of load-time issue: a bad definition is rejected with the path and a message saying
// how to fix it, and never makes loadQuestionnaire throw.
import { describe, expect, it } from 'vitest';
import { loadQuestionnaire } from '../../../../src/core/questionnaire/index.ts';
import {
  calculate,
  choices,
  definition,
  grid,
  integer,
  issuesOf,
  load,
  multiple,
  note,
  section,
  single,
  textItem,
} from '../../../helpers/builder.ts';

const yesNo = ['1', '2'];

/** The single issue of a definition: its path, code and message. */
function onlyIssue(def: unknown) {
  const issues = issuesOf(def).filter((issue) => issue.severity === 'error');
  expect(issues, JSON.stringify(issues, null, 1)).toHaveLength(1);
  return issues[0];
}

describe('loadQuestionnaire', () => {
  it('accepts a valid definition and compiles it', () => {
    const q = load(definition([single('a', yesNo), integer('b', { relevant: "${a} = '1'" })]));
    expect(q.items.map((entry) => entry.item.id)).toEqual(['a', 'b']);
    expect(q.nodes[q.nodeById.get('a') ?? -1]?.dependents).toContain(q.nodeById.get('b'));
  });

  it.each([null, 42, 'text', [], { id: 'x' }, undefined])('never throws on %j', (input) => {
    const result = loadQuestionnaire(input);
    expect(result.status).toBe('failure');
    if (result.status === 'failure') expect(result.issues.length).toBeGreaterThan(0);
  });

  it('schema: reports a missing field and a bad type with their path', () => {
    const def = definition([single('a', yesNo)]) as unknown as Record<string, unknown>;
    delete def['languages'];
    const issue = onlyIssue(def);
    expect(issue).toMatchObject({ path: 'languages', code: 'schema' });
  });

  it('schema: ids and versions have a documented format, and no name is an object built-in', () => {
    for (const [field, value] of [
      ['id', '__proto__'],
      ['id', 'constructor'],
      ['id', 'Smpg'],
      ['id', 'x'.repeat(41)],
      ['version', '1.2.3.4.5'],
      ['version', '1'.repeat(7)],
      ['version', 'v1'],
    ] as const) {
      const def = { ...definition([single('a', yesNo)]), [field]: value };
      const issues = issuesOf(def);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((issue) => issue.path === field && issue.code === 'schema')).toBe(true);
    }
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype']) {
      const issues = issuesOf(definition([single(name, yesNo)]));
      expect(issues.some((issue) => /reserved name/.test(issue.message))).toBe(true);
    }
    const valid = { ...definition([single('a', yesNo)]), id: 'smpg_2', version: '2026.12' };
    expect(loadQuestionnaire(valid).status).toBe('success');
  });

  it('schema: an unknown item type lists the known ones', () => {
    const def = definition([{ id: 'a', type: 'slider', label: { fr: 'a', en: 'a' } } as never]);
    const issue = onlyIssue(def);
    expect(issue?.path).toBe('sections[0].items[0].type');
    expect(issue?.message).toContain('single, multiple, integer');
  });

  it('schema: an unknown property is named', () => {
    const issue = onlyIssue(definition([integer('a', { maximum: 3 } as never)]));
    expect(issue?.path).toBe('sections[0].items[0]');
    expect(issue?.message).toContain('maximum');
  });

  it('default_language: must be one of the languages', () => {
    const issue = onlyIssue(definition([single('a', yesNo)], { defaultLanguage: 'de' }));
    expect(issue).toMatchObject({ path: 'defaultLanguage', code: 'default_language' });
    expect(issue?.message).toContain('"de"');
  });

  it('missing_translation: every text needs every language', () => {
    const a = single('a', yesNo, { label: { fr: 'Question A' } });
    const issue = onlyIssue(definition([a]));
    expect(issue).toMatchObject({
      path: 'sections[0].items[0].label',
      code: 'missing_translation',
    });
    expect(issue?.message).toContain('en');
  });

  it('missing_translation: the interviewer’s texts need only the default language', () => {
    const a = single('a', yesNo, { hint: { fr: 'Montrer la carte' } });
    const instruction = note('n', { label: { fr: 'Noter l’heure' }, style: 'instruction' });
    expect(loadQuestionnaire(definition([a, instruction])).status).toBe('success');
    // Read aloud, a note is the respondent's: every language.
    const aloud = note('m', { label: { fr: 'Merci' } });
    expect(onlyIssue(definition([a, aloud]))).toMatchObject({
      path: 'sections[0].items[1].label',
      code: 'missing_translation',
    });
    // In the default language, even the interviewer's.
    const noFrench = single('b', yesNo, { hint: { en: 'Show the card' } });
    expect(onlyIssue(definition([noFrench]))).toMatchObject({
      path: 'sections[0].items[0].hint',
      code: 'missing_translation',
    });
  });

  it('label_pack_missing_text: a new language needs the respondent’s texts only', () => {
    const def = definition([single('a', yesNo, { hint: { fr: 'Montrer', en: 'Show' } })]);
    const texts: Record<string, string> = {
      'items.a.label': 'Kestyon A',
      'choices.c_a.1': 'Wi',
    };
    const pack = { questionnaire: def.id, version: def.version, language: 'gcr', texts };
    const partial = loadQuestionnaire(def, { labelPacks: [{ source: 'gcr', pack }] });
    expect(partial.status === 'failure' ? partial.issues : []).toContainEqual(
      expect.objectContaining({ code: 'label_pack_missing_text' }),
    );
    const missing = partial.status === 'failure' ? partial.issues.map((i) => i.message) : [];
    expect(missing.join(' ')).not.toContain('items.a.hint');
    expect(missing.join(' ')).not.toContain('"title"');
  });

  it('duplicate_id: item ids and grid row ids share one namespace', () => {
    const issues = issuesOf(definition([single('a', yesNo), grid('g', ['r1', 'a'], yesNo)]));
    expect(issues).toContainEqual(
      expect.objectContaining({ path: 'sections[0].items[1].rows[1].id', code: 'duplicate_id' }),
    );
    expect(issues[0]?.message).toContain('sections[0].items[0].id');
  });

  it('unknown_choice_list: suggests the closest list', () => {
    const issue = onlyIssue(
      definition([single('a', 'yes_on')], { choiceLists: { yes_no: choices('1', '2') } }),
    );
    expect(issue).toMatchObject({
      path: 'sections[0].items[0].choices',
      code: 'unknown_choice_list',
    });
    expect(issue?.message).toContain('did you mean "yes_no"?');
  });

  it('duplicate_choice_code: in an inline list and in a shared one', () => {
    expect(onlyIssue(definition([single('a', ['1', '2', '1'])]))).toMatchObject({
      path: 'sections[0].items[0].choices[2].code',
      code: 'duplicate_choice_code',
    });
    expect(
      onlyIssue(definition([single('a', 'l')], { choiceLists: { l: choices('x', 'x') } })),
    ).toMatchObject({ path: 'choiceLists.l[1].code', code: 'duplicate_choice_code' });
  });

  it('invalid_range: min above max', () => {
    expect(onlyIssue(definition([integer('a', { min: 10, max: 5 })]))).toMatchObject({
      path: 'sections[0].items[0].min',
      code: 'invalid_range',
    });
  });

  it('non_response_code: a code that is also a valid answer', () => {
    const def = definition([integer('age', { min: 0, max: 120 })], {
      nonResponse: {
        dontKnow: { code: 98, label: { fr: 'NSP', en: 'DK' } },
        refused: { code: -9, label: { fr: 'Refus', en: 'Refused' } },
      },
    });
    const issue = onlyIssue(def);
    expect(issue).toMatchObject({ path: 'nonResponse.dontKnow.code', code: 'non_response_code' });
    expect(issue?.message).toContain('age');
    // The same code is fine on an item that offers no non-response.
    const off = definition([integer('age', { min: 0, max: 120, nonResponse: false })], {
      nonResponse: def.nonResponse,
    });
    expect(loadQuestionnaire(off).status).toBe('success');
  });

  it('unknown_exclusive_code: exclusive codes must be choices', () => {
    expect(onlyIssue(definition([multiple('a', ['x', 'y'], { exclusive: ['z'] })]))).toMatchObject({
      path: 'sections[0].items[0].exclusive[0]',
      code: 'unknown_exclusive_code',
    });
  });

  it('syntax: gives the position in the expression', () => {
    const issue = onlyIssue(
      definition([single('a', yesNo), integer('b', { relevant: "${a} = '1" })]),
    );
    expect(issue).toMatchObject({ path: 'sections[0].items[1].relevant', code: 'syntax' });
    expect(issue?.message).toMatch(/character 8 .*string is not closed/);
  });

  it('unknown_reference: suggests the closest name', () => {
    const issue = onlyIssue(
      definition([integer('q_age'), integer('b', { relevant: '${q_age2} > 3' })]),
    );
    expect(issue).toMatchObject({
      path: 'sections[0].items[1].relevant',
      code: 'unknown_reference',
    });
    expect(issue?.message).toBe('unknown question ${q_age2}; did you mean ${q_age}?');
  });

  it('not_a_value: notes and grids hold no answer', () => {
    const issue = onlyIssue(
      definition([grid('g', ['r1'], yesNo), note('n'), integer('b', { relevant: "${g} = '1'" })]),
    );
    expect(issue).toMatchObject({ path: 'sections[0].items[2].relevant', code: 'not_a_value' });
    expect(issue?.message).toContain('rows');
  });

  it('forward_reference: relevant may only look back', () => {
    const issue = onlyIssue(definition([integer('a', { relevant: '${b} > 1' }), integer('b')]));
    expect(issue).toMatchObject({
      path: 'sections[0].items[0].relevant',
      code: 'forward_reference',
    });
    expect(issue?.message).toContain('${b}');
    expect(onlyIssue(definition([integer('a', { relevant: '${a} > 1' })]))?.code).toBe(
      'forward_reference',
    );
    // A section's condition may not use its own items either.
    const sectioned = definition([
      section('s1', [integer('a')]),
      section('s2', [integer('b'), integer('c')], { relevant: '${c} > 1' }),
    ]);
    expect(onlyIssue(sectioned)).toMatchObject({
      path: 'sections[1].relevant',
      code: 'forward_reference',
    });
  });

  it('cycle: calculations that depend on each other', () => {
    const issue = onlyIssue(
      definition([calculate('x', '${y} + 1'), calculate('y', '${z} * 2'), calculate('z', '${x}')]),
    );
    expect(issue).toMatchObject({ path: 'sections[0].items[0].calculate', code: 'cycle' });
    expect(issue?.message).toContain('${x} -> ${y} -> ${z} -> ${x}');
  });

  it('unknown_function: suggests the closest function', () => {
    const issue = onlyIssue(
      definition([multiple('m', ['a']), calculate('n', 'count-selectd(${m})')]),
    );
    expect(issue).toMatchObject({
      path: 'sections[0].items[1].calculate',
      code: 'unknown_function',
    });
    expect(issue?.message).toContain('did you mean count-selected()?');
  });

  it('arity: says how the function is called', () => {
    const issue = onlyIssue(definition([integer('a'), calculate('b', 'if(${a} > 1, 2)')]));
    expect(issue).toMatchObject({ path: 'sections[0].items[1].calculate', code: 'arity' });
    expect(issue?.message).toBe('if() takes 3 arguments, not 2: if(condition, then, else)');
  });

  it('type_mismatch: selected() on a number, arithmetic on text', () => {
    expect(
      onlyIssue(definition([integer('a'), calculate('b', "selected(${a}, '1')")])),
    ).toMatchObject({
      path: 'sections[0].items[1].calculate',
      code: 'type_mismatch',
    });
    expect(onlyIssue(definition([textItem('t'), calculate('b', '${t} + 1')]))?.code).toBe(
      'type_mismatch',
    );
    expect(
      onlyIssue(definition([single('s', ['1']), calculate('b', 'count-selected(${s})')]))?.code,
    ).toBe('type_mismatch');
  });

  it('unknown_choice_code: comparison and selected() with a code not in the list', () => {
    const issue = onlyIssue(
      definition([single('sex', ['1', '2']), integer('b', { relevant: "${sex} = '3'" })]),
    );
    expect(issue).toMatchObject({
      path: 'sections[0].items[1].relevant',
      code: 'unknown_choice_code',
    });
    expect(issue?.message).toContain("'3' is not a code of ${sex} (codes: 1, 2)");
    expect(
      onlyIssue(
        definition([
          multiple('m', ['bus', 'car']),
          integer('b', { relevant: "selected(${m}, 'bike')" }),
        ]),
      )?.code,
    ).toBe('unknown_choice_code');
    // Grid rows are checked against the grid's choices.
    expect(
      onlyIssue(
        definition([grid('g', ['r1'], ['0', '1']), integer('b', { relevant: '${r1} = 2' })]),
      )?.code,
    ).toBe('unknown_choice_code');
  });

  it('current_outside_constraint: "." only in a constraint', () => {
    expect(onlyIssue(definition([integer('a', { relevant: '. > 1' })]))).toMatchObject({
      path: 'sections[0].items[0].relevant',
      code: 'current_outside_constraint',
    });
    expect(loadQuestionnaire(definition([integer('a', { constraint: '. > 1' })])).status).toBe(
      'success',
    );
  });

  it('invalid_regex: a pattern that does not compile', () => {
    expect(onlyIssue(definition([textItem('a', { constraint: "regex(., '[a-')" })]))).toMatchObject(
      {
        path: 'sections[0].items[0].constraint',
        code: 'invalid_regex',
      },
    );
  });

  it('unused_choice_list: a warning, not a failure', () => {
    const result = loadQuestionnaire(
      definition([single('a', yesNo)], { choiceLists: { spare: choices('x') } }),
    );
    expect(result.status).toBe('warning');
    if (result.status === 'warning') {
      expect(result.issues).toEqual([
        expect.objectContaining({
          path: 'choiceLists.spare',
          code: 'unused_choice_list',
          severity: 'warning',
        }),
      ]);
    }
  });

  it('reports every issue at once, not only the first', () => {
    const issues = issuesOf(
      definition([
        integer('a', { relevant: '${zz} > 1' }),
        calculate('b', 'nope(1)'),
        integer('c', { min: 3, max: 1 }),
      ]),
    );
    expect(issues.map((issue) => issue.code).sort()).toEqual([
      'invalid_range',
      'unknown_function',
      'unknown_reference',
    ]);
  });
});

describe('label packs', () => {
  const base = () => definition([single('a', 'yn')], { choiceLists: { yn: choices('1', '2') } });
  const fullPack = {
    questionnaire: 'test',
    version: '1',
    language: 'de',
    texts: {
      title: 'Titel',
      'nonResponse.dontKnow': 'Weiß nicht',
      'nonResponse.refused': 'Verweigert',
      'choices.yn.1': 'Ja',
      'choices.yn.2': 'Nein',
      'sections.main.title': 'Hauptteil',
      'items.a.label': 'Frage A',
    },
  };

  it('adds a language', () => {
    const result = loadQuestionnaire(base(), {
      labelPacks: [{ source: 'x.labels.de.json', pack: fullPack }],
    });
    expect(result.status).toBe('success');
    if (result.status !== 'success') return;
    expect(result.definition.languages).toEqual(['fr', 'en', 'de']);
    expect(result.questionnaire.items[0]?.item.label?.['de']).toBe('Frage A');
    expect(result.questionnaire.items[0]?.choices?.[0]?.label['de']).toBe('Ja');
  });

  it('replaces some wording of an existing language (a licensed instrument)', () => {
    const pack = {
      questionnaire: 'test',
      version: '1',
      language: 'fr',
      texts: { 'items.a.label': 'Texte sous licence' },
    };
    const result = loadQuestionnaire(base(), { labelPacks: [{ source: 'p', pack }] });
    expect(result.status).toBe('success');
    if (result.status === 'success') {
      expect(result.questionnaire.items[0]?.item.label).toEqual({
        fr: 'Texte sous licence',
        en: 'a (en)',
      });
    }
  });

  it('label_pack_unknown_key: names the key and suggests one', () => {
    const pack = { ...fullPack, texts: { ...fullPack.texts, 'items.aa.label': 'x' } };
    const result = loadQuestionnaire(base(), {
      labelPacks: [{ source: '1.labels.de.json', pack }],
    });
    expect(result.status).toBe('failure');
    if (result.status === 'failure') {
      expect(result.issues).toEqual([
        expect.objectContaining({
          path: '1.labels.de.json.texts.items.aa.label',
          code: 'label_pack_unknown_key',
          message: expect.stringContaining('did you mean "items.a.label"?'),
        }),
      ]);
    }
  });

  it('label_pack_missing_text: a new language must translate everything', () => {
    const texts: Record<string, string> = { ...fullPack.texts };
    delete texts['choices.yn.2'];
    const result = loadQuestionnaire(base(), {
      labelPacks: [{ source: 'p', pack: { ...fullPack, texts } }],
    });
    expect(result.status).toBe('failure');
    if (result.status === 'failure') {
      expect(result.issues).toEqual([
        expect.objectContaining({
          code: 'label_pack_missing_text',
          message: expect.stringContaining('choices.yn.2'),
        }),
      ]);
    }
  });

  it('label_pack_mismatch: a pack for another questionnaire or version', () => {
    const result = loadQuestionnaire(base(), {
      labelPacks: [{ source: 'p', pack: { ...fullPack, version: '2' } }],
    });
    expect(result.status === 'failure' && result.issues[0]?.code).toBe('label_pack_mismatch');
  });

  it('a malformed pack is a schema issue under its source', () => {
    const result = loadQuestionnaire(base(), {
      labelPacks: [{ source: 'p.json', pack: { language: 'de' } }],
    });
    expect(result.status).toBe('failure');
    if (result.status === 'failure') {
      expect(result.issues.every((issue) => issue.path.startsWith('p.json'))).toBe(true);
    }
  });
});

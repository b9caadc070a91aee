// A generated questionnaire of a chosen size (items, calculations, share of items with a relevance
// condition), written twice with the same logic: as our definition (JSON) and as an ODK XForm
// (XML), for the engine benchmarks (figures 1 and 2). Pure: runs in Node and in the browser.
import type { Definition, Item } from '../src/core/questionnaire/index.ts';
import { seededRandom } from '../scripts/random.ts';

export interface SyntheticOptions {
  /** Items in all, calculations included. */
  readonly items: number;
  readonly calculations: number;
  /** Share of all items that have a `relevant` condition (answerable items only carry them). */
  readonly relevantShare: number;
  readonly sections: number;
  readonly seed: number;
}

/** The figures' questionnaire: 1,000 items, 300 of them calculations, relevance on 60 %. */
export const FIGURE_QUESTIONNAIRE: SyntheticOptions = {
  items: 1000,
  calculations: 300,
  relevantShare: 0.6,
  sections: 10,
  seed: 2026,
};

export interface Synthetic {
  readonly definition: Definition;
  /** The same questionnaire as an ODK XForm. */
  readonly xform: string;
  /** The answer each answerable item gets when it is asked (`'1'`/`'2'` or an integer). */
  readonly answers: ReadonlyMap<string, string | number>;
  /** Each item's node in the XForm instance (`/data/s3/q123`). */
  readonly paths: ReadonlyMap<string, string>;
  /** Ids of the calculations. */
  readonly calculations: readonly string[];
}

type Kind = 'yes_no' | 'number' | 'calc';

interface Planned {
  readonly id: string;
  readonly kind: Kind;
  readonly section: number;
  readonly relevant?: string;
  readonly calculate?: string;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Our expression syntax (XLSForm's) to XPath: `${name}` becomes the node's absolute path. */
function toXPath(expression: string, paths: ReadonlyMap<string, string>): string {
  return expression.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const path = paths.get(name);
    if (path === undefined) throw new Error(`unknown name ${name}`);
    return path;
  });
}

export function syntheticQuestionnaire(options: SyntheticOptions): Synthetic {
  const random = seededRandom(options.seed);
  const answerable = options.items - options.calculations;
  // Relevance goes on answerable items only (a calculation always has a value, so sums of them
  // never read an empty value in either engine): that many of them carry one.
  const relevantChance = Math.min(1, (options.items * options.relevantShare) / answerable);
  const planned: Planned[] = [];
  const earlier: Record<Kind, string[]> = { yes_no: [], number: [], calc: [] };
  const recent = (kind: Kind, window: number): string | undefined => {
    const list = earlier[kind];
    return list.length === 0 ? undefined : random.pick(list.slice(-window));
  };
  for (let i = 0; i < options.items; i++) {
    const section = Math.floor((i * options.sections) / options.items);
    const isCalc =
      Math.floor(((i + 1) * options.calculations) / options.items) >
      Math.floor((i * options.calculations) / options.items);
    if (isCalc) {
      const id = `c${i + 1}`;
      const yes = recent('yes_no', 40);
      const num = recent('number', 40);
      const before = recent('calc', 10);
      const terms = [
        yes === undefined ? '0' : `if(\${${yes}} = '1', 1, 0)`,
        num === undefined ? '0' : `if(\${${num}} > 5, \${${num}}, 0)`,
        ...(before === undefined ? [] : [`\${${before}}`]),
      ];
      planned.push({ id, kind: 'calc', section, calculate: terms.join(' + ') });
      earlier.calc.push(id);
      continue;
    }
    const kind: Kind = random.chance(0.6) ? 'yes_no' : 'number';
    const id = `${kind === 'yes_no' ? 'q' : 'n'}${i + 1}`;
    let relevant: string | undefined;
    const yes = recent('yes_no', 40);
    const num = recent('number', 40);
    const calc = recent('calc', 20);
    if (random.chance(relevantChance) && yes !== undefined && num !== undefined) {
      const shape = random.int(0, 4);
      relevant =
        shape === 0
          ? `\${${yes}} = '1'`
          : shape === 1
            ? `\${${num}} >= 3`
            : shape === 2
              ? `\${${yes}} = '1' or \${${num}} > 6`
              : shape === 3 && calc !== undefined
                ? `\${${calc}} mod 3 != 0`
                : `not(\${${yes}} = '2') and \${${num}} != 5`;
    }
    planned.push({ id, kind, section, ...(relevant === undefined ? {} : { relevant }) });
    earlier[kind].push(id);
  }

  const answers = new Map<string, string | number>();
  for (const item of planned) {
    if (item.kind === 'yes_no') answers.set(item.id, random.chance(0.7) ? '1' : '2');
    if (item.kind === 'number') answers.set(item.id, random.int(0, 10));
  }
  const paths = new Map(planned.map((item) => [item.id, `/data/s${item.section + 1}/${item.id}`]));

  const label = (text: string) => ({ en: text });
  const definition: Definition = {
    id: 'synthetic',
    version: '1',
    title: label('Synthetic benchmark questionnaire'),
    languages: ['en'],
    defaultLanguage: 'en',
    nonResponse: {
      dontKnow: { code: -8, label: label("Don't know") },
      refused: { code: -9, label: label('Refused') },
    },
    choiceLists: {
      yes_no: [
        { code: '1', label: label('Yes') },
        { code: '2', label: label('No') },
      ],
    },
    sections: Array.from({ length: options.sections }, (_, s) => ({
      id: `s${s + 1}`,
      title: label(`Section ${s + 1}`),
      items: planned
        .filter((item) => item.section === s)
        .map((item): Item => {
          const relevant = item.relevant === undefined ? {} : { relevant: item.relevant };
          if (item.kind === 'calc')
            return { id: item.id, type: 'calculate', calculate: item.calculate ?? '0' };
          if (item.kind === 'yes_no')
            return {
              id: item.id,
              type: 'single',
              label: label(`Question ${item.id}?`),
              choices: 'yes_no',
              ...relevant,
            };
          return {
            id: item.id,
            type: 'integer',
            label: label(`How many ${item.id}?`),
            min: 0,
            max: 10,
            ...relevant,
          };
        }),
    })),
  };

  const instance: string[] = [];
  const binds: string[] = [];
  const body: string[] = [];
  for (let s = 0; s < options.sections; s++) {
    const items = planned.filter((item) => item.section === s);
    instance.push(`<s${s + 1}>${items.map((item) => `<${item.id}/>`).join('')}</s${s + 1}>`);
    body.push(`<group ref="/data/s${s + 1}"><label>Section ${s + 1}</label>`);
    for (const item of items) {
      const path = paths.get(item.id) ?? '';
      const type = item.kind === 'yes_no' ? 'string' : 'int';
      const relevant =
        item.relevant === undefined
          ? ''
          : ` relevant="${escapeXml(toXPath(item.relevant, paths))}"`;
      const calculate =
        item.calculate === undefined
          ? ''
          : ` calculate="${escapeXml(toXPath(item.calculate, paths))}"`;
      binds.push(`<bind nodeset="${path}" type="${type}"${relevant}${calculate}/>`);
      if (item.kind === 'yes_no')
        body.push(
          `<select1 ref="${path}"><label>Question ${item.id}?</label>` +
            '<item><label>Yes</label><value>1</value></item>' +
            '<item><label>No</label><value>2</value></item></select1>',
        );
      if (item.kind === 'number')
        body.push(`<input ref="${path}"><label>How many ${item.id}?</label></input>`);
    }
    body.push('</group>');
  }
  const xform = [
    '<?xml version="1.0"?>',
    '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"',
    ' xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms"',
    ' xmlns:orx="http://openrosa.org/xforms">',
    '<h:head><h:title>Synthetic benchmark questionnaire</h:title>',
    '<model odk:xforms-version="1.0.0"><instance>',
    `<data id="synthetic" version="1">${instance.join('')}<meta><instanceID/></meta></data>`,
    '</instance>',
    ...binds,
    '<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>',
    '</model></h:head>',
    `<h:body>${body.join('')}</h:body>`,
    '</h:html>',
  ].join('\n');

  return {
    definition,
    xform,
    answers,
    paths,
    calculations: planned.filter((item) => item.kind === 'calc').map((item) => item.id),
  };
}

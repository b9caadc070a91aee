// A checker of Stata do-files against the documented grammar of exactly the commands the export's
// do-file uses, for want of Stata on the test machines. It tokenizes as Stata does (double quotes,
// compound quotes `"…"', local macros `name', the escapes \$ \` \\; `*` and `//` comments, `///`
// continuations) and plays the commands on a model of the dataset: every variable a command names
// must exist then (and be numeric where it must), names follow [U] 11.3, variable labels hold at
// most 80 characters, value labels label integers or .a-.z only. Sources: the Stata manuals
// ([D] import delimited, rename group, generate, mvdecode, label, notes, format; [U] 11.3,
// 12.2.1 missing values, 18.3 macros) and the Stata FAQ "Backslashes and macros".

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const RESERVED = new Set([
  '_all',
  '_b',
  'byte',
  '_coef',
  '_cons',
  'double',
  'float',
  'if',
  'in',
  'int',
  'long',
  '_n',
  '_N',
  '_pi',
  '_pred',
  '_rc',
  '_se',
  '_skip',
  'strL',
  'using',
  'with',
]);
const TYPES = new Set(['byte', 'int', 'long', 'float', 'double']);
/** Functions the do-file may call in an expression. */
const FUNCTIONS = new Set(['date', 'clock', 'subinstr', 'substr', 'inlist', 'cond', 'real', 'c']);
/** import delimited's options: those taking an argument, then those without. */
const IMPORT_ARG = new Set([
  'delimiters',
  'varnames',
  'rowrange',
  'colrange',
  'encoding',
  'bindquotes',
  'maxquotedrows',
  'decimalseparator',
  'groupseparator',
  'stringcols',
  'numericcols',
  'case',
  'stripquotes',
  'emptylines',
  'parselocale',
]);
const IMPORT_BARE = new Set(['clear', 'asdouble', 'asfloat', 'favorstrfixed']);
const DISPLAY_FORMAT = /^%(-?[0-9]+\.[0-9]+[gfe]c?|-?[0-9]+s|t[cCdwmqhy].*)$/;

export function isStataName(name: string): boolean {
  return NAME.test(name) && !RESERVED.has(name) && !/^str[0-9]+$/.test(name);
}

type Token =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'macro'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: string };

class SyntaxIssue extends Error {}

/** The text of a string after Stata's escapes, checking it expands no macro by mistake. */
function unescape(raw: string, locals: ReadonlySet<string>): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] ?? '';
    const next = raw[i + 1] ?? '';
    if (char === '\\' && (next === '$' || next === '`' || next === '\\')) {
      out += next;
      i++;
    } else if (char === '$' && /[A-Za-z_{]/.test(next)) {
      throw new SyntaxIssue(`a global macro would expand inside a string: ${raw}`);
    } else if (char === '`') {
      const end = raw.indexOf("'", i);
      const name = end < 0 ? '' : raw.slice(i + 1, end);
      if (!locals.has(name)) throw new SyntaxIssue(`a backquote opens a macro in ${raw}`);
      out += `<${name}>`;
      i = end;
    } else {
      out += char;
    }
  }
  return out;
}

/** The tokens of one command. */
function tokenize(command: string, locals: ReadonlySet<string>): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < command.length) {
    const char = command[i] ?? '';
    if (/\s/.test(char)) {
      i++;
    } else if (char === '`' && command[i + 1] === '"') {
      // Compound quotes nest: `" opens, "' closes.
      let depth = 1;
      let j = i + 2;
      while (j < command.length && depth > 0) {
        if (command[j] === '`' && command[j + 1] === '"') {
          depth++;
          j += 2;
        } else if (command[j] === '"' && command[j + 1] === "'") {
          depth--;
          j += 2;
        } else j++;
      }
      if (depth > 0) throw new SyntaxIssue(`unclosed compound quote: ${command.slice(i)}`);
      tokens.push({ kind: 'string', text: unescape(command.slice(i + 2, j - 2), locals) });
      i = j;
    } else if (char === '`') {
      const end = command.indexOf("'", i);
      if (end < 0) throw new SyntaxIssue(`unclosed macro: ${command.slice(i)}`);
      const name = command.slice(i + 1, end);
      if (!locals.has(name)) throw new SyntaxIssue(`undefined local macro \`${name}'`);
      tokens.push({ kind: 'macro', text: name });
      i = end + 1;
    } else if (char === '"') {
      const end = command.indexOf('"', i + 1);
      if (end < 0) throw new SyntaxIssue(`unclosed string: ${command.slice(i)}`);
      // A plain string ends at the next double quote: it cannot hold one.
      tokens.push({ kind: 'string', text: unescape(command.slice(i + 1, end), locals) });
      i = end + 1;
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9a-z]/.test(command[i + 1] ?? ''))) {
      const match = /^(\.[a-z](?![A-Za-z0-9_])|[0-9]*\.?[0-9]+)/.exec(command.slice(i));
      const text = match?.[0] ?? char;
      tokens.push({ kind: 'number', text });
      i += text.length;
    } else if (/[A-Za-z_%]/.test(char)) {
      const match = /^%?[A-Za-z_][A-Za-z0-9_]*/.exec(command.slice(i));
      const text = match?.[0] ?? char;
      tokens.push({ kind: 'word', text });
      i += text.length;
    } else {
      const two = command.slice(i, i + 2);
      const text = ['==', '!=', '<=', '>=', '&&', '||'].includes(two) ? two : char;
      tokens.push({ kind: 'punct', text });
      i += text.length;
    }
  }
  return tokens;
}

/** Logical commands: comments dropped, `///` continuations joined. */
function commands(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | undefined;
  text.split(/\r?\n/).forEach((physical, index) => {
    let line = physical;
    if (pending === undefined && /^\s*\*/.test(line)) return;
    // Taken as Stata would at worst, even inside a string: `/*` opens a comment, and `//` after
    // a blank or at the start of a line comments the rest of it out (`///` continues it).
    if (/\/\*|\*\//.test(line)) throw new SyntaxIssue(`line ${index + 1}: /* or */ in ${line}`);
    const continued = /(^|\s)\/\/\/\s*$/.test(line);
    line = line.replace(/(^|\s)\/\/\/?.*$/, '');
    if (pending === undefined) pending = { line: index + 1, text: line };
    else pending.text += ` ${line}`;
    if (!continued) {
      if (pending.text.trim() !== '') out.push(pending);
      pending = undefined;
    }
  });
  if (pending !== undefined) throw new SyntaxIssue(`line ${pending.line}: /// continues nothing`);
  return out;
}

interface Dataset {
  /** Variables in order, with whether they are numeric. */
  vars: Map<string, boolean>;
  readonly labels: Set<string>;
  readonly locals: Set<string>;
}

class Reader {
  private at = 0;
  constructor(readonly tokens: readonly Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }
  next(): Token {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new SyntaxIssue('the command ends too early');
    return token;
  }
  done(): boolean {
    return this.at >= this.tokens.length;
  }
  expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new SyntaxIssue(`expected ${text}, found ${token.text}`);
  }
  word(): string {
    const token = this.next();
    if (token.kind !== 'word') throw new SyntaxIssue(`expected a name, found ${token.text}`);
    return token.text;
  }
  string(): string {
    const token = this.next();
    if (token.kind !== 'string') throw new SyntaxIssue(`expected a string, found ${token.text}`);
    return token.text;
  }
  end(): void {
    if (!this.done()) throw new SyntaxIssue(`unexpected ${this.peek()?.text ?? ''}`);
  }
}

function newName(name: string): string {
  if (!isStataName(name)) throw new SyntaxIssue(`${name} is not a valid Stata name`);
  return name;
}

function existing(data: Dataset, name: string, numeric?: boolean): void {
  const isNumeric = data.vars.get(name);
  if (isNumeric === undefined) throw new SyntaxIssue(`variable ${name} not found`);
  if (numeric === true && !isNumeric) throw new SyntaxIssue(`${name} is a string variable`);
}

/** Words up to a comma or the end: a varlist of existing variables. */
function varlist(reader: Reader, data: Dataset, numeric?: boolean, keepLast = 0): string[] {
  const names: string[] = [];
  while (!reader.done() && reader.peek()?.text !== ',') names.push(reader.word());
  const listed = names.slice(0, names.length - keepLast);
  if (listed.length === 0) throw new SyntaxIssue('expected a variable list');
  for (const name of listed) existing(data, name, numeric);
  return names;
}

/** Options `name(arguments)` or `name`, after a comma. */
function options(reader: Reader): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  if (reader.done()) return found;
  reader.expect(',');
  while (!reader.done()) {
    const name = reader.word();
    if (reader.peek()?.text === '(') {
      reader.next();
      const parts: string[] = [];
      let depth = 1;
      for (;;) {
        const token = reader.next();
        if (token.text === '(') depth++;
        if (token.text === ')' && --depth === 0) break;
        parts.push(token.kind === 'string' ? JSON.stringify(token.text) : token.text);
      }
      found.set(name, parts.join(' '));
    } else {
      found.set(name, undefined);
    }
  }
  return found;
}

/** An expression up to `if`, a comma or the end: its variables must exist. */
function expression(reader: Reader, data: Dataset, stops: readonly string[]): void {
  let depth = 0;
  let count = 0;
  while (!reader.done()) {
    const token = reader.peek();
    if (token === undefined) break;
    if (depth === 0 && (stops.includes(token.text) || token.text === ',')) break;
    reader.next();
    count++;
    if (token.text === '(') depth++;
    if (token.text === ')' && --depth < 0) throw new SyntaxIssue('unbalanced parentheses');
    if (token.kind === 'word') {
      if (reader.peek()?.text === '(') {
        if (!FUNCTIONS.has(token.text)) throw new SyntaxIssue(`unknown function ${token.text}()`);
      } else if (token.text !== 'k') {
        existing(data, token.text);
      }
    }
  }
  if (depth !== 0) throw new SyntaxIssue('unbalanced parentheses');
  if (count === 0) throw new SyntaxIssue('expected an expression');
}

/** 1-based positions of a numlist such as `1 3/5 8`. */
function positions(list: string): number[] {
  const out: number[] = [];
  for (const part of list
    .replace(/\s*\/\s*/g, '/')
    .split(/\s+/)
    .filter((p) => p !== '')) {
    const match = /^([0-9]+)(?:\s*\/\s*([0-9]+))?$/.exec(part);
    if (match === null) throw new SyntaxIssue(`bad numlist element ${part}`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw new SyntaxIssue(`bad range ${part}`);
    for (let n = from; n <= to; n++) out.push(n);
  }
  return out;
}

function labelText(text: string, max: number, what: string): void {
  if (Array.from(text).length > max)
    throw new SyntaxIssue(`${what} longer than ${max} characters: ${text}`);
}

function importDelimited(reader: Reader, data: Dataset): void {
  reader.expect('delimited');
  reader.expect('using');
  const file = reader.next();
  if (file.kind !== 'string' && file.kind !== 'macro' && file.kind !== 'word')
    throw new SyntaxIssue('import delimited: expected a file name');
  const found = options(reader);
  for (const name of found.keys())
    if (!IMPORT_ARG.has(name) && !IMPORT_BARE.has(name))
      throw new SyntaxIssue(`import delimited: unknown option ${name}()`);
  if (!found.has('clear') && data.vars.size > 0)
    throw new SyntaxIssue('import delimited: data in memory and no clear');
  if (found.get('varnames') !== 'nonames')
    throw new SyntaxIssue('import delimited: varnames(nonames) expected (names are given after)');
  const delimiter = found.get('delimiters');
  if (delimiter !== '","' && delimiter !== '";"')
    throw new SyntaxIssue(`import delimited: delimiters(${delimiter ?? ''})`);
  const decimal = found.get('decimalseparator');
  if (found.has('decimalseparator') && decimal !== ',' && decimal !== '.')
    throw new SyntaxIssue(`import delimited: decimalseparator(${decimal ?? ''})`);
  const strings = positions(found.get('stringcols') ?? '');
  const numbers = positions(found.get('numericcols') ?? '');
  const all = [...strings, ...numbers].sort((a, b) => a - b);
  if (all.some((position, i) => position !== i + 1))
    throw new SyntaxIssue('import delimited: stringcols and numericcols do not cover 1..k once');
  data.vars = new Map(all.map((position) => [`v${position}`, numbers.includes(position)]));
}

function rename(reader: Reader, data: Dataset): void {
  if (reader.peek()?.text !== '(') {
    const from = reader.word();
    const to = newName(reader.word());
    reader.end();
    existing(data, from);
    if (data.vars.has(to)) throw new SyntaxIssue(`rename: ${to} already defined`);
    data.vars = new Map(
      [...data.vars].map(([name, numeric]) => [name === from ? to : name, numeric]),
    );
    return;
  }
  const group = (): string[] => {
    reader.expect('(');
    const names: string[] = [];
    while (reader.peek()?.text !== ')') names.push(reader.word());
    reader.expect(')');
    return names;
  };
  const from = group();
  const to = group().map(newName);
  reader.end();
  if (from.length !== to.length) throw new SyntaxIssue('rename: lists of different lengths');
  for (const name of from) existing(data, name);
  const renames = new Map(from.map((name, i) => [name, to[i] ?? name]));
  const next = new Map<string, boolean>();
  for (const [name, numeric] of data.vars) {
    const renamed = renames.get(name) ?? name;
    if (next.has(renamed)) throw new SyntaxIssue(`rename: ${renamed} would be defined twice`);
    next.set(renamed, numeric);
  }
  data.vars = next;
}

function generate(reader: Reader, data: Dataset): void {
  let type: string | undefined;
  if (TYPES.has(reader.peek()?.text ?? '')) type = reader.word();
  const name = newName(reader.word());
  if (data.vars.has(name)) throw new SyntaxIssue(`generate: ${name} already defined`);
  reader.expect('=');
  expression(reader, data, ['if']);
  if (reader.peek()?.text === 'if') {
    reader.next();
    expression(reader, data, []);
  }
  const found = options(reader);
  for (const option of found.keys())
    if (option !== 'after' && option !== 'before')
      throw new SyntaxIssue(`generate: unknown option ${option}()`);
  const anchor = found.get('after') ?? found.get('before');
  const entries = [...data.vars];
  let at = entries.length;
  if (anchor !== undefined) {
    existing(data, anchor);
    at = entries.findIndex(([other]) => other === anchor) + (found.has('after') ? 1 : 0);
  }
  // The export generates numbers only (a `str#` type is refused above as an unknown name).
  entries.splice(at, 0, [name, type === undefined || TYPES.has(type)]);
  data.vars = new Map(entries);
}

function labelCommand(reader: Reader, data: Dataset): void {
  const sub = reader.word();
  switch (sub) {
    case 'variable': {
      const name = reader.word();
      existing(data, name);
      labelText(reader.string(), 80, 'variable label');
      reader.end();
      return;
    }
    case 'data':
      labelText(reader.string(), 80, 'dataset label');
      reader.end();
      return;
    case 'define': {
      const name = newName(reader.word());
      let pairs = 0;
      while (!reader.done() && reader.peek()?.text !== ',') {
        let value = reader.next();
        if (value.text === '-') value = { kind: 'number', text: `-${reader.next().text}` };
        if (value.kind !== 'number' || !/^(-?[0-9]+|\.[a-z])$/.test(value.text))
          throw new SyntaxIssue(`label define ${name}: ${value.text} is not an integer or .a-.z`);
        labelText(reader.string(), 32_000, 'value label');
        pairs++;
      }
      const found = options(reader);
      if (pairs === 0) throw new SyntaxIssue(`label define ${name}: no value`);
      if (
        data.labels.has(name) &&
        !found.has('modify') &&
        !found.has('add') &&
        !found.has('replace')
      )
        throw new SyntaxIssue(`label ${name} already defined`);
      data.labels.add(name);
      return;
    }
    case 'values': {
      const names = varlist(reader, data, true, 1);
      const label = names.at(-1) ?? '';
      if (!data.labels.has(label)) throw new SyntaxIssue(`value label ${label} not found`);
      reader.end();
      return;
    }
    default:
      throw new SyntaxIssue(`label ${sub}: not a subcommand the export uses`);
  }
}

function mvdecode(reader: Reader, data: Dataset): void {
  varlist(reader, data, true);
  const found = options(reader);
  const spec = found.get('mv');
  if (spec === undefined || found.size !== 1) throw new SyntaxIssue('mvdecode: mv() expected');
  for (const rule of spec.split('\\')) {
    if (!/^\s*(- )?[0-9]+(\s+(- )?[0-9]+)*\s*(=\s*\.[a-z]\s*)?$/.test(rule))
      throw new SyntaxIssue(`mvdecode: bad rule ${rule}`);
  }
}

function play(tokens: Token[], data: Dataset): void {
  const reader = new Reader(tokens);
  const command = reader.word();
  switch (command) {
    case 'version': {
      const version = reader.next();
      if (version.kind !== 'number') throw new SyntaxIssue('version: expected a number');
      reader.end();
      return;
    }
    case 'clear':
      reader.end();
      data.vars = new Map();
      return;
    case 'local': {
      const name = reader.word();
      reader.next();
      reader.end();
      data.locals.add(name);
      return;
    }
    case 'if': {
      // `if exp command`: the expression ends where the command starts.
      const rest = tokens.slice(1);
      const at = rest.findIndex(
        (token, i) => i > 0 && token.kind === 'word' && token.text === 'local',
      );
      if (at < 0) throw new SyntaxIssue('if: expected a command after the expression');
      play(rest.slice(at), data);
      return;
    }
    case 'import':
      importDelimited(reader, data);
      return;
    case 'assert': {
      const words = tokens
        .slice(1)
        .map((token) => token.text)
        .join(' ');
      const match = /^c \( k \) == ([0-9]+)$/.exec(words);
      if (match === null) throw new SyntaxIssue(`assert: ${words}`);
      if (Number(match[1]) !== data.vars.size)
        throw new SyntaxIssue(`assert: ${data.vars.size} variables, not ${match[1]}`);
      return;
    }
    case 'rename':
      rename(reader, data);
      return;
    case 'generate':
      generate(reader, data);
      return;
    case 'replace': {
      existing(data, reader.word());
      reader.expect('=');
      expression(reader, data, ['if']);
      if (reader.peek()?.text === 'if') {
        reader.next();
        expression(reader, data, []);
      }
      reader.end();
      return;
    }
    case 'drop':
      for (const name of varlist(reader, data)) data.vars.delete(name);
      reader.end();
      return;
    case 'format': {
      const names = varlist(reader, data, undefined, 1);
      const format = names.at(-1) ?? '';
      if (!DISPLAY_FORMAT.test(format)) throw new SyntaxIssue(`format: ${format}`);
      return;
    }
    case 'mvdecode':
      mvdecode(reader, data);
      return;
    case 'label':
      labelCommand(reader, data);
      return;
    case 'notes': {
      existing(data, reader.word());
      reader.expect(':');
      if (reader.done()) throw new SyntaxIssue('notes: no text');
      return;
    }
    case 'describe':
      options(reader);
      return;
    default:
      throw new SyntaxIssue(`${command}: not a command the export uses`);
  }
}

/**
 * What is wrong with a do-file, one message per command at fault (empty when nothing is). `args`
 * are the local macros a caller passes (`do file.do path` defines `1`).
 */
export function checkStataSyntax(text: string, args: readonly string[] = ['1']): string[] {
  const issues: string[] = [];
  const data: Dataset = { vars: new Map(), labels: new Set(), locals: new Set(args) };
  let list: { line: number; text: string }[];
  try {
    list = commands(text);
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  for (const { line, text: command } of list) {
    try {
      play(tokenize(command, data.locals), data);
    } catch (error) {
      if (!(error instanceof SyntaxIssue)) throw error;
      issues.push(`line ${line}: ${error.message}`);
    }
  }
  return issues;
}

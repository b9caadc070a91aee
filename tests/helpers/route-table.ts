// The route table of docs/api.md ("## Routes") read as data: the auth matrix and the fuzz test are
// generated from it, so a route added to the server (and, as routes-doc.test.ts demands, to the
// table) is covered.

import { readFileSync } from 'node:fs';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface DocumentedRoute {
  readonly method: Method;
  /** As registered: `/api/v1/sites/:site/devices/:id/revoke`. */
  readonly path: string;
  /** `METHOD path`: how fixtures and reports name the route. */
  readonly key: string;
  /** The "who may call" cell, as written. */
  readonly who: string;
  /** The "body" cell, as written (`—` when the route takes none). */
  readonly body: string;
  /** Whether the route may be called without a body (its cell says "(optional)"). */
  readonly bodyOptional: boolean;
  /** The top-level keys the body cell names (`{ code, label? }`: code, label). */
  readonly bodyKeys: readonly { readonly name: string; readonly optional: boolean }[];
  /** The path's parameters, in order (`site`, `id`). */
  readonly params: readonly string[];
}

function cells(line: string): string[] {
  return line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/** The keys named by a body cell such as `{ records: [...] (1-500), pending? }`. */
function bodyKeysOf(body: string): DocumentedRoute['bodyKeys'] {
  const braces = /`\{([^`]*)\}`/.exec(body);
  if (braces === null) return [];
  // Only the outer object's keys: drop whatever a key's value spells out between brackets.
  let depth = 0;
  let outer = '';
  for (const char of braces[1] ?? '') {
    if (char === '[' || char === '{' || char === '(') depth += 1;
    else if (char === ']' || char === '}' || char === ')') depth -= 1;
    else if (depth === 0) outer += char;
  }
  return [...outer.matchAll(/(?:^|,)\s*([A-Za-z_]\w*)(\?)?/g)].map((match) => ({
    name: match[1] ?? '',
    optional: match[2] === '?',
  }));
}

/** The API document whose route table the tests read. */
export const API_DOC = 'docs/api.md';

/** The text of the "## Routes" section of the API document, up to the next heading. */
function routesSection(docPath = API_DOC): string {
  const section = readFileSync(docPath, 'utf8')
    .split(/^## Routes$/m)[1]
    ?.split(/\n#{1,3} /)[0];
  if (section === undefined) throw new Error(`${docPath} has no "## Routes" section`);
  return section;
}

/** Every row of the API document's route table. */
export function documentedRoutes(docPath = API_DOC): DocumentedRoute[] {
  const section = routesSection(docPath);
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const header = cells(lines[0] ?? '');
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0)
      throw new Error(`the API table has no "${name}" column (it has ${header.join(', ')})`);
    return index;
  };
  const [method, path, who, body] = ['method', 'path', 'who may call', 'body'].map(column);
  const routes: DocumentedRoute[] = [];
  for (const line of lines.slice(2)) {
    const row = cells(line);
    const verb = row[method ?? 0] ?? '';
    const url = /^`([^`]+)`$/.exec(row[path ?? 1] ?? '')?.[1];
    if (!/^(GET|POST|PUT|DELETE|PATCH)$/.test(verb) || url === undefined)
      throw new Error(`cannot read this row of the API table: ${line}`);
    const bodyCell = row[body ?? 3] ?? '';
    routes.push({
      method: verb as Method,
      path: url,
      key: `${verb} ${url}`,
      who: row[who ?? 2] ?? '',
      body: bodyCell,
      bodyOptional: /\(optional\)/.test(bodyCell),
      bodyKeys: bodyKeysOf(bodyCell),
      params: [...url.matchAll(/:(\w+)/g)].map((match) => match[1] ?? ''),
    });
  }
  return routes;
}

/**
 * The callers the matrix tries that hold valid credentials. Every route is tried on site A, so
 * "the site's" means A's, and B's coordinator, analyst and device are the other site's.
 */
export const MEMBERS = [
  'admin',
  'coordinatorA',
  'coordinatorB',
  'analystA',
  'analystB',
  'deviceA',
  'deviceB',
] as const;
export type Member = (typeof MEMBERS)[number];

const USERS: readonly Member[] = ['admin', 'coordinatorA', 'coordinatorB', 'analystA', 'analystB'];
const DEVICES: readonly Member[] = ['deviceA', 'deviceB'];

/**
 * Each phrase of the "who may call" column, and who it lets in. `anyone` routes are called with
 * whatever credentials (or none) and so have nobody to refuse; "anyone holding a code" is one: the
 * code is in the body, not in the Authorization header.
 */
export const WHO_MAY_CALL: Readonly<Record<string, 'anyone' | readonly Member[]>> = {
  anyone: 'anyone',
  'anyone holding a code': 'anyone',
  'anyone holding a link': 'anyone',
  'a logged-in user': USERS,
  // Every user, on their own name (api-world.ts names the caller in the path); an admin on
  // anyone's. That a user is refused another's is tested in users.test.ts.
  'admin, or the user themself': USERS,
  'admin, coordinator, analyst': USERS,
  'admin, coordinator': ['admin', 'coordinatorA', 'coordinatorB'],
  admin: ['admin'],
  "admin, the site's coordinator": ['admin', 'coordinatorA'],
  "admin, the site's coordinators and analysts": ['admin', 'coordinatorA', 'analystA'],
  'an enrolled device': DEVICES,
  'a device or a user': [...USERS, ...DEVICES],
  "the site's devices and users": ['admin', 'coordinatorA', 'analystA', 'deviceA'],
};

/** Who may call a route; throws, naming the phrase, when the mapping does not know it. */
export function allowedCallers(route: DocumentedRoute): 'anyone' | readonly Member[] {
  const allowed = WHO_MAY_CALL[route.who];
  if (allowed === undefined)
    throw new Error(
      `${route.key}: ${API_DOC} says "${route.who}" may call it, a phrase the auth matrix does not ` +
        `know: add it to WHO_MAY_CALL in tests/helpers/route-table.ts with the callers it allows`,
    );
  return allowed;
}

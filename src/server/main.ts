// `npm start`: the whole system on one machine. Opens the database (SQLite in ./data by default,
// PostgreSQL when DATABASE_URL is set), publishes the shipped questionnaires, creates a demo site
// and the first admin on the first start, serves the API, the built PWA (dist/) and the
// coordinator dashboard (dist/dashboard/), over HTTPS when given a certificate.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SITE_SETTINGS } from '../core/protocol/wave.ts';
import { largestRemainder } from '../core/quota/index.ts';
import type { QuotaPlan } from '../core/quota/index.ts';
import { buildApp, createUser } from './app.ts';
import { enrolmentCodeHash, newEnrolmentCode, newServerSecret } from './auth.ts';
import { serveApp } from './static.ts';
import { openStore } from './store/index.ts';
import type { StoreConfig } from './store/index.ts';
import type { ServerStore } from './store/types.ts';

export { CONTENT_TYPES, serveApp } from './static.ts';

/** Publishes every questionnaire version shipped with the build (dist/questionnaires/index.json). */
export async function publishShipped(
  store: ServerStore,
  distDir: string,
  at: string,
): Promise<string[]> {
  const index = join(distDir, 'questionnaires', 'index.json');
  if (!existsSync(index)) return [];
  const catalogue = JSON.parse(readFileSync(index, 'utf8')) as {
    id: string;
    version: string;
    file: string;
    labelPacks: string[];
  }[];
  const published: string[] = [];
  for (const entry of catalogue) {
    const definition = readFileSync(join(distDir, entry.file), 'utf8');
    const labelPacks = entry.labelPacks.map((file) => ({
      source: file.split('/').pop() ?? file,
      pack: JSON.parse(readFileSync(join(distDir, file), 'utf8')) as unknown,
    }));
    const outcome = await store.publishQuestionnaire({
      questionnaireId: entry.id,
      version: entry.version,
      definition: JSON.stringify(JSON.parse(definition) as unknown),
      labelPacks: JSON.stringify(labelPacks),
      publishedAt: at,
    });
    if (outcome === 'published') published.push(`${entry.id}@${entry.version}`);
  }
  return published;
}

/** A demo quota plan for the SMPG questionnaire: 900 interviews, sex x age crossed. */
export function demoPlan(site: string): QuotaPlan {
  const bands = [
    { code: '18-24', min: 18, max: 24, weight: 10 },
    { code: '25-39', min: 25, max: 39, weight: 24 },
    { code: '40-54', min: 40, max: 54, weight: 25 },
    { code: '55-64', min: 55, max: 64, weight: 16 },
    { code: '65+', min: 65, weight: 25 },
  ];
  const keys = ['1', '2'].flatMap((sex) => bands.map((band) => ({ sex, band })));
  const targets =
    largestRemainder(
      keys.map(({ sex, band }) => band.weight * (sex === '1' ? 48 : 52)),
      900,
    ) ?? [];
  return {
    site,
    questionnaire: 'smpg',
    sampleSize: 900,
    tolerance: 0.05,
    source: 'demo plan (made-up shares), not census figures',
    variables: [
      {
        id: 'sex',
        source: { item: 'sex' },
        categories: [
          { code: '1', label: { fr: 'Homme', en: 'Man' } },
          { code: '2', label: { fr: 'Femme', en: 'Woman' } },
        ],
      },
      {
        id: 'age',
        source: {
          item: 'age',
          bands: bands.map(({ code, min, max }) =>
            max === undefined ? { code, min } : { code, min, max },
          ),
        },
        categories: bands.map(({ code }) => ({ code })),
      },
    ],
    tables: [
      {
        id: 'sex_age',
        variables: ['sex', 'age'],
        cells: keys.map(({ sex, band }, i) => ({ key: [sex, band.code], target: targets[i] ?? 0 })),
      },
    ],
  };
}

/** The demo site's pick-up points: places of Lille where interviewers could stand. */
export const DEMO_PICKUP_POINTS: readonly string[] = [
  'Marché de Wazemmes',
  'Gare Lille-Flandres',
  'Place du Théâtre',
];

/**
 * First start (no site and no user yet): a demo site with its plan and pick-up points, an admin
 * login, a coordinator login of the demo site and an enrolment code, printed once. The demo site
 * may be deleted afterwards: the users that remain say it is no first start.
 */
export async function bootstrap(
  store: ServerStore,
  at: string,
  serverSecret: string,
): Promise<string[] | undefined> {
  if ((await store.listSites()).length > 0 || (await store.listUsers()).length > 0)
    return undefined;
  const site = 'demo';
  await store.createSite({
    id: site,
    ...DEFAULT_SITE_SETTINGS,
    name: 'Site de démonstration',
    plan: demoPlan(site),
    pickupPoints: DEMO_PICKUP_POINTS,
    createdAt: at,
  });
  const adminPassword = randomBytes(12).toString('base64url');
  await createUser(store, 'admin', adminPassword, { admin: true, grants: [] }, at);
  const password = randomBytes(9).toString('base64url');
  await createUser(
    store,
    'coordination',
    password,
    { admin: false, grants: [{ site, role: 'coordinator' }] },
    at,
  );
  const code = newEnrolmentCode();
  const expiresAt = new Date(Date.parse(at) + 72 * 3600_000).toISOString();
  await store.createEnrolmentCode({
    codeHash: enrolmentCodeHash(code, serverSecret),
    site,
    createdBy: 'coordination',
    expiresAt,
    createdAt: at,
  });
  const points = DEMO_PICKUP_POINTS.length;
  // French first, English second, as every screen; the logins are printed once, in both.
  return [
    `Premier démarrage : site de démonstration « demo » créé, avec un plan de quotas de 900 entretiens et ${points} lieux d’enquête.`,
    `First start: demo site "demo" created with a quota plan of 900 interviews and ${points} pick-up points.`,
    `  Connexion d’administration (sites, utilisateurs, réglages) · admin login (sites, users, settings): admin / ${adminPassword}`,
    `  Connexion de coordination du site de démonstration · coordinator login of the demo site: coordination / ${password}`,
    `  Code d’enregistrement d’une tablette, valable 72 h · enrolment code for a tablet (valid 72 h): ${code}`,
    '  Ces mots de passe ne seront plus affichés : notez-les, ou créez des comptes dans le tableau de bord.',
    '  These passwords will not be shown again: note them, or create accounts in the dashboard.',
  ];
}

/** What `startMessage` prints. */
export interface StartFacts {
  /** Where users reach the server (`publicOrigin`). */
  readonly origin: string;
  /** The database, as people name it: PostgreSQL, or the SQLite file. */
  readonly database: string;
  /** The questionnaire versions published by this start. */
  readonly published: readonly string[];
  /** The first start's lines (`bootstrap`), if this is the first start. */
  readonly firstStart: readonly string[] | undefined;
  /** No admin in the database (one from before admins existed). */
  readonly noAdmin: boolean;
}

/**
 * What `npm start` prints once it listens, French first and English second: the coordinators'
 * dashboard and the tablets' app (at the address users reach), the database, what was published,
 * and on the first start the logins and the tablet code.
 */
export function startMessage(facts: StartFacts): string {
  const rows: (readonly [string, string])[] = [
    ['Tableau de bord de coordination · coordination dashboard', `${facts.origin}/dashboard/`],
    ['Application des tablettes · tablet app', `${facts.origin}/`],
    ['Base de données · database', facts.database],
  ];
  if (facts.published.length > 0)
    rows.push(['Questionnaires publiés · published questionnaires', facts.published.join(', ')]);
  return [
    '',
    'SMPG Collecte — serveur démarré · server started',
    ...rows.map(([label, value]) => `  ${label}: ${value}`),
    ...(facts.firstStart ?? []),
    ...(facts.noAdmin
      ? [
          'Aucun compte d’administration : créez-en un avec `npm run admin -- create-admin <nom>`.',
          'No admin yet: make one with `npm run admin -- create-admin <name>`.',
        ]
      : []),
    '',
  ].join('\n');
}

/**
 * The server secret, the key of the enrolment codes' HMAC: `SERVER_SECRET` when set (at least 32
 * characters; every server of one database needs the same), else the file `SERVER_SECRET_FILE`,
 * by default `server-secret` beside the SQLite file, made at the first start with mode 0600.
 * Never in the database: a copy of the database must not give away the codes still usable.
 */
export function serverSecret(env: NodeJS.ProcessEnv = process.env): string {
  const given = env['SERVER_SECRET'];
  if (given !== undefined && given !== '') {
    if (given.length < 32)
      throw new Error('SERVER_SECRET must hold at least 32 characters (openssl rand -base64 32)');
    return given;
  }
  const configured = env['SERVER_SECRET_FILE'];
  const file =
    configured !== undefined && configured !== ''
      ? configured
      : join(dirname(env['SQLITE_PATH'] ?? './data/smpg.sqlite'), 'server-secret');
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 'wx': made once; a second server starting at the same moment reads the first one's.
    writeFileSync(file, `${newServerSecret()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} must hold a secret of at least 32 characters`);
  return secret;
}

/**
 * `TRUST_PROXY`: the reverse proxies whose `X-Forwarded-For` gives the client's address, as a
 * comma-separated list of addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`;
 * none by default (a client reaching the server directly could otherwise name any address).
 */
export function trustedProxies(env: NodeJS.ProcessEnv = process.env): string[] {
  const entries = (env['TRUST_PROXY'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    const range =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!named && (family === 0 || !range || rest.length > 0))
      throw new Error(
        `TRUST_PROXY: "${entry}" is not an address, a CIDR range, loopback, linklocal or uniquelocal`,
      );
  }
  return entries;
}

/**
 * Worker threads checking uploaded records (`CHECK_THREADS`, 0 to check on the main thread): by
 * default one per core, at most four (checks are the upload's main cost; the database and HTTP
 * stay on the main thread).
 */
export function checkThreads(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env['CHECK_THREADS'];
  if (configured !== undefined && configured !== '') {
    const threads = Number(configured);
    if (!Number.isInteger(threads) || threads < 0 || threads > 64)
      throw new Error(`CHECK_THREADS must be a whole number from 0 to 64, not "${configured}"`);
    return threads;
  }
  return Math.min(availableParallelism(), 4);
}

/** The database `npm start` opens: `DATABASE_URL` (PostgreSQL), else `SQLITE_PATH`'s file. */
export function storeConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const databaseUrl = env['DATABASE_URL'];
  return databaseUrl ? { databaseUrl } : { sqlitePath: env['SQLITE_PATH'] ?? './data/smpg.sqlite' };
}

/**
 * Where users reach the server, for the one-time links printed on the command line:
 * `PUBLIC_URL` (the address behind a reverse proxy), else the address `npm start` listens on.
 */
export function publicOrigin(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['PUBLIC_URL'];
  if (configured !== undefined && configured !== '') return configured.replace(/\/+$/, '');
  const scheme = env['TLS_CERT'] && env['TLS_KEY'] ? 'https' : 'http';
  return `${scheme}://${env['HOST'] ?? '127.0.0.1'}:${env['PORT'] ?? 8080}`;
}

/** Starts the server as configured by the environment (run by src/server/start.ts). */
export async function main(): Promise<void> {
  const port = Number(process.env['PORT'] ?? 8080);
  const host = process.env['HOST'] ?? '127.0.0.1';
  const distDir = process.env['DIST_DIR'] ?? 'dist';
  const databaseUrl = process.env['DATABASE_URL'];
  const store = await openStore(storeConfig());
  const at = new Date().toISOString();
  const published = await publishShipped(store, distDir, at);
  const secret = serverSecret();
  const lines = await bootstrap(store, at, secret);
  // A database from before admins existed has none: say how to make one.
  const noAdmin = lines === undefined && !(await store.listUsers()).some((user) => user.admin);
  const cert = process.env['TLS_CERT'];
  const key = process.env['TLS_KEY'];
  const app = await buildApp({
    store,
    logger: true,
    checkThreads: checkThreads(),
    serverSecret: secret,
    trustProxy: trustedProxies(),
    // Records an older server stored without quality figures get them once it listens.
    backfillFigures: true,
    ...(cert && key ? { https: { cert: readFileSync(cert), key: readFileSync(key) } } : {}),
  });
  serveApp(app, distDir);
  const close = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close());
  process.on('SIGTERM', () => void close());
  await app.listen({ port, host });
  process.stdout.write(
    startMessage({
      origin: publicOrigin(),
      database: databaseUrl ? 'PostgreSQL' : (process.env['SQLITE_PATH'] ?? './data/smpg.sqlite'),
      published,
      firstStart: lines,
      noAdmin,
    }),
  );
}

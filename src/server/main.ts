// `npm start`: the whole system on one machine. Opens the database (SQLite in ./data by default,
// PostgreSQL when DATABASE_URL is set), publishes the shipped questionnaires, creates a demo site
// on the first start, serves the API, the built PWA (dist/) and the coordinator dashboard
// (dist/dashboard/), over HTTPS when given a certificate.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { largestRemainder } from '../core/quota/index.ts';
import type { QuotaPlan } from '../core/quota/index.ts';
import { buildApp, createUser } from './app.ts';
import { newEnrolmentCode, sha256 } from './auth.ts';
import { openStore } from './store/index.ts';
import type { ServerStore } from './store/types.ts';

/** Content types of the built app's files, by extension (the e2e static server uses them too). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves the built app: files as they are; other paths without an extension as the page they
 * belong to: the coordinator dashboard's under /dashboard, the interviewer app's elsewhere.
 */
export function serveApp(app: FastifyInstance, distDir: string): void {
  const base = resolve(distDir);
  app.get('/*', (request, reply) => {
    const url = new URL(request.url, 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      return reply
        .status(404)
        .send({ error: 'not_found', message: `no route GET ${url.pathname}` });
    }
    let path = normalize(join(base, decodeURIComponent(url.pathname)));
    if (!path.startsWith(base))
      return reply.status(400).send({ error: 'bad_request', message: 'bad path' });
    if (!existsSync(path) || statSync(path).isDirectory()) {
      if (extname(url.pathname) !== '')
        return reply.status(404).send({ error: 'not_found', message: `no file ${url.pathname}` });
      const page = /^\/dashboard(\/|$)/.test(url.pathname) ? 'dashboard' : '';
      path = join(base, page, 'index.html');
      if (!existsSync(path))
        return reply
          .status(503)
          .send({ error: 'no_app', message: 'the app is not built: run npm run build' });
    }
    const name = url.pathname.split('/').pop() ?? '';
    const immutable = url.pathname.startsWith('/assets/');
    return reply
      .header('Content-Type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream')
      .header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Service-Worker-Allowed', name === 'sw.js' ? '/' : undefined)
      .send(createReadStream(path));
  });
}

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
 * First start: a demo site with its plan and pick-up points, a coordinator login and an
 * enrolment code, printed once.
 */
export async function bootstrap(store: ServerStore, at: string): Promise<string[] | undefined> {
  if ((await store.listSites()).length > 0) return undefined;
  const site = 'demo';
  await store.createSite({
    id: site,
    name: 'Site de démonstration',
    plan: demoPlan(site),
    shortInterviewSeconds: 20 * 60,
    pickupPoints: DEMO_PICKUP_POINTS,
    createdAt: at,
  });
  const password = randomBytes(9).toString('base64url');
  await createUser(store, 'coordination', password, 'coordinator', [site], at);
  const code = newEnrolmentCode();
  const expiresAt = new Date(Date.parse(at) + 72 * 3600_000).toISOString();
  await store.createEnrolmentCode({
    codeHash: sha256(code),
    site,
    createdBy: 'coordination',
    expiresAt,
    createdAt: at,
  });
  return [
    `First start: demo site "demo" created with a quota plan of 900 interviews and ${DEMO_PICKUP_POINTS.length} pick-up points.`,
    `  coordinator login: coordination / ${password}`,
    `  enrolment code for a tablet (valid 72 h): ${code}`,
  ];
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

/** Starts the server as configured by the environment (run by src/server/start.ts). */
export async function main(): Promise<void> {
  const port = Number(process.env['PORT'] ?? 8080);
  const host = process.env['HOST'] ?? '127.0.0.1';
  const distDir = process.env['DIST_DIR'] ?? 'dist';
  const databaseUrl = process.env['DATABASE_URL'];
  const store = await openStore(
    databaseUrl
      ? { databaseUrl }
      : { sqlitePath: process.env['SQLITE_PATH'] ?? './data/smpg.sqlite' },
  );
  const at = new Date().toISOString();
  const published = await publishShipped(store, distDir, at);
  const lines = await bootstrap(store, at);
  const cert = process.env['TLS_CERT'];
  const key = process.env['TLS_KEY'];
  const app = await buildApp({
    store,
    logger: true,
    checkThreads: checkThreads(),
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
  const scheme = cert && key ? 'https' : 'http';
  process.stdout.write(
    [
      '',
      `SMPG Collecte: ${scheme}://${host}:${port}/ (database: ${databaseUrl ? 'PostgreSQL' : (process.env['SQLITE_PATH'] ?? './data/smpg.sqlite')})`,
      ...(published.length > 0 ? [`Published questionnaires: ${published.join(', ')}`] : []),
      ...(lines ?? []),
      '',
    ].join('\n'),
  );
}

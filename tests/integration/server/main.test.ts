// The one-command start: the first start creates a demo site with a valid plan and pick-up points,
// a coordinator and an enrolment code (only once) and says so in French and English with the
// dashboard's address; shipped questionnaires are published once; the built app is
// served with an index.html fallback (the dashboard's under /dashboard) while unknown API paths
// stay JSON 404s.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadQuotaPlan } from '../../../src/core/quota/index.ts';
import { buildApp } from '../../../src/server/app.ts';
import {
  DEFAULT_SITE_SETTINGS,
  PickupPointsRequestSchema,
} from '../../../src/core/protocol/index.ts';
import {
  DEMO_PICKUP_POINTS,
  bootstrap,
  demoPlan,
  publicOrigin,
  publishShipped,
  serveApp,
  startMessage,
} from '../../../src/server/main.ts';
import { SqliteStore } from '../../../src/server/store/sqlite-store.ts';

const AT = '2026-11-23T10:00:00.000Z';
const dist = mkdtempSync(join(tmpdir(), 'smpg-dist-'));
mkdirSync(join(dist, 'questionnaires', 'demo'), { recursive: true });
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>SMPG</title>');
mkdirSync(join(dist, 'dashboard'));
writeFileSync(join(dist, 'dashboard', 'index.html'), '<!doctype html><title>Coordination</title>');
writeFileSync(
  join(dist, 'questionnaires', 'demo', '1.json'),
  readFileSync('questionnaires/demo/1.json'),
);
writeFileSync(
  join(dist, 'questionnaires', 'index.json'),
  JSON.stringify([
    { id: 'demo', version: '1', file: 'questionnaires/demo/1.json', labelPacks: [] },
  ]),
);

afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('first start', () => {
  it('creates the demo site, a coordinator and a code once, and publishes once', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const lines = await bootstrap(store, AT, 'a server secret of 32 characters');
    expect(lines?.join('\n')).toMatch(/coordination \/ \S+/);
    expect(lines?.join('\n')).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await bootstrap(store, AT, 'a server secret of 32 characters')).toBeUndefined();
    const site = await store.getSite('demo');
    expect(loadQuotaPlan(site?.plan).status).toBe('success');
    // A few pick-up points, as the API would accept them.
    expect(site?.pickupPoints).toEqual(DEMO_PICKUP_POINTS);
    expect(DEMO_PICKUP_POINTS.length).toBeGreaterThanOrEqual(2);
    expect(
      PickupPointsRequestSchema.parse({ pickupPoints: [...DEMO_PICKUP_POINTS] }).pickupPoints,
    ).toEqual(DEMO_PICKUP_POINTS);
    expect(await store.getUser('coordination')).toMatchObject({
      admin: false,
      grants: [{ site: 'demo', role: 'coordinator' }],
    });
    expect(lines?.join('\n')).toMatch(/admin \/ \S+/);
    expect(await store.getUser('admin')).toMatchObject({ admin: true, grants: [] });
    expect(site).toMatchObject({ ...DEFAULT_SITE_SETTINGS, name: 'Site de démonstration' });
    expect(await publishShipped(store, dist, AT)).toEqual(['demo@1']);
    expect(await publishShipped(store, dist, AT)).toEqual([]);
    await store.close();
  });

  it('lets the printed admin log in and delete the demo site; a restart makes no new one', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const lines = (await bootstrap(store, AT, 'a server secret of 32 characters')) ?? [];
    const password = /admin \/ (\S+)/.exec(lines.join('\n'))?.[1];
    const app = await buildApp({ store, now: () => new Date(AT) });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password },
    });
    expect(login.json()).toMatchObject({ username: 'admin', admin: true, grants: [] });
    const token = (login.json() as { token: string }).token;
    const removed = await app.inject({
      method: 'DELETE',
      url: '/api/v1/sites/demo?confirm=demo',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(removed.statusCode).toBe(204);
    expect(await store.listSites()).toEqual([]);
    // The users that remain say this is no first start.
    expect(await bootstrap(store, AT, 'a server secret of 32 characters')).toBeUndefined();
    expect(await store.listSites()).toEqual([]);
    await app.close();
    await store.close();
  });

  it('prints, in French then English, the dashboard’s address and the first logins', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const lines = await bootstrap(store, AT, 'a server secret of 32 characters');
    const printed = startMessage({
      origin: publicOrigin({ PUBLIC_URL: 'https://smpg.example.org/' }),
      database: './data/smpg.sqlite',
      published: ['demo@1'],
      firstStart: lines,
      noAdmin: false,
    });
    expect(printed).toContain(
      'Tableau de bord de coordination · coordination dashboard: https://smpg.example.org/dashboard/',
    );
    expect(printed).toContain('Application des tablettes · tablet app: https://smpg.example.org/');
    expect(printed).toContain('Questionnaires publiés · published questionnaires: demo@1');
    // Each sentence in French, then in English.
    const french = printed.indexOf('Premier démarrage : site de démonstration « demo » créé');
    const english = printed.indexOf('First start: demo site "demo" created');
    expect(french).toBeGreaterThan(0);
    expect(english).toBeGreaterThan(french);
    expect(printed).toMatch(/Connexion d’administration [^:]*· admin login [^:]*: admin \/ \S+/);
    expect(printed).toMatch(/Code d’enregistrement d’une tablette[^:]*: [A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(printed).toContain('Ces mots de passe ne seront plus affichés');
    // A later start: the addresses, and how to make an admin when there is none.
    const later = startMessage({
      origin: publicOrigin({ HOST: '127.0.0.1', PORT: '8080' }),
      database: 'PostgreSQL',
      published: [],
      firstStart: undefined,
      noAdmin: true,
    });
    expect(later).toContain('coordination dashboard: http://127.0.0.1:8080/dashboard/');
    expect(later).not.toContain('Questionnaires publiés');
    expect(later).toContain('Aucun compte d’administration : créez-en un avec');
    expect(later).toContain('No admin yet');
    await store.close();
  });

  it('has a demo plan whose table sums to 900', () => {
    const plan = demoPlan('demo');
    expect(plan.tables[0]?.cells.reduce((sum, cell) => sum + cell.target, 0)).toBe(900);
  });
});

describe('serving the app', () => {
  it('serves the dashboard under /dashboard and the app everywhere else', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const app = await buildApp({ store });
    serveApp(app, dist);
    for (const url of ['/dashboard/', '/dashboard', '/dashboard/?site=lille', '/dashboard/x/y']) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type'], url).toContain('text/html');
      expect(page.headers['cache-control'], url).toBe('no-cache');
      expect(page.body, url).toContain('<title>Coordination</title>');
    }
    for (const url of ['/', '/dashboards', '/interview/dashboard']) {
      const page = await app.inject({ method: 'GET', url });
      expect(page.body, url).toContain('<title>SMPG</title>');
    }
    expect((await app.inject({ method: 'GET', url: '/dashboard/missing.js' })).statusCode).toBe(
      404,
    );
    await app.close();
    await store.close();
  });

  it('serves files, falls back to index.html, keeps API 404s in JSON', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const app = await buildApp({ store });
    serveApp(app, dist);
    const page = await app.inject({ method: 'GET', url: '/interview/abc' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<title>SMPG</title>');
    const json = await app.inject({ method: 'GET', url: '/questionnaires/index.json' });
    expect(json.headers['cache-control']).toBe('no-cache');
    expect(JSON.parse(json.body)).toHaveLength(1);
    const api = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'not_found' });
    const missing = await app.inject({ method: 'GET', url: '/missing.js' });
    expect(missing.statusCode).toBe(404);
    const escape = await app.inject({ method: 'GET', url: '/..%2f..%2fetc%2fpasswd' });
    expect([400, 404]).toContain(escape.statusCode);
    expect(escape.body).not.toContain('root:');
    await app.close();
    await store.close();
  });
});

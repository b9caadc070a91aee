// The real central server for end-to-end tests: SQLite in memory, the shipped questionnaires
// published, the built app served, uploads checked in worker threads, a site `lille` with the
// tiny demo plan and its coordinator `coord` logged in.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp, createUser } from '../../src/server/app.ts';
import { publishShipped, serveApp } from '../../src/server/main.ts';
import { SqliteStore } from '../../src/server/store/sqlite-store.ts';
import { tinyDemoPlan } from '../helpers/plans.ts';
import type { Page } from 'playwright-core';
import { DIST, TEXT } from './harness.ts';

export interface CentralServer {
  readonly store: SqliteStore;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  /** The session token of `coord`, coordinator of `lille`. */
  readonly coordinator: string;
  /** Calls the API in process and fails the test unless it answers 2xx; the JSON answer. */
  api(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    token?: string,
    payload?: unknown,
  ): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startCentralServer(): Promise<CentralServer> {
  const at = new Date().toISOString();
  const store = new SqliteStore(':memory:');
  await store.migrate();
  await publishShipped(store, DIST, at);
  await store.createSite({
    id: 'lille',
    name: 'Lille',
    plan: tinyDemoPlan('lille'),
    shortInterviewSeconds: 600,
    createdAt: at,
  });
  await createUser(
    store,
    'coord',
    'secret-password',
    { admin: false, grants: [{ site: 'lille', role: 'coordinator' }] },
    at,
  );
  // Records checked in worker threads, as the started server checks them.
  const app = await buildApp({ store, checkThreads: 2 });
  serveApp(app, DIST);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const api: CentralServer['api'] = async (method, url, token, payload) => {
    const response = await app.inject({
      method,
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.body === '' ? {} : (response.json() as Record<string, unknown>);
  };
  const login = await api('POST', '/api/v1/auth/login', undefined, {
    username: 'coord',
    password: 'secret-password',
  });
  return {
    store,
    app,
    baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    coordinator: String(login['token']),
    api,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/**
 * Enrols the tablet shown on `page` (its enrolment screen, opened from `url`: the server's address
 * or a proxy's) with a new one-time code of `lille` as interviewer ENQ-07, then waits for the
 * first sync, which brings the plan, the pick-up points and the site's settings.
 */
export async function enrolTablet(
  page: Page,
  server: CentralServer,
  url: string = server.baseUrl,
): Promise<void> {
  const code = String(
    (await server.api('POST', '/api/v1/sites/lille/enrolment-codes', server.coordinator))['code'],
  );
  await expect.poll(() => page.getByLabel(TEXT.serverUrl).inputValue()).toBe(url);
  await page.getByLabel(TEXT.enrolCode).fill(code);
  await page.getByLabel(TEXT.interviewer).fill('ENQ-07');
  await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
  await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
  await expect
    .poll(() => page.getByTestId('sync-last').textContent(), { timeout: 10_000 })
    .not.toBe(TEXT.syncNever);
}

// docs/api.md documents every route the server has, and nothing else: the table of its
// "## Routes" section is compared with the routes Fastify really registers.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.ts';
import { SqliteStore } from '../../../src/server/store/sqlite-store.ts';
import { API_DOC, documentedRoutes } from '../../helpers/route-table.ts';

describe(`${API_DOC} route table`, () => {
  it('lists exactly the routes the server registers', async () => {
    const store = new SqliteStore(':memory:');
    const registered: string[] = [];
    const probe = await buildApp({
      store,
      onRoute: (method, url) => registered.push(`${method} ${url}`),
    });
    await probe.close();
    await store.close();
    const api = registered.filter((route) => route.includes('/api/v1/'));
    const documented = documentedRoutes().map((route) => route.key);
    expect([...documented].sort()).toEqual([...new Set(api)].sort());
    expect(documented.length).toBeGreaterThan(10);
  });
});

// The README documents every route the server has, and nothing else: the table under "### API"
// is compared with the routes Fastify really registers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.ts';
import { SqliteStore } from '../../../src/server/store/sqlite-store.ts';

function documentedRoutes(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.split('### API')[1] ?? '';
  return [...section.matchAll(/^\|\s*(GET|POST|PUT|DELETE|PATCH)\s*\|\s*`([^`]+)`\s*\|/gm)].map(
    (match) => `${match[1]} ${match[2]}`,
  );
}

describe('README API table', () => {
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
    expect(documentedRoutes().sort()).toEqual([...new Set(api)].sort());
    expect(documentedRoutes().length).toBeGreaterThan(10);
  });
});

// Installing the questionnaire versions shipped with the app: new versions are added, installed
// ones are never replaced, broken files and network failures install nothing and never throw.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  QuestionnaireCache,
  compareVersions,
  installShippedQuestionnaires,
  newestVersions,
} from '../../../src/app/questionnaires/catalogue.ts';
import { MemoryInterviewStore } from '../../../src/app/storage/index.ts';

const files: Record<string, unknown> = {
  '/questionnaires/index.json': [
    {
      id: 'demo',
      version: '1',
      file: 'questionnaires/demo/1.json',
      labelPacks: ['questionnaires/demo/1.labels.es.json'],
    },
    { id: 'demo', version: '2', file: 'questionnaires/demo/2.json', labelPacks: [] },
  ],
  '/questionnaires/demo/1.json': JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')),
  '/questionnaires/demo/1.labels.es.json': JSON.parse(
    readFileSync('questionnaires/demo/1.labels.es.json', 'utf8'),
  ),
  '/questionnaires/demo/2.json': JSON.parse(readFileSync('questionnaires/demo/2.json', 'utf8')),
};

function fakeFetch(served: Record<string, unknown>): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    const body = served[url];
    if (body === undefined) return new Response('not found', { status: 404 });
    return new Response(JSON.stringify(body), { status: 200 });
  }) as typeof fetch;
}

const now = () => '2026-11-23T10:00:00.000Z';

/** Notes which installed versions are read (their definitions). */
class ReadCountingStore extends MemoryInterviewStore {
  readonly reads: string[] = [];

  override getQuestionnaire(id: string, version: string) {
    this.reads.push(`${id}@${version}`);
    return super.getQuestionnaire(id, version);
  }
}

describe('compareVersions and newestVersions', () => {
  it('compares number by number', () => {
    expect(compareVersions('2026.10', '2026.9')).toBeGreaterThan(0);
    expect(compareVersions('2', '10')).toBeLessThan(0);
    expect(compareVersions('1.0', '1')).toBe(0);
  });

  it('keeps the newest version of each questionnaire', () => {
    const make = (questionnaireId: string, version: string) => ({
      questionnaireId,
      version,
      definition: {},
      labelPacks: [],
      installedAt: now(),
    });
    const newest = newestVersions([
      make('smpg', '2026.9'),
      make('demo', '1'),
      make('smpg', '2026.10'),
    ]);
    expect(newest.map((entry) => `${entry.questionnaireId}@${entry.version}`)).toEqual([
      'demo@1',
      'smpg@2026.10',
    ]);
  });
});

describe('installShippedQuestionnaires', () => {
  it('installs every listed version with its label packs, once', async () => {
    const store = new MemoryInterviewStore();
    const first = await installShippedQuestionnaires(store, now, fakeFetch(files));
    expect(first).toEqual({ installed: ['demo@1', 'demo@2'] });
    const v1 = await store.getQuestionnaire('demo', '1');
    expect(v1?.labelPacks.map((pack) => pack.source)).toEqual(['1.labels.es.json']);
    expect(await installShippedQuestionnaires(store, now, fakeFetch(files))).toEqual({
      installed: [],
    });
  });

  it('never replaces an installed version, even if the server sends other content', async () => {
    const store = new MemoryInterviewStore();
    await installShippedQuestionnaires(store, now, fakeFetch(files));
    const changed = { ...files, '/questionnaires/demo/1.json': { broken: true } };
    await installShippedQuestionnaires(store, () => 'later', fakeFetch(changed));
    const v1 = await store.getQuestionnaire('demo', '1');
    expect(v1?.installedAt).toBe(now());
    expect((v1?.definition as { id: string }).id).toBe('demo');
  });

  it('skips a definition that does not load, and reports a network failure', async () => {
    const store = new MemoryInterviewStore();
    const broken = { ...files, '/questionnaires/demo/2.json': { id: 'demo' } };
    expect(await installShippedQuestionnaires(store, now, fakeFetch(broken))).toEqual({
      installed: ['demo@1'],
    });
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await installShippedQuestionnaires(new MemoryInterviewStore(), now, offline)).toEqual({
      installed: [],
      error: 'Failed to fetch',
    });
  });
});

describe('QuestionnaireCache', () => {
  it('compiles an installed version once, with its label packs', async () => {
    const store = new MemoryInterviewStore();
    await installShippedQuestionnaires(store, now, fakeFetch(files));
    const cache = new QuestionnaireCache(store);
    const q = await cache.get('demo', '1');
    expect(q !== undefined && 'definition' in q && q.definition.languages).toEqual([
      'fr',
      'en',
      'es',
    ]);
    expect(await cache.get('demo', '1')).toBe(q);
    expect(await cache.get('demo', '9')).toBeUndefined();
  });

  it('keeps what it compiles for the next start of the same build, and only that build', async () => {
    const store = new ReadCountingStore();
    await installShippedQuestionnaires(store, now, fakeFetch(files));
    const first = await new QuestionnaireCache(store, '/assets/index-1.js').get('demo', '1');
    await expect.poll(() => store.getCompiled('demo', '1')).toBeDefined();
    expect((await store.getCompiled('demo', '1'))?.questionnaire).toEqual(first);

    // The next start reads it back, without the definition.
    store.reads.length = 0;
    expect(await new QuestionnaireCache(store, '/assets/index-1.js').get('demo', '1')).toEqual(
      first,
    );
    expect(store.reads).toEqual([]);

    // Another build compiles again, and keeps its own.
    await new QuestionnaireCache(store, '/assets/index-2.js').get('demo', '1');
    expect(store.reads).toEqual(['demo@1']);
    await expect
      .poll(async () => (await store.getCompiled('demo', '1'))?.build)
      .toBe('/assets/index-2.js');

    // Without a build (development), nothing is kept or read.
    await new QuestionnaireCache(store).get('demo', '2');
    expect(store.reads).toEqual(['demo@1', 'demo@2']);
    expect(await store.getCompiled('demo', '2')).toBeUndefined();
  });
});

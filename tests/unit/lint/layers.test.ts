// The layer rules: src/core imports only zod and itself, the app, dashboard and server keep to
// their sides, and callers use the questionnaire module through its contract. Proven on real ESLint
// runs over probe code, so that a broken rule cannot pass silently.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? 'parse-error');
}

describe('src/core layer rule', () => {
  it.each([
    ["import Dexie from 'dexie';", 'dexie'],
    ["import { useState } from 'react';", 'react'],
    ["import Papa from 'papaparse';", 'papaparse'],
    ["import { readFileSync } from 'node:fs';", 'node:*'],
    ["import { x } from '../../app/storage/db.ts';", 'the app'],
    ["import { y } from '../../server/routes.ts';", 'the server'],
  ])('rejects %s (%s)', async (line) => {
    const ids = await ruleIds(`${line}\nexport const z = 1;\n`, 'src/core/questionnaire/probe.ts');
    expect(ids).toContain('@typescript-eslint/no-restricted-imports');
  });

  it.each(['window.alert(1);', 'fetch("/x");', 'localStorage.clear();', 'process.exit(1);'])(
    'rejects the platform global in %s',
    async (line) => {
      const ids = await ruleIds(`${line}\n`, 'src/core/questionnaire/probe.ts');
      expect(ids).toContain('no-restricted-globals');
    },
  );

  it('accepts zod and relative imports inside core', async () => {
    const code =
      "import { z } from 'zod';\nimport { parseExpression } from '../expression/index.ts';\nexport const s = z.string();\nexport const p = parseExpression;\n";
    expect(await ruleIds(code, 'src/core/questionnaire/probe.ts')).toEqual([]);
  });

  it('lets scripts import node:*', async () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n";
    expect(await ruleIds(code, 'scripts/probe.ts')).toEqual([]);
  });
});

describe('src/app layer rules', () => {
  it('only src/app/storage imports dexie', async () => {
    const code = "import Dexie from 'dexie';\nexport const d = Dexie;\n";
    expect(await ruleIds(code, 'src/app/screens/Probe.tsx')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src/app/storage/probe.ts')).toEqual([]);
  });

  it('the app never imports the server or node:*', async () => {
    const server = "import { x } from '../../server/routes.ts';\nexport const y = x;\n";
    expect(await ruleIds(server, 'src/app/sync/probe.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    const node = "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n";
    expect(await ruleIds(node, 'src/app/probe.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });
});

describe('src/server layer rule', () => {
  it('the server never imports the app', async () => {
    const code = "import { App } from '../app/App.tsx';\nexport const a = App;\n";
    expect(await ruleIds(code, 'src/server/probe.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    const core =
      "import { loadQuestionnaire } from '../core/questionnaire/index.ts';\nexport const l = loadQuestionnaire;\n";
    expect(await ruleIds(core, 'src/server/probe.ts')).toEqual([]);
  });
});

describe('src/dashboard layer rule', () => {
  it.each([
    ["import { buildApp } from '../server/app.ts';", 'the server'],
    ["import { openDeviceStore } from '../app/storage/index.ts';", 'the app’s storage'],
    ["import { App } from '../app/App.tsx';", 'the app’s frame'],
    ["import { readFileSync } from 'node:fs';", 'node:*'],
    ["import Dexie from 'dexie';", 'dexie'],
  ])('rejects %s (%s)', async (line) => {
    const ids = await ruleIds(`${line}\nexport const z = 1;\n`, 'src/dashboard/probe.ts');
    expect(ids).toContain('@typescript-eslint/no-restricted-imports');
  });

  it('accepts the core, the shared components and the app stylesheet', async () => {
    const code =
      "import '../../app/styles.css';\nimport { QuotaTables } from '../../app/components/QuotaTables.tsx';\nimport { cellKey } from '../../core/quota/index.ts';\nexport const q = [QuotaTables, cellKey];\n";
    expect(await ruleIds(code, 'src/dashboard/components/Probe.tsx')).toEqual([]);
  });

  it('neither the server nor the app imports the dashboard', async () => {
    const code =
      "import { Dashboard } from '../dashboard/Dashboard.tsx';\nexport const d = Dashboard;\n";
    for (const filePath of ['src/server/probe.ts', 'src/app/probe.tsx']) {
      expect(await ruleIds(code, filePath), filePath).toContain(
        '@typescript-eslint/no-restricted-imports',
      );
    }
  });
});

describe('the questionnaire module’s contract', () => {
  const probe = (path: string) => `import { x } from '${path}';\nexport const y = x;\n`;

  it.each([
    ['src/app/screens/Probe.tsx', '../../core/questionnaire/engine.ts'],
    ['src/app/screens/Probe.tsx', '../../core/questionnaire/internal.ts'],
    ['src/server/routes/probe.ts', '../../core/questionnaire/model.ts'],
    ['scripts/probe.ts', '../src/core/questionnaire/graph.ts'],
    ['tests/integration/server/probe.ts', '../../../src/core/questionnaire/internal.ts'],
    ['src/core/record/probe.ts', '../questionnaire/engine.ts'],
  ])('refuses %s importing %s', async (file, path) => {
    expect(await ruleIds(probe(path), file)).toContain('no-restricted-syntax');
  });

  it.each([
    ['src/app/screens/Probe.tsx', '../../core/questionnaire/index.ts'],
    ['src/core/record/probe.ts', '../questionnaire/internal.ts'],
    ['tests/unit/core/questionnaire/probe.ts', '../../../../src/core/questionnaire/internal.ts'],
    ['scripts/probe.ts', '../questionnaires/demo/1.json'],
  ])('lets %s import %s', async (file, path) => {
    expect(await ruleIds(probe(path), file)).not.toContain('no-restricted-syntax');
  });

  it('keeps the app, the server and the scripts out of the compiled graph', async () => {
    const code =
      'declare const q: { nodeById: Map<string, number>; nodes: unknown[] };\nexport const n = [q.nodeById, q.nodes];\n';
    for (const file of ['src/app/components/Probe.tsx', 'src/server/probe.ts', 'scripts/probe.ts'])
      expect(await ruleIds(code, file), file).toContain('no-restricted-properties');
    expect(await ruleIds(code, 'src/core/record/probe.ts')).not.toContain(
      'no-restricted-properties',
    );
    const arrays =
      'declare const state: { relevant: boolean[] };\nexport const r = state.relevant;\n';
    expect(await ruleIds(arrays, 'src/app/components/Probe.tsx')).toContain(
      'no-restricted-properties',
    );
  });
});

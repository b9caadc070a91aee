// The server as `npm start` runs it: dist-server/start.mjs (compiled by `npm run build`) in a
// process of its own, on a fresh SQLite file, its records checked in worker threads loaded from
// dist-server/record-checker-worker.mjs. A tablet enrols with the code the first start prints,
// uploads generated SMPG interviews over real HTTP, then the same again, then a tampered one.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecordWire, UploadResponse } from '../../src/core/protocol/index.ts';
import { demoPlan } from '../../src/server/main.ts';
import { generateInterviews } from '../../scripts/generate-interviews.ts';
import { questionnaireFile } from './harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('the compiled server (npm start)', () => {
  let child: ChildProcess;
  let folder: string;
  let api: string;
  let code: string;
  let output = '';

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'smpg-compiled-server-'));
    const port = await freePort();
    child = spawn(process.execPath, [join(ROOT, 'dist-server', 'start.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        SQLITE_PATH: join(folder, 'smpg.sqlite'),
        DIST_DIR: join(ROOT, 'dist'),
        CHECK_THREADS: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The first start prints the demo site's enrolment code once it listens.
    code = await new Promise<string>((resolve, reject) => {
      child.once('exit', (exit) => reject(new Error(`the server stopped (${exit}): ${output}`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /enrolment code for a tablet[^:]*: (\S+)/.exec(output);
        if (found?.[1] !== undefined) resolve(found[1]);
      });
    });
    api = `http://127.0.0.1:${port}/api/v1`;
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(folder, { recursive: true, force: true });
  });

  const post = async (url: string, token: string | undefined, body: unknown) => {
    const response = await fetch(`${api}${url}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('checks uploads in its worker threads: accepted, then duplicates, and a tampered one refused', async () => {
    const enrolled = await post('/devices/enrol', undefined, { code, label: 'tablette 1' });
    expect(enrolled.status, output).toBe(200);
    const { token } = enrolled.body as { token: string };
    const records: InterviewRecordWire[] = [
      ...generateInterviews({
        questionnaire: questionnaireFile('smpg', '2026.1'),
        site: 'demo',
        count: 40,
        seed: 3,
        plan: demoPlan('demo'),
      }),
    ];
    const statuses = async (batch: unknown[]) => {
      const response = await post('/records', token, { records: batch, pending: 0 });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return (response.body as UploadResponse).results;
    };
    const first = await statuses(records);
    expect(first.map((result) => result.id)).toEqual(records.map((record) => record.id));
    expect(first.every((result) => result.status === 'accepted')).toBe(true);
    const again = await statuses(records);
    expect(again.every((result) => result.status === 'duplicate')).toBe(true);
    const [one] = records;
    if (one === undefined) throw new Error('no record generated');
    const tampered = await statuses([
      {
        ...one,
        id: '00000000-0000-4000-8000-000000000001',
        answers: { ...one.answers, nope: '1' },
      },
    ]);
    expect(tampered[0]).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('answers.nope'),
    });
    const bad = await post('/records', token, { records: [] });
    expect(bad.status).toBe(400);
  });
});

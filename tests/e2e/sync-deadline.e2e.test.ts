// A sync that never hangs, end to end: a half-dead connection (the server stores an upload, its
// answer never comes back) no longer keeps "Synchronisation en cours…" on the home screen; the
// tablet says the server does not answer, the next sync sends the interview again and the server
// answers `duplicate` (it holds the record once); and a read that fails when nothing waits is a
// quiet note, never an alarm.
//
// How the deadline is met quickly: the production build keeps its real deadline (an upload of one
// record is given up after about a minute) and has no switch for a shorter one, neither in the
// address nor in storage, that a tablet in the field could trip over. The test moves the page's
// clock instead (Playwright's `clock`, which stands in for the page's timers and Date), installed
// once the tablet is enrolled and an interview waits: it pauses it while the answer is held and
// runs it 65 s on, as if the tablet had been left a minute on a dead link, so the test takes
// seconds, not minutes. Only the page's time is faked; the proxy, the server and the network run
// in real time.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from './central-server.ts';
import { enrolTablet, startCentralServer } from './central-server.ts';
import { DEMO_CALM } from './demo-answers.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  launchBrowser,
  startInterview,
  unlockIfLocked,
} from './harness.ts';

interface UploadAnswer {
  readonly results: readonly { readonly id: string; readonly status: string }[];
}

/**
 * A proxy on 127.0.0.1 in front of the central server (the app is loaded through it too, so its
 * API is the page's own origin). While `holding`, an upload is forwarded and processed by the
 * server, and its answer kept back; `failNextQuota` answers the next quota read 503 itself.
 */
async function startProxy(target: string) {
  const uploads: UploadAnswer[] = [];
  /** Held answers: each writes its answer, unless the browser has given the request up. */
  const held: (() => boolean)[] = [];
  const state = { holding: false, failNextQuota: false, abandoned: 0 };
  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? '/';
    if (state.failNextQuota && /^\/api\/v1\/sites\/[^/]+\/quota/.test(path)) {
      state.failNextQuota = false;
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'unavailable', message: 'maintenance' }));
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (['host', 'connection', 'content-length'].includes(name) || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = request.method ?? 'GET';
    const answer = await fetch(`${target}${path}`, {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
    });
    const payload = Buffer.from(await answer.arrayBuffer());
    const upload = method === 'POST' && path === '/api/v1/records';
    if (upload) uploads.push(JSON.parse(payload.toString('utf8')) as UploadAnswer);
    const reply = () => {
      if (response.destroyed) return false;
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        // fetch has decoded the body: its length and encoding are the proxy's to say.
        if (
          !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)
        ) {
          out[name] = value;
        }
      });
      response.writeHead(answer.status, { ...out, 'content-length': String(payload.length) });
      response.end(payload);
      return true;
    };
    if (upload && state.holding) {
      response.on('close', () => {
        if (!response.writableEnded) state.abandoned += 1;
      });
      held.push(reply);
    } else {
      reply();
    }
  };
  const server = createServer((request, response) => {
    forward(request, response).catch((error: unknown) => {
      response.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    uploads,
    state,
    /** Stops holding; answers still awaited by the browser are sent. */
    release() {
      state.holding = false;
      for (const reply of held.splice(0)) reply();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a sync that never hangs', () => {
  let server: CentralServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    server = await startCentralServer();
    proxy = await startProxy(server.baseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close();
  });

  it('gives up an upload whose answer is held, says so, and the resend is a duplicate', async () => {
    const { page, context } = browser;
    await page.goto(`${proxy.url}/`);
    await unlockIfLocked(page);
    await enrolTablet(page, server, proxy.url);

    const id = await startInterview(page, 'demo');
    expect((await answerUntil(page, DEMO_CALM)).stoppedOn).toEqual({ kind: 'review' });
    await completeInterview(page);
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await expect.poll(() => page.getByTestId('sync-pending').textContent()).toBe('1');

    // The page's clock from now on: the timers armed from here are the test's to move.
    await context.clock.install();
    // The connection goes half-dead: the upload reaches the server, its answer never comes.
    proxy.state.holding = true;
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await expect.poll(() => proxy.uploads.length, { timeout: 10_000 }).toBe(1);
    expect(proxy.uploads[0]?.results).toEqual([{ id, status: 'accepted' }]);
    await page.getByRole('button', { name: TEXT.syncRunning }).waitFor();
    expect(await page.getByRole('button', { name: TEXT.syncRunning }).isDisabled()).toBe(true);

    // A minute and five seconds on the page's clock, held still afterwards so that the automatic
    // retry (the backoff's) does not start before the screen is read.
    await page.clock.pauseAt(Date.now() + 1_000);
    await page.clock.runFor(65_000);
    await unlockIfLocked(page);
    const problem = page.getByTestId('sync-error');
    await problem.waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: TEXT.syncNow }).waitFor();
    expect(await page.getByRole('button', { name: TEXT.syncNow }).isEnabled()).toBe(true);
    expect(await page.getByText(TEXT.syncRunning).count()).toBe(0);
    expect(await problem.getAttribute('data-problem')).toBe('unreachable');
    expect(await problem.textContent()).toContain(TEXT.syncProblems.unreachable);
    expect(TEXT.syncProblems.unreachable).toMatch(/^Le serveur ne répond pas/);
    // When the next try is due, in words.
    expect(await problem.textContent()).toMatch(/Nouvel essai automatique vers \d{2}:\d{2}/);
    expect(await page.getByTestId('sync-pending').textContent()).toBe('1');
    expect(await page.locator(`[data-interview-id="${id}"]`).getAttribute('data-sync-state')).toBe(
      'waiting',
    );
    // The browser gave the request up: the proxy saw its connection close unanswered.
    await expect.poll(() => proxy.state.abandoned).toBe(1);

    // The link is well again: the next sync sends the interview again, and the server knew it.
    proxy.release();
    await page.clock.resume();
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    await page
      .locator(`[data-interview-id="${id}"][data-sync-state="sent"]`)
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('sync-pending').textContent()).toBe('0');
    await page.getByTestId('sync-error').waitFor({ state: 'detached' });
    expect(proxy.uploads.slice(1).flatMap((upload) => upload.results)).toContainEqual({
      id,
      status: 'duplicate',
    });
    const stored = await server.store.listRecords({ site: 'lille' }, null, 100);
    expect(stored.filter((row) => row.id === id)).toHaveLength(1);

    // Nothing waits and a read fails: a quiet note, no alarm, no "server error" headline.
    proxy.state.failNextQuota = true;
    await page.getByRole('button', { name: TEXT.syncNow }).click();
    const note = page.getByTestId('sync-note');
    await note.waitFor({ timeout: 10_000 });
    expect(await note.getAttribute('data-problem')).toBe('server_error');
    expect(await note.textContent()).toContain(TEXT.syncNote);
    expect(await page.getByTestId('sync-error').count()).toBe(0);
    expect(await page.locator('.sync').textContent()).not.toContain(TEXT.syncProblems.server_error);
    expect(await page.getByTestId('sync-pending').textContent()).toBe('0');
  });
});

// A server the benchmark runs in a process of its own (a compiled entry of bench/, see
// bench/run.ts), as `npm start` would: the entry prints its port on a line once it listens.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

/** How long a server may take to listen before it is given up (and killed). */
const START_TIMEOUT_MS = 60_000;

export interface ServerChild {
  readonly child: ChildProcess;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  /** Kills the process and waits until it has exited. */
  stop(): Promise<void>;
}

export async function startServerChild(
  root: string,
  entry: string,
  args: readonly string[],
): Promise<ServerChild> {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${entry} did not listen within ${START_TIMEOUT_MS} ms: ${stderr}`)),
        START_TIMEOUT_MS,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n', 2);
        if (line.length < 2) return;
        clearTimeout(timer);
        const first = line[0]?.trim() ?? '';
        if (/^\d+$/.test(first)) resolve(first);
        else reject(new Error(`${entry} printed "${first}" where its port was expected`));
      });
      child.once('error', fail);
      // 'close': the streams are read to their end, so the error message holds the whole stderr.
      child.once('close', (code, signal) =>
        fail(new Error(`${entry} exited (${signal ?? code}) before listening: ${stderr}`)),
      );
    });
    return { child, base: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A JSON request to a server: GET without a body, else POST; fails on a status that is not ok. */
export async function callJson<T>(
  url: string,
  token: string | undefined,
  body?: unknown,
): Promise<T> {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

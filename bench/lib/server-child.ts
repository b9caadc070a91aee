// A server the benchmark runs in a process of its own (a compiled entry of bench/, see
// bench/run.ts), as `npm start` would: the entry prints its port once it listens.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

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
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}): ${stderr}`)));
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}

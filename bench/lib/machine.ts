// The machine a bench ran on: every result is printed and stored with it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { CHROMIUM } from './browser.ts';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly chromium: string;
  /** 1, 5 and 15-minute load averages when the bench started: other work on the machine. */
  readonly loadAverage: readonly number[];
}

function osName(): string {
  if (!existsSync('/etc/os-release')) return process.platform;
  const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
  return match?.[1] ?? process.platform;
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'not installed';
  }
}

export function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    node: process.version,
    chromium: chromiumVersion(),
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

export function machineLine(machine: Machine): string {
  return (
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, ` +
    `Node ${machine.node}, ${machine.chromium}; load average at start ${machine.loadAverage.join(' / ')}`
  );
}

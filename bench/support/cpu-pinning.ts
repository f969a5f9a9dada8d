/**
 * Pinning benchmark processes to CPUs with taskset (util-linux), so the server measured and
 * the load generator do not share a core. Without taskset (or with one CPU) everything runs
 * unpinned and `pinning.note` says so, for the figures' header.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { availableParallelism } from 'node:os';

const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
const cpus = availableParallelism();

/** The core the measured server(s) run on, and the one for the load generator and fakes. */
export const SERVER_CPU = 0;
export const LOADER_CPU = 1;

export const pinning = {
  enabled: hasTaskset && cpus >= 2,
  note:
    hasTaskset && cpus >= 2
      ? `pinned with taskset: server(s) on CPU ${SERVER_CPU}, load generator on CPU ${LOADER_CPU} (${cpus} CPUs, shared with whatever else runs on this machine)`
      : `NOT pinned: ${hasTaskset ? `only ${cpus} CPU` : 'taskset (util-linux) not found'}; server and load generator share the CPUs`,
};

/** `command args` confined to `cpu` (every thread it ever starts inherits the mask), as [command, args]. */
export function pinnedCommand(cpu: number, command: string, args: string[]): [string, string[]] {
  return pinning.enabled ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}

/** Spawns `command args` confined to `cpu`. */
export function spawnPinned(cpu: number, command: string, args: string[], options: SpawnOptions): ChildProcess {
  return spawn(...pinnedCommand(cpu, command, args), options);
}

/** Confines this process, all its threads, to `cpu`. */
export function pinSelf(cpu: number): void {
  if (pinning.enabled) spawnSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

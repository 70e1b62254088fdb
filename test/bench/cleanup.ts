/**
 * Processes the bench started, killed if the bench exits before stopping them (an error,
 * Ctrl-C, the watchdog). Only ids registered here are ever signalled. Temporary folders
 * registered here (a Redis Cluster's) are removed then too.
 */
import { rmSync } from 'node:fs';

const started = new Set<number>();
const folders = new Set<string>();

/** Remembers a process to kill on exit. */
export function track(pid: number | undefined): void {
  if (pid && pid > 0) started.add(pid);
}

/** Forgets a process that has exited. */
export function untrack(pid: number | undefined): void {
  if (pid) started.delete(pid);
}

/** Remembers a temporary folder to remove on exit. */
export function trackFolder(path: string): void {
  folders.add(path);
}

/** Forgets a folder that was removed. */
export function untrackFolder(path: string): void {
  folders.delete(path);
}

function killAll(): void {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  started.clear();
  for (const path of folders) rmSync(path, { recursive: true, force: true });
  folders.clear();
}

/** Kills the tracked processes when this process exits, however it exits. */
export function installCleanup(): void {
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping the processes it started`);
      process.exit(130);
    });
  }
}

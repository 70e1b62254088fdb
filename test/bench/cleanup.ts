/**
 * Processes the bench started, killed if the bench exits before stopping them (an error,
 * Ctrl-C, the watchdog). Only ids registered here are ever signalled.
 */
const started = new Set<number>();

/** Remembers a process to kill on exit. */
export function track(pid: number | undefined): void {
  if (pid && pid > 0) started.add(pid);
}

/** Forgets a process that has exited. */
export function untrack(pid: number | undefined): void {
  if (pid) started.delete(pid);
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

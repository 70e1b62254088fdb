import { SystemKind } from './protocol';
import { startSystem, System } from './systems';
import { ClientWorker, startWorkers, stopWorkers } from './workers';

const started = Date.now();

/** Prints a progress line with the time since the bench started. */
export function log(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[${seconds}s] ${message}`);
}

/** Generous time limit of one worker command. */
export const COMMAND_TIMEOUT_MS = 180_000;

/**
 * Starts a system and `workerCount` client workers, runs `body`, and stops them all,
 * whether `body` succeeds or fails (then with the servers' last output).
 */
export async function withSystem<T>(
  kind: SystemKind,
  workerCount: number,
  body: (system: System, workers: ClientWorker[]) => Promise<T>,
): Promise<T> {
  const system = await startSystem(kind);
  const workers = startWorkers(workerCount, `${kind}-`);
  try {
    return await body(system, workers);
  } catch (error) {
    console.error(`${kind} servers said, last:\n${system.output().slice(-4000)}`);
    throw error;
  } finally {
    await stopWorkers(workers);
    await system.stop();
  }
}

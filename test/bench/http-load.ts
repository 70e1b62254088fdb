import { fork } from 'node:child_process';
import { join } from 'node:path';
import { track, untrack } from './cleanup';
import { withTimeout } from './clock';
import { HttpCommand, HttpResult, HttpWorkerReply } from './http-protocol';

/** Runs one command in a forked HTTP client worker and stops the worker after. */
export async function runHttpWorker(command: HttpCommand, timeoutMs: number): Promise<HttpResult> {
  const child = fork(join(__dirname, 'http-client-worker.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const reply = new Promise<HttpWorkerReply>((resolve, reject) => {
      child.once('message', (message: HttpWorkerReply) => resolve(message));
      child.once('exit', (code, signal) =>
        reject(new Error(`HTTP client worker exited (${signal ?? code})`)),
      );
    });
    child.send(command);
    const answer = await withTimeout(reply, timeoutMs, `HTTP client worker: ${command.op}`);
    if (!answer.ok) throw new Error(`HTTP client worker: ${answer.error}`);
    return answer.result;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    untrack(child.pid);
  }
}

/** Merges the results of several workers. */
export function mergeResults(results: HttpResult[]): HttpResult {
  const merged: HttpResult = { latencies: [], statuses: {}, failures: 0, firstError: '' };
  for (const r of results) {
    for (const ms of r.latencies) merged.latencies.push(ms);
    for (const [status, n] of Object.entries(r.statuses))
      merged.statuses[Number(status)] = (merged.statuses[Number(status)] ?? 0) + n;
    merged.failures += r.failures;
    merged.firstError ||= r.firstError;
  }
  return merged;
}

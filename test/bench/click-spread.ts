/**
 * REST clicks spread evenly over many pages, a few in flight at once, never two on one page
 * (so no click conflicts with another): the load of the cluster-spread scenario, and of the
 * store-cost scenario's REST click under load.
 */
import { nowMs } from './clock';

/** One page to click: its events URL on a server, its session cookie, what to click. */
export interface ClickTarget {
  eventsUrl: string;
  cookie: string;
  componentId: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** One click, answered 200 (else it throws). */
async function click(target: ClickTarget): Promise<void> {
  const res = await fetch(target.eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: target.cookie },
    body: JSON.stringify({ componentId: target.componentId, type: 'click' }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`POST ${target.eventsUrl}: ${res.status}`);
}

/** An error's message, with its cause's (`fetch failed` says little on its own). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * The pages of each lane: lane `j` of `lanes` gets targets `j`, `j + lanes`, ..., so that no
 * page is in two lanes. Exported for the unit test.
 */
export function lanesOf<T>(targets: readonly T[], lanes: number): T[][] {
  const count = Math.max(1, Math.min(lanes, targets.length));
  return Array.from({ length: count }, (_, lane) => targets.filter((_, i) => i % count === lane));
}

/** How many clicks each lane sends, `count` in all, the first lanes one more if it does not divide. */
export function quotasOf(count: number, lanes: number): number[] {
  return Array.from(
    { length: lanes },
    (_, lane) => Math.floor(count / lanes) + (lane < count % lanes ? 1 : 0),
  );
}

/**
 * Sends `count` clicks over `targets`, `lanes` at once: each lane clicks its own pages in turn,
 * one request at a time. Answers how many were answered 200. At the first other answer (or
 * error, or once `timeoutMs` has passed) every lane stops before its next click; when all have
 * stopped, it throws with how many clicks failed.
 */
export async function clickSpread(
  targets: readonly ClickTarget[],
  count: number,
  lanes: number,
  timeoutMs = Infinity,
): Promise<number> {
  if (targets.length === 0) throw new Error('no page to click');
  const byLane = lanesOf(targets, lanes);
  const quotas = quotasOf(count, byLane.length);
  const deadline = nowMs() + timeoutMs;
  let answered = 0;
  let failures = 0;
  let firstError = '';
  const fail = (message: string) => {
    failures++;
    firstError ||= message;
  };
  await Promise.all(
    byLane.map(async (own, lane) => {
      for (let k = 0; k < quotas[lane] && failures === 0; k++) {
        if (nowMs() > deadline) {
          fail(`not done after ${timeoutMs} ms`);
          return;
        }
        try {
          await click(own[k % own.length]);
          answered++;
        } catch (error) {
          fail(describe(error));
        }
      }
    }),
  );
  if (failures > 0)
    throw new Error(
      `${failures} clicks failed, ${answered} of ${count} answered 200 (first: ${firstError})`,
    );
  return answered;
}

/**
 * An HTTP client worker: a process of its own (forked by `http-load.ts`) running many REST
 * clients, each on its own keep-alive connection, so that client work never shares a
 * process with a server. It runs one command and answers with its result.
 */
import { Agent, request } from 'node:http';
import { nowMs, sleep } from './clock';
import { HttpCommand, HttpResult, HttpWorkerReply } from './http-protocol';

const REQUEST_TIMEOUT_MS = 10_000;

interface Reply {
  status: number;
  etag: string | undefined;
  ms: number;
}

/** One request; resolves with the status, the ETag and the time to the end of the body. */
function send(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  const started = nowMs();
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        const etag = res.headers.etag;
        resolve({ status: res.statusCode ?? 0, etag, ms: nowMs() - started });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out: ${method} ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

function emptyResult(): HttpResult {
  return { latencies: [], statuses: {}, failures: 0, firstError: '' };
}

function record(result: HttpResult, reply: Reply): void {
  result.latencies.push(reply.ms);
  result.statuses[reply.status] = (result.statuses[reply.status] ?? 0) + 1;
}

function fail(result: HttpResult, error: unknown): void {
  result.failures++;
  if (!result.firstError)
    result.firstError = error instanceof Error ? error.message : String(error);
}

async function clicks(command: Extract<HttpCommand, { op: 'clicks' }>): Promise<HttpResult> {
  const result = emptyResult();
  const deadline = nowMs() + command.durationMs;
  await Promise.all(
    command.targets.map(async (target) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const headers = { 'content-type': 'application/json', cookie: target.cookie };
      let i = 0;
      while (nowMs() < deadline) {
        const componentId = target.componentIds[i++ % target.componentIds.length];
        const body = JSON.stringify({ componentId, type: 'click' });
        try {
          const reply = await send(agent, target.url, 'POST', headers, body);
          if (reply.status === 200) record(result, reply);
          else fail(result, new Error(`POST ${target.url}: ${reply.status}`));
        } catch (error) {
          fail(result, error);
          await sleep(10);
        }
      }
      agent.destroy();
    }),
  );
  return result;
}

async function polls(command: Extract<HttpCommand, { op: 'polls' }>): Promise<HttpResult> {
  const result = emptyResult();
  const { startAt, intervalMs, durationMs, total } = command;
  const windowStart = startAt + intervalMs;
  const windowEnd = windowStart + durationMs;
  await Promise.all(
    command.targets.map(async (target) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const offset = (target.index / total) * intervalMs;
      let etag: string | undefined;
      for (let k = 0; ; k++) {
        const at = startAt + offset + k * intervalMs;
        if (at >= windowEnd) break;
        const wait = at - nowMs();
        if (wait > 0) await sleep(wait);
        else if (wait < -intervalMs) continue; // far behind schedule: skip this poll
        const headers: Record<string, string> = { cookie: target.cookie };
        if (etag) headers['if-none-match'] = etag;
        const measured = at >= windowStart;
        try {
          const reply = await send(agent, target.url, 'GET', headers);
          if (reply.status !== 200 && reply.status !== 304)
            throw new Error(`GET ${target.url}: ${reply.status}`);
          if (reply.etag) etag = reply.etag;
          if (measured) record(result, reply);
        } catch (error) {
          if (measured) fail(result, error);
        }
      }
      agent.destroy();
    }),
  );
  return result;
}

function reply(message: HttpWorkerReply): void {
  process.send?.(message);
}

process.on('message', (command: HttpCommand) => {
  const run = command.op === 'clicks' ? clicks(command) : polls(command);
  run.then(
    (result) => reply({ ok: true, result }),
    (error: unknown) =>
      reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

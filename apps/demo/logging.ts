import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { DemoConfig } from './config';
import { QUIET_PATHS } from './quiet-paths';

/** The request id: the caller's `X-Request-Id` when it sends a sane one, else a new one. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** The level of a request's log line: 5xx errors, except refusals to serve (503), at `error`. */
export function requestLogLevel(
  _req: IncomingMessage,
  res: ServerResponse,
  error?: Error,
): 'info' | 'warn' | 'error' {
  // 503 is this replica declining (draining, the store away) and the client retrying: no bug
  if (res.statusCode === 503) return 'warn';
  if (error || res.statusCode >= 500) return 'error';
  return 'info';
}

/**
 * Whether `error` is the one pino-http makes up for a 5xx answered without an error of its own
 * (its stack only shows pino-http's own code).
 */
function madeUp(res: ServerResponse, error: Error): boolean {
  return error.message === `failed with status code ${res.statusCode}`;
}

/** A failed request's log fields: without the `err` (and its stack) pino-http made up. */
export function requestErrorFields(
  _req: IncomingMessage,
  res: ServerResponse,
  error: Error,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  if (!madeUp(res, error)) return fields;
  const rest = { ...fields };
  delete rest.err;
  return rest;
}

/** A failed request's log message: pino-http's, or the status for an answer without an error. */
export function requestErrorMessage(
  _req: IncomingMessage,
  res: ServerResponse,
  error: Error,
): string {
  return madeUp(res, error) ? `request answered ${res.statusCode}` : 'request errored';
}

/**
 * Whether pino-pretty is installed: a development dependency, absent from production
 * installs (the image), where the demo logs JSON whatever the format asked.
 */
function prettyInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    process.stderr.write(
      'PUSHPAGE_LOG_FORMAT=pretty needs pino-pretty, a development dependency: logging JSON\n',
    );
    return false;
  }
}

/**
 * pino through nestjs-pino: JSON lines (one object per event, with `reqId` on request logs)
 * for log collectors, or coloured single lines for people (`PUSHPAGE_LOG_FORMAT=pretty`,
 * what `npm start` uses).
 */
export function loggingParams(config: DemoConfig): Params {
  return {
    pinoHttp: {
      level: config.log.level,
      genReqId: requestId,
      // every line logged while serving a request carries its id
      customProps: (req) => ({ requestId: req.id }),
      autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
      customLogLevel: requestLogLevel,
      customErrorObject: requestErrorFields,
      customErrorMessage: requestErrorMessage,
      redact: ['req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      transport:
        config.log.format === 'pretty' && prettyInstalled()
          ? {
              target: 'pino-pretty',
              options: {
                singleLine: true,
                translateTime: 'SYS:HH:MM:ss.l',
                // `[Pushpage] message` for the app's own lines; request lines keep their fields
                messageFormat: '{if context}[{context}] {end}{msg}',
                ignore: 'pid,hostname,context',
              },
            }
          : undefined,
    },
  };
}

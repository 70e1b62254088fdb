import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { DemoConfig } from './config';

/** Requests not worth a log line each: probes, scrapes and static assets. */
const QUIET_PATHS = /^\/(healthz|readyz|metrics)\b|^\/pushpage\/(static|vendor)\//;

/** The request id: the caller's `X-Request-Id` when it sends a sane one, else a new one. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
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

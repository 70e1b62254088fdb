import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, settingName } from '../options';
import { PushpageMetrics } from './metrics.service';

/** Whether an `Authorization` header carries `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer +(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  // digests of equal length, so neither the length nor the content shows in the timing
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}

/** How a `/metrics` request ends: the metrics, or a refusal. */
export type MetricsAnswer = 'metrics' | 'unauthorized' | 'not-found';

/**
 * Who may read `/metrics` (`onMetricsPort`: the request came to `metricsPort`): with a port of
 * its own, only there; with a token, whoever sends it; with `publicMetrics`, anyone on the
 * app's port; otherwise nobody.
 */
export function metricsAnswer(
  options: ResolvedPushpageOptions,
  authorization: string | undefined,
  onMetricsPort: boolean,
): MetricsAnswer {
  if ((options.metricsPort !== undefined) !== onMetricsPort) return 'not-found';
  if (options.metricsToken !== undefined) {
    return bearerMatches(authorization, options.metricsToken) ? 'metrics' : 'unauthorized';
  }
  return onMetricsPort || options.publicMetrics ? 'metrics' : 'not-found';
}

/**
 * `/metrics` on `metricsPort`, when that is set: a plain HTTP server beside the app's, started
 * with the app and closed with it. Also checks the metrics options at start-up.
 */
@Injectable()
export class PushpageMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Pushpage');
  private server: Server | undefined;

  constructor(
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
    private readonly metrics: PushpageMetrics,
  ) {
    const name = (option: 'metricsToken' | 'metricsPort' | 'publicMetrics') =>
      settingName(options, option);
    if (options.publicMetrics && process.env.NODE_ENV === 'production') {
      throw new Error(
        `${name('publicMetrics')} would serve /metrics to anyone, which production refuses: ` +
          `set ${name('metricsPort')} (a port of its own) or ${name('metricsToken')} (a bearer token)`,
      );
    }
    const served =
      options.metricsPort !== undefined ||
      options.metricsToken !== undefined ||
      options.publicMetrics;
    if (!served) {
      this.logger.log(
        `/metrics is not served: set ${name('metricsPort')} (a port of its own) or ` +
          `${name('metricsToken')} (a bearer token)` +
          (process.env.NODE_ENV === 'production' ? '' : `, or ${name('publicMetrics')}`),
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const { metricsPort: port, metricsHost: host } = this.options;
    if (port === undefined) return;
    const server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(
          new Error(
            `/metrics could not listen on ${settingName(this.options, 'metricsPort')} ${port}: ` +
              error.message,
          ),
        ),
      );
      server.listen(port, host, resolve);
    });
    this.server = server;
    this.logger.log(`serving /metrics on port ${port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    const path = (req.url ?? '').split('?')[0];
    const outcome =
      path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')
        ? metricsAnswer(this.options, req.headers.authorization, true)
        : 'not-found';
    if (outcome === 'metrics') {
      try {
        const text = await this.metrics.registry.metrics();
        res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      } catch (error) {
        this.logger.error(`/metrics failed: ${error instanceof Error ? error.message : error}`);
        res.writeHead(500).end();
      }
      return;
    }
    if (outcome === 'unauthorized') res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    res.writeHead(outcome === 'unauthorized' ? 401 : 404, { 'Content-Type': 'text/plain' });
    res.end(outcome === 'unauthorized' ? 'Unauthorized\n' : 'Not Found\n');
  }
}

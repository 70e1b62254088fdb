import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the headers need of an Express app (the package's types stay free of Express's). */
interface ExpressApp {
  disable(setting: string): unknown;
  use(handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown;
}

/**
 * Headers of every page: its Content-Security-Policy (unless turned off), no MIME sniffing,
 * no referrer to other sites.
 */
export function setSecurityHeaders(
  res: ServerResponse,
  contentSecurityPolicy: string | false,
): void {
  if (contentSecurityPolicy) res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/** The Express apps whose responses already get the headers. */
const installed = new WeakSet<ExpressApp>();

function noSniff(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
}

/**
 * Headers of every response of the app, whoever answers it (the REST API, assets, the app's
 * own routes, errors, 404s): `X-Content-Type-Options: nosniff`, and no `X-Powered-By`. Put on
 * the Express app as early as it is known: when Nest creates the providers (before the app's
 * own setup and Nest's routes), or else when Nest configures middleware (a testing module
 * creates providers before it has an HTTP adapter).
 */
@Injectable()
export class ResponseHeaders {
  constructor(private readonly http: HttpAdapterHost) {
    this.install();
  }

  /** Installs the headers on the app's Express instance, once; nothing on another platform. */
  install(): void {
    const adapter = this.http.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    const app = adapter.getInstance<ExpressApp>();
    if (installed.has(app)) return;
    installed.add(app);
    app.disable('x-powered-by');
    app.use(noSniff);
  }
}

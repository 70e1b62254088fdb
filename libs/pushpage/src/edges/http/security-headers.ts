import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import helmet, { contentSecurityPolicy, xContentTypeOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the headers need of an Express app (the package's types stay free of Express's). */
interface ExpressApp {
  disable(setting: string): unknown;
  use(
    handler: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void,
  ): unknown;
}

/** A Content-Security-Policy's directives, as helmet takes them. */
type Directives = Record<
  string,
  string[] | typeof contentSecurityPolicy.dangerouslyDisableDefaultSrc
>;

/**
 * A Content-Security-Policy header value as helmet's directives: `name value value; ...`. A
 * policy without `default-src` stays without one (helmet would otherwise refuse it).
 */
function directivesOf(policy: string): Directives {
  const directives: Directives = {};
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives[name] = values;
  }
  if (!('default-src' in directives))
    directives['default-src'] = contentSecurityPolicy.dangerouslyDisableDefaultSrc;
  return directives;
}

/** Sets a page's headers on a response. */
type PageHeaders = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * helmet for pages: its defaults, the configured Content-Security-Policy (none with `false`),
 * `Referrer-Policy: same-origin` (links to other sites get no referrer; the app's own pages
 * do), and no Strict-Transport-Security: that is the domain's decision, made where TLS ends
 * (its `includeSubDomains` reaches every subdomain). Throws on a policy helmet refuses.
 */
function pageHeadersFor(policy: string | false): PageHeaders {
  const middleware = helmet({
    contentSecurityPolicy: policy
      ? { useDefaults: false, directives: directivesOf(policy) }
      : false,
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
  });
  return (req, res) =>
    middleware(req, res, (error) => {
      if (error) throw error;
    });
}

/** The headers of each configured policy (an app has one). */
const pageHeaders = new Map<string | false, PageHeaders>();

/**
 * Throws, naming `setting`, if helmet refuses a Content-Security-Policy (an unquoted keyword
 * such as `self`, a directive it does not know the shape of).
 */
export function checkContentSecurityPolicy(policy: string | false, setting: string): void {
  try {
    pageHeadersFor(policy);
  } catch (error) {
    throw new Error(
      `Pushpage options: ${setting} is not a policy helmet accepts: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Headers of every page, by helmet: its Content-Security-Policy (unless turned off), no MIME
 * sniffing, no referrer to other sites, no framing by other sites, cross-origin isolation of
 * the window and the resource.
 */
export function setSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  contentSecurityPolicy: string | false,
): void {
  let set = pageHeaders.get(contentSecurityPolicy);
  if (!set) {
    set = pageHeadersFor(contentSecurityPolicy);
    pageHeaders.set(contentSecurityPolicy, set);
  }
  set(req, res);
}

/** The Express apps whose responses already get the headers. */
const installed = new WeakSet<ExpressApp>();

/**
 * Headers of every response of the app, whoever answers it (the REST API, assets, the app's
 * own routes, errors, 404s): `X-Content-Type-Options: nosniff` (helmet's), and no
 * `X-Powered-By`. Put on the Express app as early as it is known: when Nest creates the
 * providers (before the app's own setup and Nest's routes), or else when Nest configures
 * middleware (a testing module creates providers before it has an HTTP adapter). The other
 * headers stay the app's choice on its own routes.
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
    app.use(xContentTypeOptions());
  }
}

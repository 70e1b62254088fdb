import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * `scheme://host[:port]` of an `http:` or `https:` URL that is nothing but an origin (a
 * trailing `/` aside), normalized as browsers send it (lower-case host, no default port);
 * `undefined` for anything else (`null`, a path, credentials, another scheme).
 */
export function parseOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    return undefined;
  }
  return url.origin;
}

/** The configured origins, normalized; throws on one that is not an origin, naming `setting`. */
export function normalizeOrigins(origins: readonly string[], setting: string): string[] {
  return origins.map((text) => {
    const origin = parseOrigin(text);
    if (origin === undefined) {
      throw new Error(
        `Pushpage options: ${setting} holds ${JSON.stringify(text)}, which is not an origin ` +
          '(scheme://host[:port], like https://app.example.com or http://localhost:8000)',
      );
    }
    return origin;
  });
}

/**
 * Whether a browser page of `origin` may talk to this server (open a websocket, change state
 * over REST). No `Origin` header: not a browser page (curl, a server), allowed. Otherwise its
 * scheme, host and port must equal one of `trusted`, or `ownOrigin` when that is given (the
 * request's own scheme and `Host`, only used when no public origins are configured).
 */
export function originAllowed(
  origin: string | undefined,
  trusted: readonly string[],
  ownOrigin?: string,
): boolean {
  if (origin === undefined || origin === '') return true;
  const parsed = parseOrigin(origin);
  if (parsed === undefined) return false;
  return trusted.includes(parsed) || parsed === ownOrigin;
}

/** The origin a request was made to, as its connection's scheme and its `Host` header say. */
export function requestOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (!host) return undefined;
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  return parseOrigin(`${scheme}://${host}`);
}

/** What the Origin rule needs from the options. */
export interface OriginSettings {
  /** The origins the app is served at; when there are any, the `Host` header decides nothing. */
  readonly publicOrigins: readonly string[];
  /** Further origins whose pages may talk to the app. */
  readonly allowedOrigins: readonly string[];
}

/**
 * The rule the socket handshake and the REST guard share: the request's `Origin` must be one
 * of the public or allowed origins; without public origins (outside production only), the
 * request's own scheme and `Host` count as one too.
 */
export function requestAllowed(req: IncomingMessage, settings: OriginSettings): boolean {
  const trusted = [...settings.publicOrigins, ...settings.allowedOrigins];
  const own = settings.publicOrigins.length === 0 ? requestOrigin(req) : undefined;
  return originAllowed(req.headers.origin, trusted, own);
}

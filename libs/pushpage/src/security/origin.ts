/**
 * Whether a browser page of `origin` may talk to this server (open a websocket, change state
 * over REST). No `Origin` header: not a browser page (curl, a server), allowed. Otherwise the
 * origin must be this server's own (its host is the request's `Host`) or in `allowed`.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined || origin === '') return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (host !== undefined && url.host === host.toLowerCase()) return true;
  return allowed.includes(url.origin);
}

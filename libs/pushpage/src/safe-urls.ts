/**
 * The URLs client actions may carry, checked by the server before sending and by the tab
 * before using them (docs/security.md#client-actions). No imports: the client bundle shares
 * this file. Each check answers why a URL is refused, or `null` when it is fine.
 */

/** The longest URL an action carries. */
export const MAX_ACTION_URL_LENGTH = 2048;

const HTTP_URL = /^https?:\/\/[^/?#]/i;
const IMAGE_DATA_URL =
  /^data:image\/(png|gif|webp|x-icon|vnd\.microsoft\.icon|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

/** Spaces, control characters, line separators and backslashes (browsers read `\\` as `/`). */
function hasUnsafeCharacter(url: string): boolean {
  for (let i = 0; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029)
      return true;
    if (url[i] === '\\') return true;
  }
  return false;
}

function commonProblem(url: unknown): string | null {
  if (typeof url !== 'string' || url === '') return 'it must be a non-empty string';
  if (url.length > MAX_ACTION_URL_LENGTH)
    return `it is longer than ${MAX_ACTION_URL_LENGTH} characters`;
  if (hasUnsafeCharacter(url))
    return 'it holds spaces, control characters or backslashes (percent-encode them)';
  return null;
}

/** Whether `url` stays in the app: a path from the root, a query or a fragment. */
function isInApp(url: string): boolean {
  if (url.startsWith('?') || url.startsWith('#')) return true;
  // `//host` is another site ("protocol-relative")
  return url.startsWith('/') && !url.startsWith('//');
}

/** Where a tab may be sent: an in-app path (`/a?b#c`, `?b`, `#c`) or an `http(s)` URL. */
export function navigationUrlProblem(url: unknown): string | null {
  const common = commonProblem(url);
  if (common) return common;
  const text = url as string;
  if (isInApp(text) || HTTP_URL.test(text)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
  if (scheme && /^https?$/i.test(scheme))
    return 'an http(s) URL must name a host (https://host/...)';
  return scheme
    ? `the ${scheme.toLowerCase()}: scheme is not allowed; use a path of the app or an http(s) URL`
    : 'it must be a path from the root (/...), a query (?...), a fragment (#...) or an http(s) URL';
}

/** A tab's own address (history): in-app only, as browsers refuse other origins there. */
export function inAppUrlProblem(url: unknown): string | null {
  const common = commonProblem(url);
  if (common) return common;
  return isInApp(url as string)
    ? null
    : 'it must stay in the app: a path from the root (/...), a query (?...) or a fragment (#...)';
}

/** A favicon: an in-app path, an `http(s)` URL, or a base64 `data:image/...` URL. */
export function faviconProblem(href: unknown): string | null {
  if (typeof href === 'string' && href.length <= 256 * 1024 && IMAGE_DATA_URL.test(href))
    return null;
  const problem = navigationUrlProblem(href);
  if (problem) return `${problem} (or a base64 data:image/... URL)`;
  const text = href as string;
  return text.startsWith('?') || text.startsWith('#') ? 'it must be a path or a URL' : null;
}

/** A style sheet added to the head: a path of the app (the CSP allows no other). */
export function stylesheetProblem(href: unknown): string | null {
  const common = commonProblem(href);
  if (common) return common;
  const text = href as string;
  return text.startsWith('/') && !text.startsWith('//')
    ? null
    : 'a style sheet must be a path of the app (/...): the page allows styles from its own origin only';
}

const META_NAME = /^[A-Za-z][A-Za-z0-9:._-]{0,63}$/;
/** Meta names that change how the page behaves rather than describe it. */
const REFUSED_META_NAMES = new Set(['referrer']);

/** The `name` or `property` of an added `<meta>`. */
export function metaNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || !META_NAME.test(name))
    return 'it must be 1 to 64 letters, digits, `:`, `.`, `_` or `-`, starting with a letter';
  if (REFUSED_META_NAMES.has(name.toLowerCase()))
    return `meta ${name} changes the page's behaviour and is not allowed`;
  return null;
}

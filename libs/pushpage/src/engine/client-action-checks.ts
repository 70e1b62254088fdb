import { Component } from '../model/component';
import { ClientAction, HeadTag, JsonValue, NotifyPosition, NotifyType } from '../protocol';
import {
  faviconProblem,
  inAppUrlProblem,
  metaNameProblem,
  navigationUrlProblem,
  stylesheetProblem,
} from '../safe-urls';

/** A client action with a bad argument, or one this event's tab cannot take; nothing was sent. */
export class ClientActionError extends Error {
  override readonly name = 'ClientActionError';
}

/** The most text a notification, dialog, title or clipboard copy carries. */
const MAX_TEXT = 64 * 1024;
/** The largest file `download({ content })` sends through the socket; serve bigger ones. */
export const MAX_DOWNLOAD_BYTES = 1024 * 1024;

const NOTIFY_TYPES: readonly NotifyType[] = ['positive', 'negative', 'warning', 'info', 'ongoing'];
const NOTIFY_POSITIONS: readonly NotifyPosition[] = [
  'top',
  'top-left',
  'top-right',
  'bottom',
  'bottom-left',
  'bottom-right',
  'center',
];
const FUNCTION_NAME = /^[A-Za-z_$][A-Za-z0-9_$.:-]{0,99}$/;
const MIME_TYPE = /^[a-z]+\/[a-z0-9.+-]+(; ?charset=[a-z0-9-]+)?$/i;

/** Throws a {@link ClientActionError} naming what was wrong, if `problem` is not `null`. */
export function refuse(what: string, problem: string | null): void {
  if (problem) throw new ClientActionError(`${what}: ${problem}`);
}

/** Checks a text argument (a message, a title, text to copy). */
export function checkText(what: string, text: unknown, allowEmpty = false): string {
  if (typeof text !== 'string') throw new ClientActionError(`${what} must be a string`);
  if (!allowEmpty && text === '') throw new ClientActionError(`${what} must not be empty`);
  if (text.length > MAX_TEXT)
    throw new ClientActionError(`${what} is longer than ${MAX_TEXT} characters`);
  return text;
}

/** Options of a notification. */
export interface NotifyOptions {
  /** How it looks; default a neutral notification. */
  type?: NotifyType;
  /** A second, smaller line. */
  caption?: string;
  /** Where it shows; default `bottom`. */
  position?: NotifyPosition;
  /** How long it shows, in ms (default 5000); 0 keeps it until closed. */
  timeoutMs?: number;
}

export function notifyAction(message: string, options: NotifyOptions): ClientAction {
  const action: ClientAction = { do: 'notify', message: checkText('notify: the message', message) };
  if (options.type !== undefined) {
    if (!NOTIFY_TYPES.includes(options.type))
      throw new ClientActionError(`notify: type must be one of ${NOTIFY_TYPES.join(', ')}`);
    action.type = options.type;
  }
  if (options.caption !== undefined)
    action.caption = checkText('notify: the caption', options.caption);
  if (options.position !== undefined) {
    if (!NOTIFY_POSITIONS.includes(options.position))
      throw new ClientActionError(`notify: position must be one of ${NOTIFY_POSITIONS.join(', ')}`);
    action.position = options.position;
  }
  if (options.timeoutMs !== undefined) {
    const ms = options.timeoutMs;
    if (!Number.isInteger(ms) || ms < 0 || ms > 3_600_000)
      throw new ClientActionError(
        'notify: timeoutMs must be a whole number of ms from 0 to 3600000',
      );
    action.timeout = ms;
  }
  return action;
}

/** The id of a component to scroll to or focus. */
export function targetId(what: string, component: Component): string {
  if (!(component instanceof Component))
    throw new ClientActionError(`${what}: pass a component of the page`);
  return component.id;
}

/** A file to download: from a URL, or its content sent along (1 MiB at most). */
export type DownloadSource =
  | { url: string; filename?: string }
  | { content: string | Uint8Array; filename: string; mime?: string };

/** Slashes or control characters: a file name, not a path. */
function isPathLike(name: string): boolean {
  return [...name].some(
    (ch) => ch === '/' || ch === '\\' || ch.charCodeAt(0) < 0x20 || ch === '\u007f',
  );
}

function checkFileName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.length > 255 || isPathLike(name))
    throw new ClientActionError(
      'download: filename must be 1 to 255 characters without slashes or control characters',
    );
  return name;
}

export function downloadAction(source: DownloadSource): ClientAction {
  if ('url' in source) {
    refuse(`download: url ${JSON.stringify(source.url)}`, navigationUrlProblem(source.url));
    return source.filename === undefined
      ? { do: 'download', url: source.url }
      : { do: 'download', url: source.url, filename: checkFileName(source.filename) };
  }
  const mime = source.mime ?? 'application/octet-stream';
  if (!MIME_TYPE.test(mime)) throw new ClientActionError(`download: ${mime} is not a MIME type`);
  const bytes =
    typeof source.content === 'string'
      ? Buffer.from(source.content, 'utf8')
      : source.content instanceof Uint8Array
        ? Buffer.from(source.content)
        : undefined;
  if (!bytes) throw new ClientActionError('download: content must be a string or a Uint8Array');
  if (bytes.length > MAX_DOWNLOAD_BYTES)
    throw new ClientActionError(
      `download: content is larger than ${MAX_DOWNLOAD_BYTES} bytes; serve the file from a route and download it by url`,
    );
  return {
    do: 'download',
    data: bytes.toString('base64'),
    filename: checkFileName(source.filename),
    mime,
  };
}

export function headAction(tag: HeadTag): ClientAction {
  if (tag.tag === 'link') {
    if (tag.rel !== 'stylesheet')
      throw new ClientActionError('addHead: a link must be rel "stylesheet"');
    refuse(`addHead: style sheet ${JSON.stringify(tag.href)}`, stylesheetProblem(tag.href));
    return { do: 'head', add: { tag: 'link', rel: 'stylesheet', href: tag.href } };
  }
  if (tag.tag !== 'meta')
    throw new ClientActionError('addHead: only <meta> and <link rel="stylesheet"> may be added');
  const content = checkText('addHead: the meta content', tag.content, true);
  if ('name' in tag) {
    refuse(`addHead: meta name ${JSON.stringify(tag.name)}`, metaNameProblem(tag.name));
    return { do: 'head', add: { tag: 'meta', name: tag.name, content } };
  }
  refuse(`addHead: meta property ${JSON.stringify(tag.property)}`, metaNameProblem(tag.property));
  return { do: 'head', add: { tag: 'meta', property: tag.property, content } };
}

export function faviconAction(href: string): ClientAction {
  refuse(`favicon ${JSON.stringify(href.slice(0, 80))}`, faviconProblem(href));
  return { do: 'favicon', href };
}

export function navigateAction(url: string, newTab: boolean): ClientAction {
  refuse(`navigate to ${JSON.stringify(url)}`, navigationUrlProblem(url));
  return newTab ? { do: 'navigate', url, newTab } : { do: 'navigate', url };
}

export function urlAction(url: string, push: boolean): ClientAction {
  refuse(`setUrl ${JSON.stringify(url)}`, inAppUrlProblem(url));
  return push ? { do: 'url', url, push } : { do: 'url', url };
}

export function checkFunctionName(name: unknown): string {
  if (typeof name !== 'string' || !FUNCTION_NAME.test(name))
    throw new ClientActionError(
      `call: ${JSON.stringify(name)} is not a function name (letters, digits, _ $ . : -; up to 100)`,
    );
  return name;
}

/** Arguments of a client function: JSON values that survive the trip unchanged. */
export function checkJsonArgs(name: string, args: readonly unknown[]): JsonValue[] {
  return args.map((arg, i) => {
    let text: string | undefined;
    try {
      text = JSON.stringify(arg);
    } catch {
      text = undefined;
    }
    if (text === undefined || !sameJson(arg, JSON.parse(text) as unknown))
      throw new ClientActionError(`call ${name}: argument ${i + 1} is not a JSON value`);
    return arg as JsonValue;
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.prototype) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) =>
      sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

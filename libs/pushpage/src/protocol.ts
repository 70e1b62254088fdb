/**
 * The wire protocol between the server and the browser runtime (docs/protocol.md).
 * Types and constants only, no imports, so the client bundle can share this file.
 */

/**
 * Page, component, event and session ids on the wire: 1 to 64 base64url characters. Ids
 * the server makes are shorter; anything else is refused before it reaches the store.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A value that survives a JSON round trip unchanged. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The tag of a chart's node (`Chart`): the runtime draws it with Apache ECharts. */
export const CHART_TAG = 'pushpage-chart';

/** The tag of an upload's node (`Upload`): the runtime renders a file input that posts files. */
export const UPLOAD_TAG = 'pushpage-upload';

/** The multipart fields of an upload (`POST .../uploads/:componentId`). */
export const UPLOAD_FIELDS = {
  /** Each file, under this name. */
  file: 'files',
  /** The tab's id (its `msg.storage.tab`), as events over HTTP carry it. */
  tabId: 'tabId',
  /** The tab's socket id, so that `msg.client` reaches the tab on whichever replica it is. */
  socketId: 'socketId',
} as const;

/**
 * Props Pushpage itself renders; every other prop of a Quasar component (`q-...` tag) is
 * handed to the Quasar component as is.
 */
export const PUSHPAGE_PROPS: readonly string[] = [
  'text',
  'classes',
  'style',
  'attrs',
  'show',
  'animation',
  'innerHtml',
  'unsafeInnerHtml',
  'value',
  'debounce',
  'throttle',
  'slot',
  'qtag',
  'collab',
  'doc',
  'kitchenSink',
];

/** Quasar's style sheets (Roboto, Material Icons, Quasar), under the runtime's asset base. */
export function quasarStyleSheets(assetBase: string): string[] {
  return [
    `${assetBase}/vendor/quasar-extras/roboto-font/roboto-font.css`,
    `${assetBase}/vendor/quasar-extras/material-icons/material-icons.css`,
    `${assetBase}/vendor/quasar/quasar.prod.css`,
  ];
}

/** A form control's value as a tab sends it: text, a number, a switch, a choice or several. */
export type FormValue = string | number | boolean | null | (string | number)[];

/**
 * A component as the browser sees it: tag, rendering props, the events it listens to,
 * and child ids. Handler names and custom data stay on the server.
 */
export interface ClientNode {
  /** id */
  i: string;
  /** HTML tag */
  t: string;
  /** rendering props (text, classes, style, attrs, show, animation, value, ...) */
  p: Record<string, JsonValue>;
  /** event types the component listens to */
  e?: string[];
  /** the event properties a tab sends with each event of `e` that asks for some */
  a?: Record<string, string[]>;
  /**
   * the throttle, in milliseconds, of each event of `e` whose binding set one (the others
   * have their default: `DEFAULT_EVENT_THROTTLE_MS` for `THROTTLED_EVENTS`, else none)
   */
  r?: Record<string, number>;
  /** child ids */
  k?: string[];
  /**
   * How many children after those in `k` were left out (a child list longer than the
   * `snapshotWindow` option): they and everything inside them are not sent; a tab asks for
   * them with `more`. Absent when none were.
   */
  m?: number;
  /** the event that carries the value of a form control */
  v?: 'input' | 'change';
}

/** A path into a JSON value: object keys and array indexes, from the outside in. */
export type PropPath = readonly (string | number)[];

/**
 * One change as the browser applies it:
 * - `['set', id, prop, value]` / `['unset', id, prop]`: a rendering prop;
 * - `['on', id, event, props?, throttle?]` / `['off', id, event]`: an event listener
 *   (`props`: the event properties it sends, when it asks for some or sets a throttle;
 *   `throttle`: the milliseconds between two sends, when its binding set them);
 * - `['ins', parentId, index, childId]`: insert a child (-1: append); the patch's nodes
 *   describe new children;
 * - `['rm', parentId, childId]`: remove a child;
 * - `['put', id, prop, path, value]`: a value at `path` inside a prop (an index just past
 *   an array's end appends);
 * - `['push', id, prop, path, items, keepLast?]`: items appended to the array at `path`
 *   inside a prop, the oldest dropped past `keepLast`.
 */
export type WireOp =
  | ['set', string, string, JsonValue]
  | ['unset', string, string]
  | ['on', string, string]
  | ['on', string, string, string[]]
  | ['on', string, string, string[], number]
  | ['off', string, string]
  | ['ins', string, number, string]
  | ['rm', string, string]
  | ['put', string, string, PropPath, JsonValue]
  | ['push', string, string, PropPath, JsonValue[]]
  | ['push', string, string, PropPath, JsonValue[], number];

/** What the server pushes for one scope (a page or a shared element) after a commit. */
export interface ScopePatch {
  /** the scope: a page id or a shared element id */
  s: string;
  /** the scope's version after this patch */
  v: number;
  /** the changes, in commit order */
  o: WireOp[];
  /** nodes of components this patch inserts */
  n?: ClientNode[];
  /** the socket whose typing produced values in this patch; it keeps its own text */
  src?: string;
  /** how many of `o`, from the first, are `src`'s typed values (all of them when absent) */
  t?: number;
}

/** A whole page as the browser needs it to render. */
export interface PageSnapshot {
  pageId: string;
  nodes: ClientNode[];
  /** version of the page and of every shared element on it */
  versions: Record<string, number>;
}

/** Settings the browser runtime reads from the page. */
export interface ClientConfig {
  /** Socket.IO path. */
  socketPath: string;
  /** Socket.IO namespace (`/` or the module's `socketNamespace`). */
  socketNamespace: string;
  /** URL path of the REST API (`/api/pages`), which pages without a websocket post to. */
  apiBase: string;
  /** Whether this page uses a websocket. */
  websockets: boolean;
  /** URL folder of the runtime's assets (scripts, styles, fonts). */
  assetBase: string;
  /** How many children of one component a snapshot or a `more` answer carries at most. */
  snapshotWindow: number;
}

/** What the HTML shell embeds for the runtime. */
export interface BootState {
  snapshot: PageSnapshot;
  config: ClientConfig;
}

/** An event from a tab. */
export interface EventPayload {
  /** Unique per event: a retried event with the same id is applied once. */
  eventId?: string;
  pageId: string;
  componentId: string;
  type: string;
  value?: FormValue;
  key?: string;
  /** The event properties its handler asked for (`ClientNode.a`), by name. */
  event?: Record<string, JsonValue>;
  values?: { id: string; value: FormValue }[];
}

/**
 * `doc` from a tab: changes to a collaborative document (a Yjs update, base64) and the
 * state vector of what the tab has (base64), to be answered with what it lacks.
 */
export interface DocMessage {
  pageId: string;
  componentId: string;
  update?: string;
  sv?: string;
}

/**
 * `more` from a tab: the children of a component on its page from index `from` on, those a
 * snapshot left out (see {@link ClientNode.m}).
 */
export interface MoreRequest {
  pageId: string;
  componentId: string;
  /** The index of the first child wanted: how many the tab holds. */
  from: number;
}

/** Acknowledgement of a `more` message: the next children of the component. */
export interface MoreReply {
  /** The children and everything inside them, parents first (long lists in them windowed). */
  nodes: ClientNode[];
  /** The ids of the children, in order: up to `snapshotWindow` of them from `from`. */
  k: string[];
  /** How many children follow these. */
  m: number;
}

/** Acknowledgement of a `doc` message that carried `sv`: the updates the tab lacks. */
export interface DocReply {
  update?: string;
}

/** `doc` from the server: a change another tab made to a collaborative document. */
export interface DocBroadcast {
  /** component id */
  c: string;
  /** Yjs update, base64 */
  u: string;
}

/**
 * Why a tab cannot use its page at all (rather than one event failing): the page is gone
 * (expired, or the store lost it), the server does not recognise the tab's session cookie
 * (signed with a secret it does not know), or the page belongs to another session. Loading
 * the page again gives the tab a fresh page it can use.
 */
export type UnusableReason = 'page-gone' | 'session-unknown' | 'other-session';

/** A refused or failed message: a code, a sentence for people, and why the page is unusable. */
export interface Failure {
  ok: false;
  error: { code: string; message: string; reason?: UnusableReason };
}

/** Acknowledgement of every client message. */
export type Ack<T extends object = object> = ({ ok: true } & T) | Failure;

// ---- client actions (docs/protocol.md#client-actions) ----

/** How a notification looks (Quasar's `Notify` types). */
export type NotifyType = 'positive' | 'negative' | 'warning' | 'info' | 'ongoing';

/** Where a notification shows. */
export type NotifyPosition =
  'top' | 'top-left' | 'top-right' | 'bottom' | 'bottom-left' | 'bottom-right' | 'center';

/** A tag a server may add to a tab's `<head>`: metadata and same-origin style sheets only. */
export type HeadTag =
  | { tag: 'meta'; name: string; content: string }
  | { tag: 'meta'; property: string; content: string }
  | { tag: 'link'; rel: 'stylesheet'; href: string };

/**
 * `actions` from the server (a list of these): something a tab does besides rendering.
 * URLs are checked on the server and again by the tab: in-app paths (`/...`, `?...`,
 * `#...`) or `http(s)` URLs, never `javascript:` or any other scheme.
 */
export type ClientAction =
  | {
      do: 'notify';
      message: string;
      type?: NotifyType;
      caption?: string;
      position?: NotifyPosition;
      /** ms; 0 keeps it until closed */
      timeout?: number;
    }
  | { do: 'alert'; message: string; title?: string }
  | { do: 'scroll'; id: string; smooth?: boolean }
  | { do: 'focus'; id: string }
  | { do: 'copy'; text: string }
  | { do: 'download'; url: string; filename?: string }
  /** `data`: the file's bytes, base64 */
  | { do: 'download'; data: string; filename: string; mime: string }
  | { do: 'title'; title: string }
  | { do: 'favicon'; href: string }
  | { do: 'head'; add: HeadTag }
  | { do: 'dark'; on: boolean }
  | { do: 'navigate'; url: string; newTab?: boolean }
  /** changes the tab's address without loading it (`history.replaceState`, or `pushState`) */
  | { do: 'url'; url: string; push?: boolean };

/**
 * `ask` from the server to one tab, acknowledged with a {@link ClientAnswer}: a function the
 * app's script registered (`pushpage.register(name, fn)`), or a dialog's answer.
 */
export type ClientQuestion =
  | { ask: 'call'; name: string; args: JsonValue[] }
  | { ask: 'confirm'; message: string; title?: string }
  | { ask: 'prompt'; message: string; title?: string; value?: string };

/** A tab's answer to an `ask`: the value, or why there is none. */
export type ClientAnswer = Ack<{ value: JsonValue }>;

/**
 * What the REST API answers for an event the handler sent actions for: the page after it,
 * the actions for the client that posted it, in order, and where a `navigate` among them
 * goes (the last one), so a REST client sees where to go without reading the list.
 */
export interface EventAnswer extends PageView {
  actions?: ClientAction[];
  navigate?: string;
}

// ---- the REST API (docs/rest.md) ----

/** A component as the REST API shows it: readable names, children nested. */
export interface PageViewNode {
  id: string;
  tag: string;
  props: Record<string, JsonValue>;
  /** DOM events the component listens to. */
  events?: string[];
  /** The event properties an event of `events` sends, for those that ask for some. */
  eventProps?: Record<string, string[]>;
  /** The throttle (milliseconds) of each event of `events` whose binding set one. */
  eventThrottles?: Record<string, number>;
  /** For form controls: the event that carries their value (`input` or `change`). */
  valueEvent?: 'input' | 'change';
  children?: PageViewNode[];
  /**
   * How many children after `children` the view left out (a list longer than the
   * `snapshotWindow` option); read them with `GET .../components/:id/children?from=N`.
   */
  more?: number;
}

/** What the REST API answers for a page. */
export interface PageView {
  pageId: string;
  /** Rises with every change of the page, of a shared element or of a document on it. */
  version: number;
  tree: PageViewNode;
}

/** What the REST API answers for the children of a component (a `more` of the socket). */
export interface ChildrenView {
  /** The children from the index asked for on, up to `snapshotWindow` of them, nested. */
  children: PageViewNode[];
  /** How many children follow these. */
  more: number;
}

/** The REST API's error body (`docs/rest.md`): the status again, a code and a sentence. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  /** Why the page cannot be used, when that is the refusal. */
  reason?: UnusableReason;
}

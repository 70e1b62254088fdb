import { setTimeout as sleep } from 'node:timers/promises';
import type { EventPayload, PageView, PageViewNode } from '../protocol';
import { apiErrorOf } from './api-error';
import type { HttpSession } from './http-session';
import { describeNode, htmlIdOf, nodesOf, textOf } from './view-nodes';

/** An element of the page: a node of its view, or its `id` attribute (see {@link TestPage.byId}). */
export type NodeRef = PageViewNode | string;

/** What an event carries besides its type: a form value, a key, event properties, other controls' values. */
export type EventDetails = Pick<EventPayload, 'value' | 'key' | 'event' | 'values'>;

/** How {@link TestPage.waitFor} polls. */
export interface WaitForOptions {
  /** How long to wait before failing. Default 2000 ms, below a test runner's usual timeout. */
  timeoutMs?: number;
  /** How long to wait between two reads of the page. Default 50 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout's message (`'the count to reach 2'`). */
  description?: string;
}

const DEFAULT_WAIT_MS = 2000;
const DEFAULT_POLL_MS = 50;
/** How many ids or texts a finder's error lists. */
const LISTED_IN_ERRORS = 10;

function listed(items: string[]): string {
  const shown = items.slice(0, LISTED_IN_ERRORS).join(', ');
  return items.length > LISTED_IN_ERRORS ? `${shown}, …` : shown || 'none';
}

/**
 * A page opened over the REST API, driven as a tab would drive it: it holds the page's view
 * as last read (after opening, each event and each {@link TestPage.refresh}), finds elements
 * in it, sends events and waits for changes made elsewhere (another session, a task).
 *
 * Finders search the view as the API gives it: a component with more children than the
 * `snapshotWindow` option shows only the first of them.
 */
export class TestPage {
  private current: PageView;
  private etag: string | undefined;

  /** @internal Made by {@link PushpageTestClient.open}. */
  constructor(
    private readonly session: HttpSession,
    /** The route the page was opened at (`/greet`). */
    readonly route: string,
    view: PageView,
    etag: string | null,
  ) {
    this.current = view;
    this.etag = etag ?? undefined;
  }

  /** The page's id. */
  get pageId(): string {
    return this.current.pageId;
  }

  /** The page as last read: `{ pageId, version, tree }`. */
  get view(): PageView {
    return this.current;
  }

  /** The root of the page's tree as last read. */
  get tree(): PageViewNode {
    return this.current.tree;
  }

  /** The page's version as last read: it rises with every change of the page. */
  get version(): number {
    return this.current.version;
  }

  /**
   * Reads the page again (a `304` when nothing changed keeps the view as it is).
   * @throws {@link PushpageApiError} when the API refuses (the page is gone, another session's).
   */
  async refresh(): Promise<PageView> {
    const res = await this.session.call('GET', `/${this.pageId}`, {
      headers: this.etag ? { 'if-none-match': this.etag } : {},
    });
    if (res.status === 304) return this.current;
    if (res.status !== 200) throw await apiErrorOf(`reading page ${this.where()}`, res);
    this.took((await res.json()) as PageView, res);
    return this.current;
  }

  /** Every node of the view that `predicate` accepts (every node without one), in document order. */
  all(predicate: (node: PageViewNode) => boolean = () => true): PageViewNode[] {
    return nodesOf(this.current.tree).filter(predicate);
  }

  /**
   * The element whose `id` attribute (`attrs: { id }`) is `id`, or failing that whose
   * component id is `id`.
   * @throws Error when no element, or more than one, has that id.
   */
  byId(id: string): PageViewNode {
    const nodes = nodesOf(this.current.tree);
    const matches = nodes.filter((n) => htmlIdOf(n) === id);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1)
      throw new Error(`${matches.length} elements have id "${id}" on page ${this.where()}`);
    const byComponentId = nodes.find((n) => n.id === id);
    if (byComponentId) return byComponentId;
    const ids = nodes.flatMap((n) => htmlIdOf(n) ?? []);
    throw new Error(`no element with id "${id}" on page ${this.where()}; ids: ${listed(ids)}`);
  }

  /**
   * The first element, in document order, whose own text (`props.text`) is `text`, or matches
   * it when it is a regular expression.
   * @throws Error when none does.
   */
  byText(text: string | RegExp): PageViewNode {
    const nodes = nodesOf(this.current.tree);
    const match = nodes.find((n) =>
      typeof text === 'string' ? textOf(n) === text : text.test(textOf(n)),
    );
    if (match) return match;
    const texts = nodes.flatMap((n) => (textOf(n) ? [JSON.stringify(textOf(n))] : []));
    throw new Error(
      `no element with text ${String(text)} on page ${this.where()}; texts: ${listed(texts)}`,
    );
  }

  /** An element's own text as last read ('' when it has none). */
  text(target: NodeRef): string {
    return textOf(this.nodeOf(target));
  }

  /**
   * Clicks an element: posts a `click` event and takes the page after its handler.
   * @returns The page after the event.
   * @throws {@link PushpageApiError} when the API refuses, e.g. `not-listening` when the
   * element has no click handler.
   */
  click(target: NodeRef, details: EventDetails = {}): Promise<PageView> {
    return this.send(target, 'click', details);
  }

  /**
   * Types a value into a form control (an input, textarea, select, Quasar input): posts its
   * value event (`input` or `change`) with the value, as a tab does, so the value is stored
   * and its handler, if any, runs.
   * @throws Error when the element is not a form control; {@link PushpageApiError} on a refusal.
   */
  async fill(target: NodeRef, value: EventDetails['value']): Promise<PageView> {
    const node = this.nodeOf(target);
    if (!node.valueEvent)
      throw new Error(`${describeNode(node)} on page ${this.where()} is not a form control`);
    return this.send(node, node.valueEvent, { value });
  }

  /**
   * Posts an event of any type to an element and takes the page after it. When the handler
   * returned a value (no update, a `204`), the page is read again instead.
   * @returns The page after the event.
   * @throws {@link PushpageApiError} when the API refuses the event; nothing was applied then.
   */
  async send(target: NodeRef, type: string, details: EventDetails = {}): Promise<PageView> {
    const node = this.nodeOf(target);
    const res = await this.session.call('POST', `/${this.pageId}/events`, {
      body: { componentId: node.id, type, ...details },
    });
    if (res.status === 204) return this.refresh();
    if (res.status !== 200)
      throw await apiErrorOf(`${type} on ${describeNode(node)} on page ${this.where()}`, res);
    this.took((await res.json()) as PageView, res);
    return this.current;
  }

  /**
   * Reads the page until `predicate` holds for it, at most `timeoutMs`: for changes made
   * elsewhere (another session's event, a background task, a shared element's update). A
   * predicate that throws (a finder that finds nothing yet, a failed `expect`) counts as not
   * holding; its last error is in the timeout's message.
   * @returns The page as it was when the predicate held.
   * @throws Error when the time is up; {@link PushpageApiError} when a read is refused.
   */
  async waitFor(
    predicate: (page: TestPage) => boolean,
    options: WaitForOptions = {},
  ): Promise<PageView> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const intervalMs = options.intervalMs ?? DEFAULT_POLL_MS;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let failure: unknown;
      try {
        if (predicate(this)) return this.current;
      } catch (error) {
        failure = error;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw this.timedOut(timeoutMs, options.description, failure);
      await sleep(Math.min(intervalMs, left));
      await this.refresh();
    }
  }

  /**
   * Closes the page, as a closing tab does.
   * @throws {@link PushpageApiError} when the API refuses (a shared page is not closed by a client).
   */
  async close(): Promise<void> {
    const res = await this.session.call('DELETE', `/${this.pageId}`);
    if (res.status !== 204) throw await apiErrorOf(`closing page ${this.where()}`, res);
  }

  private nodeOf(target: NodeRef): PageViewNode {
    return typeof target === 'string' ? this.byId(target) : target;
  }

  private took(view: PageView, res: Response): void {
    this.current = view;
    this.etag = res.headers.get('etag') ?? undefined;
  }

  private where(): string {
    return `${this.pageId} (${this.route})`;
  }

  private timedOut(timeoutMs: number, description: string | undefined, failure: unknown): Error {
    const what = description ?? 'the predicate';
    const last =
      failure === undefined
        ? ''
        : `; it last threw: ${failure instanceof Error ? failure.message : String(failure)}`;
    return new Error(
      `waitFor timed out after ${timeoutMs} ms on page ${this.where()} at version ` +
        `${this.version}: ${what} never held${last}`,
    );
  }
}

import { newEventId } from './events';
import { tabId } from './tab-id';
import { PageTree } from './tree';
import type { RefusalHooks } from './recovery';
import { retryable, retryAfterSeconds, retryWait } from './retry';
import {
  ApiErrorBody,
  ChildrenView,
  ClientAction,
  ClientNode,
  EventAnswer,
  MoreReply,
  OutgoingEvent,
  PageViewNode,
} from './types';

/**
 * How long an event refused for now (`conflict`, `unavailable`, `in-progress`) is sent again
 * before the tab gives up and shows the refusal: past a replica restart or a Redis failover.
 */
const RESEND_FOR_MS = 30_000;

/** The API's error body, or what the tab makes of a body that is not one. */
type ApiError = Pick<ApiErrorBody, 'message' | 'reason'> & { code?: string };

/** An answer of the API, read: the page, nothing (`204`, `304`), or a refusal. */
type Answer =
  | { kind: 'page'; view: EventAnswer; etag: string | undefined }
  | { kind: 'none' }
  | { kind: 'refused'; error: ApiError; retryAfter: number | undefined };

async function readAnswer(res: Response): Promise<Answer> {
  if (res.status === 204 || res.status === 304) return { kind: 'none' };
  const json: unknown = await res.json().catch(() => null);
  const body = typeof json === 'object' ? (json as EventAnswer | ApiError | null) : null;
  if (res.ok && body && 'tree' in body) {
    return { kind: 'page', view: body, etag: res.headers.get('etag') ?? undefined };
  }
  const error: ApiError =
    body && 'message' in body ? body : { message: `the server answered ${res.status}` };
  // a 503 without the API's body (a proxy in front of a replica that is not there): the
  // event did not reach the app, so it is as retryable as the app's own `unavailable`
  if (res.status === 503 && error.code === undefined) error.code = 'unavailable';
  return { kind: 'refused', error, retryAfter: retryAfterSeconds(res.headers.get('retry-after')) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What the HTTP transport tells the page around it. */
export interface HttpPageHooks extends RefusalHooks {
  /** An event refused for now is being sent again (`true`), or that is over (`false`). */
  resending(active: boolean): void;
  /** The client actions an event's answer carried, to run once its page is shown. */
  actions?(actions: ClientAction[]): void;
}

function flatten(node: PageViewNode, out: ClientNode[]): ClientNode[] {
  const children = node.children ?? [];
  out.push({
    i: node.id,
    t: node.tag,
    p: node.props,
    e: node.events,
    v: node.valueEvent,
    k: children.map((c) => c.id),
    m: node.more,
  });
  for (const child of children) flatten(child, out);
  return out;
}

/**
 * A page without a websocket: events are POSTed one after another and each answer replaces
 * the page; with a reload interval the page is polled in place (a 304 costs nothing),
 * paused while the tab is hidden and refreshed at once when it is shown again. An event
 * refused for now (see retry.ts) is sent again, with its id, after the wait the server asks
 * for, for up to {@link RESEND_FOR_MS}; the events after it wait their turn.
 */
export class HttpPage {
  private queue: Promise<void> = Promise.resolve();
  private etag: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly tree: PageTree,
    private readonly apiBase: string,
    private readonly hooks: HttpPageHooks,
  ) {}

  private get url(): string {
    return `${this.apiBase}/${encodeURIComponent(this.tree.pageId)}`;
  }

  /** Sends an event after those sent before it. */
  send(event: OutgoingEvent): void {
    const body: Partial<OutgoingEvent> & { tabId: string } = {
      ...event,
      eventId: event.eventId ?? newEventId(),
      tabId: tabId(),
    };
    delete body.pageId;
    this.queue = this.queue.then(() => this.post(JSON.stringify(body)));
  }

  /** Posts one event, and again while it is refused for now and time is left. */
  private async post(body: string): Promise<void> {
    const giveUpAt = Date.now() + RESEND_FOR_MS;
    let resending = false;
    try {
      for (;;) {
        let answer: Answer;
        try {
          const res = await fetch(`${this.url}/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            credentials: 'same-origin',
          });
          answer = await readAnswer(res);
        } catch {
          this.hooks.error('The server could not be reached; try again.');
          return;
        }
        if (answer.kind === 'refused' && retryable(answer.error.code)) {
          const wait = retryWait(answer.retryAfter);
          if (Date.now() + wait <= giveUpAt) {
            if (!resending) {
              resending = true;
              this.hooks.resending(true);
            }
            await sleep(wait);
            continue;
          }
        }
        this.take(answer);
        return;
      }
    } finally {
      if (resending) this.hooks.resending(false);
    }
  }

  /**
   * The children of a component from index `from` on, read from the API; `null` when there
   * is no answer to take (a refusal is shown as any).
   */
  async children(componentId: string, from: number): Promise<MoreReply | null> {
    try {
      const res = await fetch(
        `${this.url}/components/${encodeURIComponent(componentId)}/children?from=${from}`,
        { credentials: 'same-origin' },
      );
      if (!res.ok) {
        this.take(await readAnswer(res));
        return null;
      }
      const view = (await res.json()) as ChildrenView;
      return {
        nodes: view.children.flatMap((child) => flatten(child, [])),
        k: view.children.map((child) => child.id),
        m: view.more,
      };
    } catch {
      this.hooks.error('The server could not be reached; try again.');
      return null;
    }
  }

  /** Polls every `seconds` while the tab is visible. */
  poll(seconds: number): void {
    const every = Math.max(0.5, seconds) * 1000;
    const tick = () => {
      this.timer = undefined;
      if (document.hidden) return;
      void this.refresh().finally(() => (this.timer = setTimeout(tick, every)));
    };
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.timer === undefined) tick();
    });
    this.timer = setTimeout(tick, every);
  }

  private async refresh(): Promise<void> {
    try {
      const res = await fetch(this.url, {
        headers: this.etag ? { 'if-none-match': this.etag } : {},
        credentials: 'same-origin',
      });
      this.take(await readAnswer(res));
    } catch {
      // offline for a moment: the next poll tries again
    }
  }

  private take(answer: Answer): void {
    if (answer.kind === 'none') return;
    if (answer.kind === 'refused') {
      const { reason, message } = answer.error;
      if (reason) this.hooks.unusable(reason, message);
      else this.hooks.error(message);
      return;
    }
    this.etag = answer.etag;
    this.show(answer.view);
  }

  /** Shows the page an answer carries and runs its client actions (an upload's, say). */
  show(view: EventAnswer): void {
    this.tree.load({ pageId: view.pageId, nodes: flatten(view.tree, []), versions: {} });
    if (Array.isArray(view.actions) && view.actions.length > 0) this.hooks.actions?.(view.actions);
  }
}

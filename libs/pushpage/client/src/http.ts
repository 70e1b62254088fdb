import { PageTree } from './tree';
import type { RefusalHooks } from './recovery';
import { ClientNode, OutgoingEvent, UnusableReason } from './types';

/** A component as the REST API sends it (see libs/pushpage/src/rest/page-view.ts). */
interface ViewNode {
  id: string;
  tag: string;
  props: ClientNode['p'];
  events?: string[];
  valueEvent?: 'input' | 'change';
  children?: ViewNode[];
}

interface PageView {
  pageId: string;
  tree: ViewNode;
}

function flatten(node: ViewNode, out: ClientNode[]): ClientNode[] {
  const children = node.children ?? [];
  out.push({
    i: node.id,
    t: node.tag,
    p: node.props,
    e: node.events,
    v: node.valueEvent,
    k: children.map((c) => c.id),
  });
  for (const child of children) flatten(child, out);
  return out;
}

/**
 * A page without a websocket: events are POSTed one after another and each answer replaces
 * the page; with a reload interval the page is polled in place (a 304 costs nothing),
 * paused while the tab is hidden and refreshed at once when it is shown again.
 */
export class HttpPage {
  private queue: Promise<void> = Promise.resolve();
  private etag: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly tree: PageTree,
    private readonly apiBase: string,
    private readonly hooks: RefusalHooks,
  ) {}

  private get url(): string {
    return `${this.apiBase}/${encodeURIComponent(this.tree.pageId)}`;
  }

  /** Sends an event after those sent before it. */
  send(event: OutgoingEvent): void {
    const body: Partial<OutgoingEvent> = { ...event };
    delete body.pageId;
    this.queue = this.queue.then(async () => {
      try {
        const res = await fetch(`${this.url}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          credentials: 'same-origin',
        });
        await this.take(res);
      } catch {
        this.hooks.error('The server could not be reached; try again.');
      }
    });
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
      if (res.status === 304) return;
      await this.take(res);
    } catch {
      // offline for a moment: the next poll tries again
    }
  }

  private async take(res: Response): Promise<void> {
    if (res.status === 204) return;
    const body = (await res.json()) as PageView | { message: string; reason?: UnusableReason };
    if (!res.ok || !('tree' in body)) {
      const message = 'message' in body ? body.message : `the server answered ${res.status}`;
      if ('reason' in body && body.reason) this.hooks.unusable(body.reason, message);
      else this.hooks.error(message);
      return;
    }
    this.etag = res.headers.get('etag') ?? undefined;
    this.tree.load({ pageId: body.pageId, nodes: flatten(body.tree, []), versions: {} });
  }
}

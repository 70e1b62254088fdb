import { io, Socket } from 'socket.io-client';
import { Connection } from '../../client/src/connection';
import { socketOptions } from '../../client/src/socket-options';
import { PageTree } from '../../client/src/tree';
import { Ack, UnusableReason } from '../../client/src/types';
import { loadPage, LoadedPage } from './demo-app';
import { waitFor } from './ports';

/**
 * A browser tab without the browser: the page load, then the runtime's own `Connection`
 * and `PageTree` over a real Socket.IO client, reconnecting like the browser does.
 */
export class NodeTab {
  readonly errors: string[] = [];
  /** Final answers of events, by the event's id. */
  readonly answers = new Map<string, Ack<{ updated: boolean }>>();
  up = false;
  /** Why the server refused the page itself, if it did. */
  unusable: UnusableReason | undefined;
  connection!: Connection;
  /** The longest time the tab was without a joined socket, once it had one. */
  longestOutageMs = 0;
  private downSince: number | undefined;

  private constructor(
    readonly page: LoadedPage,
    readonly socket: Socket,
    readonly tree: PageTree,
  ) {}

  static async open(baseUrl: string, path: string, cookie?: string): Promise<NodeTab> {
    const page = await loadPage(baseUrl, path, cookie);
    const socket = io(baseUrl, {
      ...socketOptions('/pushpage/socket.io'),
      forceNew: true,
      extraHeaders: { cookie: page.cookie },
    });
    const tree = new PageTree();
    tree.load(page.snapshot);
    const tab = new NodeTab(page, socket, tree);
    const note = (what: string) => tab.trace.push([Date.now(), what]);
    socket.on('connect', () => note('connect'));
    socket.on('disconnect', (reason) => note(`disconnect: ${reason}`));
    socket.on('connect_error', (error) => note(`connect_error: ${error.message}`));
    socket.io.on('reconnect_attempt', (n) => note(`reconnect attempt ${n}`));
    tab.connection = new Connection(tree, socket, {
      error: (message) => tab.errors.push(message),
      unusable: (reason) => {
        tab.unusable = reason;
      },
      connected: (up) => tab.connectedChanged(up),
      answered: (event, ack) => {
        if (event.eventId) tab.answers.set(event.eventId, ack);
      },
    });
    await waitFor(`tab of ${path} to join`, () => tab.up, 10_000);
    return tab;
  }

  /** What the socket did (connects, errors, disconnects with reasons), for reports. */
  readonly trace: [at: number, what: string][] = [];
  private connectedChanged(up: boolean): void {
    const now = Date.now();
    if (up && this.downSince !== undefined)
      this.longestOutageMs = Math.max(this.longestOutageMs, now - this.downSince);
    if (!up && this.up) this.downSince = now;
    if (up) this.downSince = undefined;
    this.up = up;
  }

  /** How long the tab has been without a joined socket right now (0 when up). */
  currentOutageMs(): number {
    return this.downSince === undefined ? 0 : Date.now() - this.downSince;
  }

  get pageId(): string {
    return this.page.snapshot.pageId;
  }

  /** The id of the first node that matches. */
  nodeId(match: (node: { t: string; p: Record<string, unknown> }) => boolean): string {
    for (const node of this.tree.nodes.values()) if (match(node)) return node.i;
    throw new Error('no such node on the page');
  }

  /** Texts of the nodes below `id`, depth first, as the page shows them. */
  texts(id: string, tag: string): string[] {
    const out: string[] = [];
    const visit = (nodeId: string) => {
      const node = this.tree.nodes.get(nodeId);
      if (!node) return;
      if (node.t === tag && typeof node.p.text === 'string') out.push(node.p.text);
      for (const child of node.k) visit(child);
    };
    visit(id);
    return out;
  }

  /** Types into a form control and clicks, as the runtime sends it: one event carrying the value. */
  typeAndClick(textareaId: string, buttonId: string, text: string, eventId?: string): void {
    this.connection.send({
      eventId,
      pageId: this.pageId,
      componentId: buttonId,
      type: 'click',
      values: [{ id: textareaId, value: text }],
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}

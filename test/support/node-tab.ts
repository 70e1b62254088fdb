import { io, Socket } from 'socket.io-client';
import { Connection } from '../../client/src/connection';
import { PageTree } from '../../client/src/tree';
import { loadPage, LoadedPage } from './demo-app';
import { waitFor } from './ports';

/**
 * A browser tab without the browser: the page load, then the runtime's own `Connection`
 * and `PageTree` over a real Socket.IO client, reconnecting like the browser does.
 */
export class NodeTab {
  readonly errors: string[] = [];
  up = false;
  expired = false;
  connection!: Connection;

  private constructor(
    readonly page: LoadedPage,
    readonly socket: Socket,
    readonly tree: PageTree,
  ) {}

  static async open(baseUrl: string, path: string, cookie?: string): Promise<NodeTab> {
    const page = await loadPage(baseUrl, path, cookie);
    const socket = io(baseUrl, {
      path: '/pushpage/socket.io',
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
      extraHeaders: { cookie: page.cookie },
    });
    const tree = new PageTree();
    tree.load(page.snapshot);
    const tab = new NodeTab(page, socket, tree);
    tab.connection = new Connection(tree, socket, {
      error: (message) => tab.errors.push(message),
      expired: () => {
        tab.expired = true;
      },
      connected: (up) => {
        tab.up = up;
      },
    });
    await waitFor(`tab of ${path} to join`, () => tab.up, 10_000);
    return tab;
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
  typeAndClick(textareaId: string, buttonId: string, text: string): void {
    this.connection.send({
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

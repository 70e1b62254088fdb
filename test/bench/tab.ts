import { randomBytes } from 'node:crypto';
import { io, Socket } from 'socket.io-client';
import type {
  Ack,
  BootState,
  ClientNode,
  EventPayload,
  PageSnapshot,
  ScopePatch,
} from '../../libs/pushpage/src/protocol';
import { withTimeout } from './clock';
import { SystemKind } from './protocol';
import { messageText, SOCKET_PATH } from './wire';

const TIMEOUT_MS = 30_000;

/** One browser tab showing the message board, as the bench drives it. */
export interface Tab {
  kind: SystemKind;
  url: string;
  cookie: string;
  pageId: string;
  boardId: string;
  textareaId: string;
  buttonId: string;
  /** scope id → version the tab has (sent with `join`) */
  versions: Record<string, number>;
  socket?: Socket;
}

/** What a loaded page tells about the board. */
export interface BoardInfo {
  /** JSON length of the board node and all its descendants: what a whole-board resend costs */
  bytes: number;
  /** messages on the board */
  messages: number;
}

function descendants(nodes: ClientNode[], rootId: string): ClientNode[] {
  const byId = new Map(nodes.map((n) => [n.i, n]));
  const out: ClientNode[] = [];
  const stack = [rootId];
  while (stack.length > 0 && out.length < 1_000_000) {
    const node = byId.get(stack.pop() as string);
    if (!node) continue;
    out.push(node);
    for (const kid of node.k ?? []) stack.push(kid);
  }
  return out;
}

async function loadDemoPage(url: string): Promise<{ tab: Tab; board: BoardInfo }> {
  const res = await withTimeout(fetch(`${url}/message-board`), TIMEOUT_MS, 'GET /message-board');
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET /message-board: ${res.status}`);
  const match = /<script type="application\/json" id="pushpage-state">(.*?)<\/script>/s.exec(html);
  if (!match) throw new Error('GET /message-board: no page state in the HTML');
  const snapshot = (JSON.parse(match[1]) as BootState).snapshot;
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const boardId = Object.keys(snapshot.versions).find((id) => id !== snapshot.pageId);
  const textarea = snapshot.nodes.find((n) => n.t === 'textarea');
  const button = snapshot.nodes.find((n) => n.t === 'button' && n.e?.includes('click'));
  if (!boardId || !textarea || !button || !cookie)
    throw new Error('GET /message-board: no board, text box, button or cookie');
  const boardNodes = descendants(snapshot.nodes, boardId);
  const boardNode = boardNodes[0];
  return {
    tab: {
      kind: 'pushpage',
      url,
      cookie,
      pageId: snapshot.pageId,
      boardId,
      textareaId: textarea.i,
      buttonId: button.i,
      versions: snapshot.versions,
    },
    board: { bytes: JSON.stringify(boardNodes).length, messages: boardNode?.k?.length ?? 0 },
  };
}

/** Loads a tab's page: the demo's /message-board, or a made-up page id for the baseline. */
export async function loadTab(
  kind: SystemKind,
  url: string,
): Promise<{ tab: Tab; board?: BoardInfo }> {
  if (kind === 'pushpage') return loadDemoPage(url);
  return {
    tab: {
      kind,
      url,
      cookie: '',
      pageId: `bare-${randomBytes(6).toString('hex')}`,
      boardId: 'board',
      textareaId: 'textarea',
      buttonId: 'button',
      versions: { board: 0 },
    },
  };
}

/**
 * Connects a tab as the browser runtime does (websocket only, session cookie), listens to
 * patches, and joins its page.
 */
export async function connectTab(tab: Tab, onPatch: (patch: ScopePatch) => void): Promise<void> {
  const socket = io(tab.url, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: TIMEOUT_MS,
    extraHeaders: tab.cookie ? { cookie: tab.cookie } : {},
  });
  tab.socket = socket;
  socket.on('patch', onPatch);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    }),
    TIMEOUT_MS,
    `connect to ${tab.url}`,
  );
  const body =
    tab.kind === 'pushpage'
      ? { pageId: tab.pageId, versions: tab.versions }
      : { pageId: tab.pageId };
  const ack = (await socket.timeout(TIMEOUT_MS).emitWithAck('join', body)) as Ack<{
    snapshot?: PageSnapshot;
  }>;
  if (!ack.ok) throw new Error(`join ${tab.pageId}: ${ack.error.message}`);
  if (ack.snapshot) tab.versions = ack.snapshot.versions;
}

/** The tab types message `seq` and clicks Send; resolves with whether the server took it. */
export async function sendMessage(tab: Tab, seq: number): Promise<boolean> {
  const socket = tab.socket;
  if (!socket) throw new Error('the tab is not connected');
  const event: EventPayload = {
    pageId: tab.pageId,
    componentId: tab.buttonId,
    type: 'click',
    values: [{ id: tab.textareaId, value: messageText(seq) }],
  };
  // the baseline has no versions of its own: the message number stands in for one
  const body = tab.kind === 'bare' ? { ...event, seq } : event;
  const ack = (await socket.timeout(TIMEOUT_MS).emitWithAck('event', body)) as Ack;
  return ack.ok;
}

/** Disconnects a tab. */
export function closeTab(tab: Tab): void {
  tab.socket?.disconnect();
  tab.socket = undefined;
}

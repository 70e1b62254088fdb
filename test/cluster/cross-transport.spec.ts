import { ScopePatch } from '../../libs/pushpage/src';
import { connectTab, loadPage, request } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';
import { Replica, startReplicas } from '../support/replicas';

interface TreeNode {
  id: string;
  tag: string;
  children?: TreeNode[];
}

function find(node: TreeNode, tag: string): TreeNode | undefined {
  if (node.tag === tag) return node;
  for (const child of node.children ?? []) {
    const found = find(child, tag);
    if (found) return found;
  }
  return undefined;
}

describe('one dispatcher for both transports', () => {
  let redis: RedisServer;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    replicas = await startReplicas(2, redis.url);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.stop();
  }, 30_000);

  it('pushes a REST event handled on replica 1 to the socket tabs of replica 2', async () => {
    // a socket tab on replica 2 with a message board page of its own
    const tab = await loadPage(replicas[1].url, '/message-board');
    const socket = connectTab(replicas[1].url, tab.cookie);
    const patches: ScopePatch[] = [];
    socket.on('patch', (p: ScopePatch) => patches.push(p));
    await request(socket, 'join', { pageId: tab.snapshot.pageId, versions: tab.snapshot.versions });

    // a REST client on replica 1 opens a board page and sends a message
    const opened = await fetch(`${replicas[0].url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/message-board' }),
    });
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    const view = (await opened.json()) as { pageId: string; tree: TreeNode };
    expect(view.pageId).not.toBe(tab.snapshot.pageId);
    const textarea = find(view.tree, 'textarea');
    const button = find(view.tree, 'button');
    const posted = await fetch(`${replicas[0].url}/api/pages/${view.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        componentId: button?.id,
        type: 'click',
        values: [{ id: textarea?.id, value: 'sent over HTTP' }],
      }),
    });
    expect([posted.status, posted.status === 200 ? '' : await posted.text()]).toEqual([200, '']);
    await waitFor('the socket tab on replica 2 to get the message', async () =>
      patches.some((p) => (p.n ?? []).some((node) => node.p.text === 'sent over HTTP')),
    );
    socket.disconnect();
  }, 30_000);
});

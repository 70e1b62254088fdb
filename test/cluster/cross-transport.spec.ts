import { ScopePatch } from '../../libs/pushpage/src';
import { connectTab, loadPage, request } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';
import { Replica, startReplicas } from '../support/replicas';

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
    const tab = await loadPage(replicas[1].url, '/editor');
    const socket = connectTab(replicas[1].url, tab.cookie);
    const patches: ScopePatch[] = [];
    socket.on('patch', (p: ScopePatch) => patches.push(p));
    await request(socket, 'join', { pageId: tab.snapshot.pageId, versions: tab.snapshot.versions });

    const opened = await fetch(`${replicas[0].url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/editor' }),
    });
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    const view = (await opened.json()) as {
      pageId: string;
      tree: { children: { id: string; tag: string }[] };
    };
    expect(view.pageId).toBe(tab.snapshot.pageId);
    const textarea = view.tree.children.find((c) => c.tag === 'textarea');
    const posted = await fetch(`${replicas[0].url}/api/pages/${view.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ componentId: textarea?.id, type: 'input', value: 'typed over HTTP' }),
    });
    expect(posted.status).toBe(200);
    await waitFor('the socket tab on replica 2 to get the text', () =>
      patches.some((p) =>
        p.o.some((op) => op[0] === 'set' && op[1] === textarea?.id && op[3] === 'typed over HTTP'),
      ),
    );
    socket.disconnect();
  }, 30_000);
});

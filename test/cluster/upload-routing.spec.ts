/**
 * An upload received by one replica for a tab whose socket is on another: the replica finds
 * the socket through the Redis adapter (`fetchSockets`), checks that it shows the page for the
 * uploader's session, and sends the handler's client actions to it there, answering the upload
 * itself `204`. A socket id that is not such a tab gets the actions in the answer instead.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeTab } from '../support/node-tab';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';
import { Replica, startReplicas } from '../support/replicas';

interface ClientAction {
  do: string;
  message?: string;
}

describe('an upload sent to another replica than its tab’s socket', () => {
  const uploads = mkdtempSync(join(tmpdir(), 'pp-upload-routing-'));
  let redis: RedisServer;
  let replicas: Replica[];
  const tabs: NodeTab[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    replicas = await startReplicas(2, redis.url, { PUSHPAGE_UPLOAD_DIR: uploads });
  }, 60_000);
  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await redis.dispose();
    rmSync(uploads, { recursive: true, force: true });
  });

  async function openUploadTab(cookie?: string) {
    const tab = await NodeTab.open(replicas[0].url, '/upload', cookie);
    tabs.push(tab);
    const actions: ClientAction[] = [];
    tab.socket.on('actions', (sent: ClientAction[]) => actions.push(...sent));
    const upload = tab.nodeId(
      (node) => (node.p.attrs as { id?: string } | undefined)?.id === 'upload',
    );
    const list = tab.nodeId(
      (node) => (node.p.attrs as { id?: string } | undefined)?.id === 'uploaded',
    );
    return { tab, actions, upload, list };
  }

  /** Posts one small text file to replica 2 as the tab's runtime would, naming `socketId`. */
  async function uploadThroughReplica2(
    tab: NodeTab,
    uploadId: string,
    name: string,
    socketId: string,
  ): Promise<{ status: number; body: string }> {
    const form = new FormData();
    form.append('socketId', socketId);
    form.append('files', new Blob(['time,value\n1,2\n'], { type: 'text/csv' }), name);
    const res = await fetch(`${replicas[1].url}/api/pages/${tab.pageId}/uploads/${uploadId}`, {
      method: 'POST',
      headers: { cookie: tab.page.cookie },
      body: form,
    });
    return { status: res.status, body: await res.text() };
  }

  it('tells the tab on replica 1 through its socket, and answers 204', async () => {
    const { tab, actions, upload, list } = await openUploadTab();

    const answer = await uploadThroughReplica2(tab, upload, 'routed.csv', tab.socket.id ?? '');

    expect(answer).toEqual({ status: 204, body: '' });
    await waitFor('the notice on the tab’s socket', () => actions.length > 0, 10_000);
    expect(actions).toEqual([
      expect.objectContaining({ do: 'notify', message: 'Stored routed.csv' }),
    ]);
    // the shared list the handler changed reached the tab too, and the file is in the directory
    await waitFor('the list to show the file', () =>
      tab.texts(list, 'li').some((text) => text.startsWith('routed.csv')),
    );
    expect(readdirSync(uploads).length).toBeGreaterThan(0);
  });

  it('answers the actions itself when the socket id is not a tab of the uploader’s page', async () => {
    const mine = await openUploadTab();
    // another session's tab, on the same page route: its socket id must not receive my notice
    const theirs = await openUploadTab();

    const answer = await uploadThroughReplica2(
      mine.tab,
      mine.upload,
      'not-routed.csv',
      theirs.tab.socket.id ?? '',
    );

    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as { actions?: ClientAction[] };
    expect(body.actions).toEqual([
      expect.objectContaining({ do: 'notify', message: 'Stored not-routed.csv' }),
    ]);
    // give a stray action time to arrive: none comes to either socket
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(theirs.actions).toEqual([]);
    expect(mine.actions).toEqual([]);
  });
});

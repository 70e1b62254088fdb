/**
 * Read-modify-write events at the same moment, from tabs and REST clients on two replicas:
 * every acknowledged event counts. A handler whose commit meets a concurrent change runs
 * again on the new state; none is lost, none is applied twice.
 */
import { NodeTab } from '../support/node-tab';
import { ViewNode, viewNodes } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { Replica, startReplica } from '../support/replicas';
import { RunningBackend, STORE_BACKENDS } from '../support/store-backends';

jest.setTimeout(90_000);

interface PageView {
  pageId: string;
  tree: ViewNode;
}

/** How often a REST client sends an event again after `409`, as its `Retry-After` invites. */
const REST_ATTEMPTS = 10;

/** A REST client with its own session. */
class RestClient {
  private cookie = '';

  constructor(private readonly baseUrl: string) {}

  async open(route: string): Promise<PageView> {
    const res = await fetch(`${this.baseUrl}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route }),
    });
    if (res.status !== 201) throw new Error(`open ${route}: ${res.status} ${await res.text()}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    return (await res.json()) as PageView;
  }

  /** Sends a click on `baseUrl` (any replica); answers the final status and how many 409s came first. */
  async click(
    baseUrl: string,
    pageId: string,
    componentId: string,
  ): Promise<{ status: number; conflicts: number }> {
    let conflicts = 0;
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${baseUrl}/api/pages/${pageId}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: this.cookie },
        body: JSON.stringify({ componentId, type: 'click' }),
      });
      await res.arrayBuffer();
      if (res.status !== 409 || attempt === REST_ATTEMPTS) return { status: res.status, conflicts };
      conflicts++;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }

  async read(pageId: string): Promise<PageView> {
    const res = await fetch(`${this.baseUrl}/api/pages/${pageId}`, {
      headers: { cookie: this.cookie },
    });
    return (await res.json()) as PageView;
  }
}

function metricSum(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe.each(STORE_BACKENDS)(
  'read-modify-write events at once, on two replicas and %s',
  (_, backend) => {
    let redis: RunningBackend | undefined;
    let replicas: Replica[] = [];
    const tabs: NodeTab[] = [];

    beforeAll(async () => {
      const store = await backend.start();
      redis = store;
      const env = {
        ...store.env,
        PUSHPAGE_REST_RATE_LIMIT: '10000',
        PUSHPAGE_SOCKET_RATE_LIMIT: '10000',
      };
      replicas = await Promise.all([startReplica(env), startReplica(env)]);
    }, 60_000);

    afterAll(async () => {
      for (const tab of tabs) tab.close();
      await Promise.all(replicas.map((r) => r.stop()));
      await redis?.stop();
    }, 30_000);

    it('counts all 40 REST clicks sent at once on one Hello through both replicas', async () => {
      const client = new RestClient(replicas[0].url);
      const page = await client.open('/hello');
      const third = viewNodes(page.tree).filter((n) => n.events?.includes('click'))[2];
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          client.click(replicas[i % 2].url, page.pageId, third.id),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
      const after = viewNodes((await client.read(page.pageId)).tree).find((n) => n.id === third.id);
      expect(after?.props.text).toBe('Hello! I was clicked 40 times');
      const conflicts = answers.reduce((sum, a) => sum + a.conflicts, 0);
      process.stdout.write(
        `40 REST clicks (${backend.name}): ${conflicts} answered 409 first and were sent again\n`,
      );
    });

    it('counts every click on the shared counter from tabs on both replicas and REST clients at once', async () => {
      for (let i = 0; i < 6; i++) tabs.push(await NodeTab.open(replicas[i % 2].url, '/counter'));
      const rest = [new RestClient(replicas[0].url), new RestClient(replicas[1].url)];
      const restPages = await Promise.all(rest.map((client) => client.open('/counter')));
      const clicksPerTab = 10;
      const clicksPerRestClient = 10;

      for (const tab of tabs) {
        const button = tab.nodeId(
          (n) => (n.p.attrs as { id?: string } | undefined)?.id === 'click',
        );
        for (let c = 0; c < clicksPerTab; c++)
          tab.connection.send({ pageId: tab.pageId, componentId: button, type: 'click' });
      }
      const restAnswers = await Promise.all(
        rest.flatMap((client, i) => {
          const button = viewNodes(restPages[i].tree).find((n) => n.events?.includes('click'));
          return Array.from({ length: clicksPerRestClient }, (_, c) =>
            client.click(replicas[(i + c) % 2].url, restPages[i].pageId, button?.id ?? ''),
          );
        }),
      );
      expect(restAnswers.map((a) => a.status)).toEqual(
        Array(rest.length * clicksPerRestClient).fill(200),
      );
      await waitFor(
        'every tab’s clicks acknowledged',
        () => tabs.every((tab) => tab.connection.unacknowledged === 0),
        60_000,
      );
      for (const tab of tabs) {
        const failed = [...tab.answers.values()].filter((ack) => !ack.ok);
        expect(failed).toEqual([]);
      }

      const total = tabs.length * clicksPerTab + rest.length * clicksPerRestClient;
      const counter = tabs[0].nodeId(
        (n) => (n.p.attrs as { id?: string } | undefined)?.id === 'count',
      );
      await waitFor(
        `every tab to show ${total}`,
        () => tabs.every((tab) => tab.texts(counter, 'div')[0] === `Clicked ${total} times`),
        20_000,
      );
      const metrics = await Promise.all(
        replicas.map(async (r) => (await fetch(`${r.url}/metrics`)).text()),
      );
      const retries = metrics.reduce(
        (sum, text) => sum + metricSum(text, 'pushpage_handler_retries_total'),
        0,
      );
      const conflicts = metrics.reduce(
        (sum, text) => sum + metricSum(text, 'pushpage_commits_total{result="conflict"}'),
        0,
      );
      expect(retries).toBeGreaterThan(0);
      expect(conflicts).toBeGreaterThanOrEqual(retries);
      process.stdout.write(
        `shared counter (${backend.name}): ${total} clicks, ${retries} handler re-runs\n`,
      );
    });
  },
);

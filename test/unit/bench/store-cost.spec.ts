import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ClickTarget, clickSpread } from '../../bench/click-spread';
import { EventCost } from '../../bench/redis-cost';
import { LoadedStoreCostRun, StoreCostRun } from '../../bench/scenarios/store-cost';
import { storeCostDetail, storeCostRows } from '../../bench/store-cost-rows';

function cost(usec: number, cpuMs: number): EventCost {
  return {
    events: 100,
    commands: 8,
    sentCommands: 4,
    usec,
    usecContainers: usec / 2,
    usecInContainers: 10,
    usecSummed: usec + 10,
    cpuMs,
    ceilingFromUsec: 1e6 / usec,
    ceilingFromCpu: 1000 / cpuMs,
    byCommand: [{ command: 'hgetall', calls: 2, usec: 20, callsByScripts: 0, usecInContainers: 0 }],
    background: { commands: 0, usec: 0, cpuMs: 0 },
  };
}

function run(kind: 'pushpage' | 'bare', usec: number): StoreCostRun {
  const c = cost(usec, 0.25);
  return { kind, tabs: 0, boardStart: 0, boardEnd: 0, events: 100, cost: c, byNode: [] };
}

function loaded(kind: 'pushpage' | 'bare', usec: number, eventsPerSec: number): LoadedStoreCostRun {
  return { ...run(kind, usec), pages: 16, seconds: 10, eventsPerSec };
}

const ONE_AT_A_TIME =
  'Store cost, REST click on /hello (one at a time; baseline: the bare REST server)';
const LOADED =
  'Store cost, REST click on /hello (16 pages clicked concurrently; baseline: the bare REST server)';

describe('the store-cost rows', () => {
  it('puts the REST click under load after the one-at-a-time rows, with the rate achieved', () => {
    const rows = storeCostRows({
      socket: {},
      rest: {
        pushpage: run('pushpage', 100),
        bare: run('bare', 25),
        loaded: { pushpage: loaded('pushpage', 50, 400), bare: loaded('bare', 20, 800) },
      },
    });
    const measures = rows.map((r) => r.measure);
    expect(measures.filter((m) => m.startsWith(ONE_AT_A_TIME))).toHaveLength(9);
    expect(measures.filter((m) => m.startsWith(LOADED))).toHaveLength(10);
    expect(measures.findIndex((m) => m.startsWith(LOADED))).toBe(9);
    const usec = rows.find(
      (r) => r.measure === `${LOADED}: µs inside Redis per event (commands sent; each µs once)`,
    );
    expect(usec).toMatchObject({ pushpage: '50', baseline: '20', ratio: '2.50×', result: 'PASS' });
    const rate = rows[rows.length - 1];
    expect(rate.measure).toBe(`${LOADED}: events/s achieved in the measured window (not a target)`);
    expect(rate).toMatchObject({ pushpage: '400', baseline: '800', ratio: '0.50×', target: '' });
    const detail = storeCostDetail({
      socket: {},
      rest: {
        pushpage: run('pushpage', 1),
        bare: run('bare', 1),
        loaded: { pushpage: loaded('pushpage', 1, 1) },
      },
    });
    expect(detail).toContain('| Pushpage, REST click, 16 pages at once | HGETALL |');
  });

  it('keeps the one-at-a-time rows when the run under load failed', () => {
    const rows = storeCostRows({
      socket: {},
      rest: {
        pushpage: run('pushpage', 100),
        bare: run('bare', 25),
        loaded: { pushpage: new Error('refused') },
      },
    });
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.measure.startsWith(ONE_AT_A_TIME))).toBe(true);
  });
});

describe('clickSpread', () => {
  let server: Server;
  let base: string;
  let requests: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.statusCode = req.url === '/refused/events' ? 409 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (requests = 0));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const target = (page: string): ClickTarget => ({
    eventsUrl: `${base}/${page}/events`,
    cookie: 'sid=1',
    componentId: 'c',
  });

  it('sends every click, each page in its own lane', async () => {
    const targets = ['a', 'b', 'c', 'd'].map(target);
    await expect(clickSpread(targets, 40, targets.length)).resolves.toBe(40);
    expect(requests).toBe(40);
  });

  it('stops every lane at the first refused click and throws with the count', async () => {
    const targets = ['a', 'refused', 'c', 'd'].map(target);
    await expect(clickSpread(targets, 400, targets.length)).rejects.toThrow(
      /clicks failed, \d+ of 400 answered 200 \(first: POST .*\/refused\/events: 409\)/,
    );
    expect(requests).toBeLessThan(20);
  });

  it('stops once the time is up', async () => {
    await expect(clickSpread([target('a')], 10, 1, -1)).rejects.toThrow(/not done after -1 ms/);
    expect(requests).toBe(0);
  });
});

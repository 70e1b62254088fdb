import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Socket } from 'socket.io';
import { PushpageError } from '../../../libs/pushpage/src/errors';
import { sequencer } from '../../../libs/pushpage/src/engine/sequencer';
import { resolveOptions } from '../../../libs/pushpage/src/options';
import { RateLimits, rateRules } from '../../../libs/pushpage/src/edges/rate-limits';
import {
  SocketRateGuard,
  takeWholePage,
} from '../../../libs/pushpage/src/edges/socket/socket-rate.guard';
import { TabData } from '../../../libs/pushpage/src/edges/socket/tab';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';

const RATE = 10;
let sockets = 0;

/** A tab's socket as the guard sees it: an id and the gateway's data. */
function tab(sessionId: string | null): Socket {
  const data: TabData = { sessionId, issuedAt: 0, sequence: sequencer(), docs: new Map() };
  return { id: `socket-${++sockets}`, data } as unknown as Socket;
}

/** The guard's context for one message of a tab, as Nest's Socket.IO adapter makes it. */
function message(socket: Socket): ExecutionContextHost {
  const host = new ExecutionContextHost([socket, {}, () => undefined, 'event']);
  host.setType('ws');
  return host;
}

/** How many messages in a row the guard lets through before it refuses one. */
async function passedBeforeRefusal(guard: SocketRateGuard, socket: Socket): Promise<number> {
  for (let passed = 0; passed < 1000; passed++) {
    try {
      await guard.canActivate(message(socket));
    } catch (error) {
      expect(error).toBeInstanceOf(PushpageError);
      expect((error as PushpageError).code).toBe('rate-limited');
      return passed;
    }
  }
  throw new Error('never refused');
}

function limitsFor(socketRateLimit: number): RateLimits {
  return new RateLimits(resolveOptions({ socketRateLimit }), new MemoryStore());
}

describe('SocketRateGuard', () => {
  let guard: SocketRateGuard;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    guard = new SocketRateGuard(limitsFor(RATE));
  });
  afterEach(() => jest.useRealTimers());

  it('lets a tab send two seconds of its rate at once, then refuses until the window ends', async () => {
    const socket = tab('s1');
    expect(await passedBeforeRefusal(guard, socket)).toBe(2 * RATE);
    jest.advanceTimersByTime(1000);
    expect(await passedBeforeRefusal(guard, socket)).toBe(0);
    jest.advanceTimersByTime(1001);
    expect(await passedBeforeRefusal(guard, socket)).toBe(2 * RATE);
  });

  it('says what the limit is', async () => {
    const socket = tab('s1');
    await passedBeforeRefusal(guard, socket);
    await expect(guard.canActivate(message(socket))).rejects.toEqual(
      new PushpageError('rate-limited', 'too many messages: a tab may send 20 every 2 seconds'),
    );
  });

  it("refuses a session's tabs together past three tabs' worth, other sessions unaffected", async () => {
    const tabs = [tab('s1'), tab('s1'), tab('s1')];
    for (const socket of tabs) expect(await passedBeforeRefusal(guard, socket)).toBe(2 * RATE);
    // a fresh tab could send more, but the session has spent its budget
    expect(await passedBeforeRefusal(guard, tab('s1'))).toBe(0);
    expect(await passedBeforeRefusal(guard, tab('s2'))).toBe(2 * RATE);
  });

  it('counts tabs without a session as one session', async () => {
    for (let i = 0; i < 3; i++) expect(await passedBeforeRefusal(guard, tab(null))).toBe(2 * RATE);
    expect(await passedBeforeRefusal(guard, tab(null))).toBe(0);
  });
});

describe('whole pages sent to a tab', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('are a twentieth of its message rate, five seconds of them at once', async () => {
    const limits = limitsFor(20);
    const socket = tab('s1');
    for (let i = 0; i < 5; i++) await takeWholePage(limits, socket);
    await expect(takeWholePage(limits, socket)).rejects.toEqual(
      new PushpageError(
        'rate-limited',
        'too many whole pages: a tab may be sent 5 every 5 seconds (a join that is behind, a ' +
          'resync or a more each count); join with the versions it has',
      ),
    );
    // another tab has its own
    await expect(takeWholePage(limits, tab('s1'))).resolves.toBeUndefined();
    jest.advanceTimersByTime(5001);
    await expect(takeWholePage(limits, socket)).resolves.toBeUndefined();
  });
});

describe('rateRules', () => {
  it('keeps the average rate and the largest burst of each setting in whole-second windows', () => {
    const rules = rateRules(
      resolveOptions({ socketRateLimit: 20, restRateLimit: 100, pageRateLimit: 2 }),
    );
    expect(rules).toEqual({
      tabMessages: { points: 40, windowSeconds: 2, scope: 'replica' },
      sessionMessages: { points: 120, windowSeconds: 2, scope: 'replica' },
      tabWholePages: { points: 5, windowSeconds: 5, scope: 'replica' },
      restRequests: { points: 100, windowSeconds: 1, scope: 'cluster' },
      newPages: { points: 60, windowSeconds: 30, scope: 'cluster' },
    });
  });

  it('widens the window for rates under one a second', () => {
    const rules = rateRules(resolveOptions({ socketRateLimit: 2, pageRateLimit: 0.01 }));
    // a whole page every 10 s: one in each 10-second window
    expect(rules.tabWholePages).toEqual({ points: 1, windowSeconds: 10, scope: 'replica' });
    expect(rules.newPages).toEqual({ points: 1, windowSeconds: 100, scope: 'cluster' });
  });
});

import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { PushpageError } from '../../../libs/pushpage/src/errors';
import { sequencer } from '../../../libs/pushpage/src/engine/sequencer';
import { resolveOptions } from '../../../libs/pushpage/src/options';
import {
  SocketRateGuard,
  TabRates,
} from '../../../libs/pushpage/src/edges/socket/socket-rate.guard';
import { TabData } from '../../../libs/pushpage/src/edges/socket/tab';

const RATE = 10;

function tab(sessionId: string | null): TabData {
  return {
    sessionId,
    issuedAt: 0,
    sequence: sequencer(),
    docs: new Map(),
    rates: new TabRates(RATE),
  };
}

/** The guard's context for one message of a tab, as Nest's Socket.IO adapter makes it. */
function message(data: TabData): ExecutionContextHost {
  const host = new ExecutionContextHost([{ data }, {}, () => undefined, 'event']);
  host.setType('ws');
  return host;
}

/** How many messages in a row the guard lets through before it refuses one. */
function passedBeforeRefusal(guard: SocketRateGuard, data: TabData): number {
  for (let passed = 0; passed < 1000; passed++) {
    try {
      guard.canActivate(message(data));
    } catch (error) {
      expect(error).toBeInstanceOf(PushpageError);
      expect((error as PushpageError).toJSON()).toEqual({
        code: 'rate-limited',
        message: `too many messages: a tab may send ${RATE} a second`,
      });
      return passed;
    }
  }
  throw new Error('never refused');
}

describe('SocketRateGuard', () => {
  let guard: SocketRateGuard;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    guard = new SocketRateGuard(resolveOptions({ socketRateLimit: RATE }));
  });
  afterEach(() => jest.useRealTimers());

  it('lets a tab send a burst of twice its rate, then refuses with rate-limited', () => {
    const data = tab('s1');
    expect(passedBeforeRefusal(guard, data)).toBe(2 * RATE);
    jest.advanceTimersByTime(1000);
    expect(passedBeforeRefusal(guard, data)).toBe(RATE);
  });

  it("refuses a session's tabs together past three tabs' worth, other sessions unaffected", () => {
    const tabs = [tab('s1'), tab('s1'), tab('s1')];
    for (const data of tabs) expect(passedBeforeRefusal(guard, data)).toBe(2 * RATE);
    // each of these tabs could send more, but the session has spent its burst
    expect(passedBeforeRefusal(guard, tab('s1'))).toBe(0);
    expect(passedBeforeRefusal(guard, tab('s2'))).toBe(2 * RATE);
  });

  it('counts tabs without a session as one session', () => {
    for (let i = 0; i < 3; i++) expect(passedBeforeRefusal(guard, tab(null))).toBe(2 * RATE);
    expect(passedBeforeRefusal(guard, tab(null))).toBe(0);
  });
});

describe('TabRates', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('sends a tab whole pages at a twentieth of its rate, five seconds of them at once', () => {
    const rates = new TabRates(20);
    for (let i = 0; i < 5; i++) rates.takeWholePage();
    expect(() => rates.takeWholePage()).toThrow(
      new PushpageError(
        'rate-limited',
        'too many whole pages: a tab may be sent 1 a second (a join that is behind, a resync ' +
          'or a more each count); join with the versions it has',
      ),
    );
    jest.advanceTimersByTime(1000);
    expect(() => rates.takeWholePage()).not.toThrow();
  });
});

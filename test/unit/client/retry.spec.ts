import {
  DEFAULT_RETRY_MS,
  MAX_RETRY_WAIT_MS,
  retryable,
  retryAfterSeconds,
  retryWait,
} from '../../../client/src/retry';

describe('the browser runtime’s retry rule', () => {
  it('sends again only what the server refused for now', () => {
    for (const code of ['conflict', 'unavailable', 'in-progress'])
      expect(retryable(code)).toBe(true);
    for (const code of [
      'bad-request',
      'forbidden',
      'not-found',
      'not-listening',
      'too-large',
      'rate-limited',
      'handler-failed',
      'internal-error',
      undefined,
    ])
      expect(retryable(code)).toBe(false);
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(retryAfterSeconds('1', now)).toBe(1);
    expect(retryAfterSeconds(' 2 ', now)).toBe(2);
    expect(retryAfterSeconds('Sun, 01 Mar 2026 10:00:05 GMT', now)).toBe(5);
    expect(retryAfterSeconds('Sun, 01 Mar 2026 09:59:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBeUndefined();
    expect(retryAfterSeconds('', now)).toBeUndefined();
    expect(retryAfterSeconds('-1', now)).toBeUndefined();
    expect(retryAfterSeconds('1.5', now)).toBeUndefined();
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
  });

  it('waits what the server asks (a second by default), plus up to a fifth, capped at 10 s', () => {
    const least = () => 0;
    const most = () => 1;
    expect(retryWait(undefined, least)).toBe(DEFAULT_RETRY_MS);
    expect(retryWait(undefined, most)).toBe(1200);
    expect(retryWait(2, least)).toBe(2000);
    expect(retryWait(2, most)).toBe(2400);
    expect(retryWait(0.5, () => 0.5)).toBe(550);
    // a server asking for none is not asked again in a tight loop
    expect(retryWait(0, least)).toBe(100);
    // nor is a long Retry-After waited out in full
    expect(retryWait(9, most)).toBe(MAX_RETRY_WAIT_MS);
    expect(retryWait(3600, least)).toBe(MAX_RETRY_WAIT_MS);
    for (let i = 0; i < 200; i++) {
      const wait = retryWait(1);
      expect(wait).toBeGreaterThanOrEqual(1000);
      expect(wait).toBeLessThanOrEqual(1200);
    }
  });
});

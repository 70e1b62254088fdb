import type { IncomingMessage } from 'node:http';
import {
  bearerMatches,
  metricsAnswer,
  PushpageMetricsServer,
} from '../../../libs/pushpage/src/ops/metrics-access';
import { PushpageMetrics } from '../../../libs/pushpage/src/ops/metrics.service';
import { resolveOptions } from '../../../libs/pushpage/src/options';
import {
  originAllowed,
  parseOrigin,
  requestAllowed,
} from '../../../libs/pushpage/src/edges/origin';

/** A request as the handshake and the guard see it. */
function req(headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { headers, socket: encrypted ? { encrypted: true } : {} } as unknown as IncomingMessage;
}

describe('the Origin rule', () => {
  it('reads origins as browsers send them, and nothing else', () => {
    expect(parseOrigin('https://App.Example.com')).toBe('https://app.example.com');
    expect(parseOrigin('https://app.example.com:443/')).toBe('https://app.example.com');
    expect(parseOrigin('http://localhost:8000')).toBe('http://localhost:8000');
    expect(parseOrigin('http://[::1]:8000')).toBe('http://[::1]:8000');
    for (const bad of [
      'null',
      '',
      'app.example.com',
      'ftp://app.example.com',
      'https://app.example.com/path',
      'https://user@app.example.com',
      'https://app.example.com?x',
      'file:///etc/passwd',
    ]) {
      expect(parseOrigin(bad)).toBeUndefined();
    }
  });

  it('compares scheme, host and port exactly', () => {
    const trusted = ['https://app.example.com', 'http://localhost:8000'];
    expect(originAllowed(undefined, trusted)).toBe(true); // not a browser page
    expect(originAllowed('https://app.example.com', trusted)).toBe(true);
    expect(originAllowed('https://APP.example.com:443', trusted)).toBe(true);
    expect(originAllowed('http://app.example.com', trusted)).toBe(false);
    expect(originAllowed('https://app.example.com:8443', trusted)).toBe(false);
    expect(originAllowed('https://evil.app.example.com', trusted)).toBe(false);
    expect(originAllowed('http://localhost:8001', trusted)).toBe(false);
    expect(originAllowed('null', trusted)).toBe(false);
  });

  it('with public origins, gives the Host header no say (DNS rebinding)', () => {
    const settings = { publicOrigins: ['http://127.0.0.1:8000'], allowedOrigins: [] };
    const rebinding = req({ origin: 'http://evil.example:8000', host: 'evil.example:8000' });
    expect(requestAllowed(rebinding, settings)).toBe(false);
    expect(requestAllowed(req({ origin: 'http://127.0.0.1:8000', host: 'x' }), settings)).toBe(
      true,
    );
    const partner = { ...settings, allowedOrigins: ['https://partner.example'] };
    expect(requestAllowed(req({ origin: 'https://partner.example' }), partner)).toBe(true);
    expect(requestAllowed(req({ host: 'evil.example:8000' }), settings)).toBe(true);
  });

  it('without public origins, takes the request’s own scheme and Host as its origin', () => {
    const settings = { publicOrigins: [], allowedOrigins: [] };
    const plain = { origin: 'http://127.0.0.1:8000', host: '127.0.0.1:8000' };
    expect(requestAllowed(req(plain), settings)).toBe(true);
    expect(requestAllowed(req(plain, true), settings)).toBe(false);
    const tls = { origin: 'https://app.example.com', host: 'app.example.com' };
    expect(requestAllowed(req(tls, true), settings)).toBe(true);
    expect(requestAllowed(req({ ...tls, host: 'app.example.com/x' }, true), settings)).toBe(false);
    expect(
      requestAllowed(req({ origin: 'https://127.0.0.1:8000', host: '127.0.0.1:8000' }), settings),
    ).toBe(false);
    expect(requestAllowed(req({ origin: 'http://127.0.0.1:8000' }), settings)).toBe(false);
  });

  it('refuses configured origins that are not origins, naming the setting', () => {
    expect(resolveOptions({ publicOrigins: ['https://App.example.com/'] }).publicOrigins).toEqual([
      'https://app.example.com',
    ]);
    expect(() => resolveOptions({ publicOrigins: ['app.example.com'] })).toThrow(
      /the publicOrigins option of PushpageModule holds "app.example.com", which is not an origin/,
    );
    expect(() =>
      resolveOptions({
        allowedOrigins: ['https://a.example/path'],
        settingNames: { allowedOrigins: 'MY_ORIGINS' },
      }),
    ).toThrow(/^Pushpage options: MY_ORIGINS holds/);
  });
});

describe('access to /metrics', () => {
  const token = 'metrics-token-0123456789';

  it('compares the bearer token exactly', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    for (const header of [
      undefined,
      '',
      token,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      'Bearer ',
      `Basic ${token}`,
    ]) {
      expect(bearerMatches(header, token)).toBe(false);
    }
  });

  it('serves it on the metrics port only, with the token only, or publicly only when asked', () => {
    const answer = (options: Parameters<typeof resolveOptions>[0], auth?: string, onPort = false) =>
      metricsAnswer(resolveOptions(options), auth, onPort);
    expect(answer({})).toBe('not-found');
    expect(answer({ publicMetrics: true })).toBe('metrics');
    expect(answer({ metricsToken: token })).toBe('unauthorized');
    expect(answer({ metricsToken: token }, `Bearer ${token}`)).toBe('metrics');
    expect(answer({ metricsPort: 9464 })).toBe('not-found');
    expect(answer({ metricsPort: 9464 }, undefined, true)).toBe('metrics');
    expect(answer({ metricsPort: 9464, metricsToken: token }, undefined, true)).toBe(
      'unauthorized',
    );
    expect(answer({ metricsPort: 9464, metricsToken: token }, `Bearer ${token}`)).toBe('not-found');
  });

  it('refuses public metrics in production, naming the settings', () => {
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const options = resolveOptions({
        publicMetrics: true,
        settingNames: { publicMetrics: 'MY_PUBLIC', metricsToken: 'MY_TOKEN' },
      });
      expect(() => new PushpageMetricsServer(options, new PushpageMetrics())).toThrow(
        /^MY_PUBLIC would serve \/metrics to anyone, which production refuses: .*MY_TOKEN/,
      );
      expect(
        () =>
          new PushpageMetricsServer(resolveOptions({ metricsToken: token }), new PushpageMetrics()),
      ).not.toThrow();
    } finally {
      process.env.NODE_ENV = env;
    }
  });

  it('refuses weak tokens, bad ports and public metrics beside the other two', () => {
    expect(() => resolveOptions({ metricsToken: 'short' })).toThrow(/metricsToken/);
    expect(() => resolveOptions({ metricsToken: 'change-me-0123456789' })).toThrow(/metricsToken/);
    expect(() => resolveOptions({ metricsPort: 70000 })).toThrow(/metricsPort/);
    expect(() => resolveOptions({ publicMetrics: true, metricsToken: token })).toThrow(
      /publicMetrics/,
    );
  });
});

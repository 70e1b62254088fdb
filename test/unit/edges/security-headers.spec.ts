import type { IncomingMessage, ServerResponse } from 'node:http';
import { setSecurityHeaders } from '../../../libs/pushpage/src/edges/http/security-headers';
import {
  DEFAULT_CONTENT_SECURITY_POLICY,
  resolveOptions,
} from '../../../libs/pushpage/src/options';

/** The headers a page gets, set on a stand-in response. */
function pageHeaders(policy: string | false): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  } as unknown as ServerResponse;
  setSecurityHeaders({} as IncomingMessage, res, policy);
  return headers;
}

describe('page headers (helmet)', () => {
  it('sends the configured policy, directive for directive', () => {
    const sent = pageHeaders(DEFAULT_CONTENT_SECURITY_POLICY)['content-security-policy'];
    expect(sent.split(';').map((d) => d.trim())).toEqual(
      DEFAULT_CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim()),
    );
  });

  it('sends no policy when it is turned off, and keeps a policy without default-src as it is', () => {
    expect(pageHeaders(false)['content-security-policy']).toBeUndefined();
    expect(pageHeaders(false)['x-content-type-options']).toBe('nosniff');
    expect(pageHeaders("script-src 'self'")['content-security-policy']).toBe("script-src 'self'");
  });

  it('refuses at start a policy helmet refuses, naming the setting', () => {
    expect(() =>
      resolveOptions({
        contentSecurityPolicy: "default-src self; script-src 'self'",
        settingNames: { contentSecurityPolicy: 'MY_CSP' },
      }),
    ).toThrow(/MY_CSP is not a policy helmet accepts/);
  });
});

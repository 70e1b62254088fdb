import { ConfigError, loadConfig } from '../../apps/demo/config';

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('the demo configuration', () => {
  it('has defaults for everything, and treats empty values as unset', () => {
    const config = loadConfig({ PORT: '', REDIS_URL: '' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      production: false,
      log: { format: 'json', level: 'info' },
      pushpage: { redisUrl: undefined, adapter: 'classic', shutdownDelayMs: 0 },
    });
    const production = { NODE_ENV: 'production', PUSHPAGE_SESSION_SECRET: 'k3Jd9aP0qL2mZx7c' };
    expect(loadConfig(production).pushpage.shutdownDelayMs).toBe(5000);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT="eighty": .*PORT must be an integer number/],
    [{ PORT: '70000' }, /^PORT="70000": PORT must not be greater than 65535/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL="localhost:6379": REDIS_URL must start with/],
    [{ PUSHPAGE_SESSION_SECRET: 'short' }, /^PUSHPAGE_SESSION_SECRET="short"/],
    [{ PUSHPAGE_REDIS_ADAPTER: 'cluster' }, /^PUSHPAGE_REDIS_ADAPTER="cluster"/],
    [{ PUSHPAGE_LOG_FORMAT: 'xml' }, /^PUSHPAGE_LOG_FORMAT="xml"/],
    [{ PUSHPAGE_SHUTDOWN_DELAY_MS: '-1' }, /^PUSHPAGE_SHUTDOWN_DELAY_MS="-1"/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV="staging"/],
    [{ NODE_ENV: 'production' }, /^PUSHPAGE_SESSION_SECRET is required in production/],
    [
      { PUSHPAGE_SESSION_SECRET: 'change-me-change-me' },
      /^PUSHPAGE_SESSION_SECRET is a placeholder/,
    ],
    [
      { PUSHPAGE_SESSION_SECRET: 'a-new-secret-0123456789,short' },
      /^PUSHPAGE_SESSION_SECRET="a-new-secret-0123456789,short": .*comma-separated/,
    ],
    [
      { PUSHPAGE_SESSION_SECRET: 'a-new-secret-0123456789,replace-me-0123456789' },
      /^PUSHPAGE_SESSION_SECRET is a placeholder/,
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(refusal(env)).toMatch(message);
  });

  it('reads a rotation list, the new secret first, and names the variable in Pushpage messages', () => {
    const config = loadConfig({
      PUSHPAGE_SESSION_SECRET: 'a-new-secret-0123456789,the-old-secret-0123456789',
    });
    expect(config.pushpage.sessionSecret).toEqual([
      'a-new-secret-0123456789',
      'the-old-secret-0123456789',
    ]);
    expect(config.pushpage.settingNames?.sessionSecret).toBe('PUSHPAGE_SESSION_SECRET');
  });

  it('names every bad variable at once', () => {
    const message = refusal({ PORT: 'x', PUSHPAGE_LOG_LEVEL: 'loud' });
    expect(message).toContain('PORT="x"');
    expect(message).toContain('PUSHPAGE_LOG_LEVEL="loud"');
  });
});

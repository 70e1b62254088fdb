import { samplerFromEnv } from '../../../apps/demo/tracing-sampler';

describe('the demo’s trace sampler, from the standard variables', () => {
  it('keeps every trace by default, unless the caller’s traceparent says it is not sampled', () => {
    expect(samplerFromEnv({}).toString()).toMatch(/^ParentBased\{root=AlwaysOnSampler/);
  });

  it('samples a share of traces with the ratio samplers', () => {
    const env = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' };
    expect(samplerFromEnv(env).toString()).toMatch(/^ParentBased\{root=TraceIdRatioBased\{0\.1\}/);
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio' }).toString()).toBe(
      'TraceIdRatioBased{1}',
    );
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }).toString()).toBe(
      'AlwaysOffSampler',
    );
  });

  it.each([
    [
      { OTEL_TRACES_SAMPLER: 'sometimes' },
      /^OTEL_TRACES_SAMPLER=sometimes is not one of always_on/,
    ],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '10%' },
      /^OTEL_TRACES_SAMPLER_ARG=10% is not a ratio from 0 to 1$/,
    ],
    [{ OTEL_TRACES_SAMPLER_ARG: '2' }, /^OTEL_TRACES_SAMPLER_ARG=2 is not a ratio/],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => samplerFromEnv(env)).toThrow(message);
  });
});

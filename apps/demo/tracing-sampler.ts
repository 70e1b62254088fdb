import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';

/** The values of `OTEL_TRACES_SAMPLER` the demo understands (OpenTelemetry's own names). */
const SAMPLERS: Record<string, (ratio: number) => Sampler> = {
  always_on: () => new AlwaysOnSampler(),
  always_off: () => new AlwaysOffSampler(),
  traceidratio: (ratio) => new TraceIdRatioBasedSampler(ratio),
  parentbased_always_on: () => new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  parentbased_always_off: () => new ParentBasedSampler({ root: new AlwaysOffSampler() }),
  parentbased_traceidratio: (ratio) =>
    new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
};

/**
 * The sampler the standard variables ask for: `OTEL_TRACES_SAMPLER` (default
 * `parentbased_always_on`: every trace, unless the caller's `traceparent` says it is not
 * sampled) and, for the ratio samplers, `OTEL_TRACES_SAMPLER_ARG` (0 to 1, default 1).
 * Throws, naming the variable, on a value it does not know.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim() || 'parentbased_always_on';
  const make = SAMPLERS[name];
  if (!make)
    throw new Error(
      `OTEL_TRACES_SAMPLER=${name} is not one of ${Object.keys(SAMPLERS).join(', ')}`,
    );
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const ratio = arg ? Number(arg) : 1;
  if (!(ratio >= 0 && ratio <= 1))
    throw new Error(`OTEL_TRACES_SAMPLER_ARG=${arg} is not a ratio from 0 to 1`);
  return make(ratio);
}

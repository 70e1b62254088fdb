import { createRequire } from 'node:module';
import type { RunningSdk, startSdk } from './tracing-sdk';

/** Where the demo's spans go, when tracing is on. */
export interface TracingInfo {
  /** The OTLP/HTTP traces URL. */
  endpoint: string;
  serviceName: string;
}

/** The service name when `OTEL_SERVICE_NAME` is unset. */
export const DEFAULT_SERVICE_NAME = 'pushpage-demo';

let running: RunningSdk | undefined;

/**
 * The OTLP/HTTP traces URL the standard variables give, as the exporter reads them:
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as it is, or `OTEL_EXPORTER_OTLP_ENDPOINT` with
 * `/v1/traces`; `undefined` (tracing off) when neither is set.
 */
export function tracesEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/**
 * Starts OpenTelemetry tracing if an OTLP endpoint is set; otherwise does nothing and loads
 * none of the SDK. It must run before Nest, express and `http` are loaded (the
 * instrumentations patch them as they load), so the SDK is loaded synchronously.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): TracingInfo | undefined {
  const endpoint = tracesEndpoint(env);
  if (!endpoint || running) return undefined;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME;
  const sdk = createRequire(__filename)('./tracing-sdk') as { startSdk: typeof startSdk };
  running = sdk.startSdk(serviceName);
  return { endpoint, serviceName };
}

/** Sends the spans still buffered and stops tracing (nothing if it is off). */
export async function stopTracing(): Promise<void> {
  const sdk = running;
  running = undefined;
  await sdk?.shutdown();
}

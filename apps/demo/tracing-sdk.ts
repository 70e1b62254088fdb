import type { IncomingMessage } from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { QUIET_PATHS } from './quiet-paths';
import { samplerFromEnv } from './tracing-sampler';

/** A running OpenTelemetry SDK: stop it to send the spans still buffered. */
export interface RunningSdk {
  shutdown(): Promise<void>;
}

/**
 * Registers an OpenTelemetry tracer provider that sends spans over OTLP/HTTP (JSON) to where
 * the standard `OTEL_EXPORTER_OTLP_*` variables say, with W3C trace context, the
 * AsyncLocalStorage context manager, and the HTTP and Express instrumentations (so they
 * must load before `http` and `express` do). `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES` describe the process; the service is `serviceName` if unset.
 */
export function startSdk(serviceName: string): RunningSdk {
  const resource = resourceFromAttributes({ 'service.name': serviceName }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const provider = new TracerProvider({
    resource,
    sampler: samplerFromEnv(process.env),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  trace.setGlobalTracerProvider(provider);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? ''),
      }),
      // a span per route handler, none per middleware (body parser, helmet, the session
      // cookie...): those were half the spans of an event and most of tracing's cost
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER],
      }),
    ],
  });
  return {
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}

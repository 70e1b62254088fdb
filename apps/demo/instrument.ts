/**
 * Imported first by main.ts, before anything loads Nest, express or `http`: starts tracing
 * when an OTLP endpoint is set (see tracing.ts).
 */
import { startTracing } from './tracing';

/** Where spans go, if tracing is on. */
export const tracing = startTracingOrExit();

function startTracingOrExit(): ReturnType<typeof startTracing> {
  try {
    return startTracing();
  } catch (error) {
    // a tracing variable the demo cannot read: said like any other configuration error
    console.error(`configuration error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

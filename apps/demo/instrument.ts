/**
 * Imported first by main.ts, before anything loads Nest, express or `http`: starts tracing
 * when an OTLP endpoint is set (see tracing.ts).
 */
import { startTracing } from './tracing';

/** Where spans go, if tracing is on. */
export const tracing = startTracing();

import {
  Attributes,
  context,
  createContextKey,
  Span,
  SpanStatusCode,
  trace,
  Tracer,
} from '@opentelemetry/api';
import { PushpageError } from '../errors';
import { packageVersion } from '../package-version';

/**
 * The names of the spans Pushpage makes (OpenTelemetry). Without an OpenTelemetry SDK
 * registered in the app, the API makes no-op spans and nothing is recorded.
 */
export const PUSHPAGE_SPANS = {
  /** One event, from the socket message or HTTP request to its answer. */
  event: 'pushpage.event',
  /** One run of the event's handler (again after a conflict: see `pushpage.attempt`). */
  handler: 'pushpage.handler',
  /** One commit request to the store. */
  commit: 'pushpage.commit',
  /** Publishing a commit's patches to the tabs of its scopes. */
  publish: 'pushpage.publish',
} as const;

/** The attributes on Pushpage's spans (see {@link PUSHPAGE_SPANS}). */
export const PUSHPAGE_SPAN_ATTRIBUTES = {
  /** The page the event is for. */
  pageId: 'pushpage.page.id',
  /** The event's type (`click`, `change`, ...). */
  eventType: 'pushpage.event.type',
  /** The component the event is for. */
  componentId: 'pushpage.component.id',
  /** How the event came: `socket`, `http`, `upload` or `timer`. */
  transport: 'pushpage.transport',
  /** The handler's registered name (`ClassName.field`, or the name given to `handler()`). */
  handler: 'pushpage.handler',
  /** Which run of the handler: 1, then 2, ... after conflicts. */
  attempt: 'pushpage.attempt',
  /** The refusal's code (`not-listening`, `handler-failed`, ...), on a failed span. */
  errorCode: 'pushpage.error.code',
  /** An event id seen before: this retry was not applied again. */
  duplicate: 'pushpage.event.duplicate',
  /** Whether the commit met a concurrent change to a scope it read (and was not applied). */
  commitConflict: 'pushpage.commit.conflict',
  /** The store operations the commit carries. */
  commitOps: 'pushpage.commit.ops',
  /** The scopes (pages, shared elements) whose patches the commit carries. */
  commitScopes: 'pushpage.commit.scopes',
  /** The patches published, one per scope. */
  publishPatches: 'pushpage.publish.patches',
} as const;

const A = PUSHPAGE_SPAN_ATTRIBUTES;

/** How an event came (the `pushpage.transport` attribute). */
export type EventTransport = 'socket' | 'http' | 'upload' | 'timer';

/** The event span in a context where the edge that received the event started it. */
const EVENT_SPAN = createContextKey('pushpage event span');

let tracer: Tracer | undefined;

/** The global provider's tracer (a no-op one until an app registers an SDK). */
function pushpageTracer(): Tracer {
  return (tracer ??= trace.getTracer('pushpage', packageVersion()));
}

/** Marks a span failed with `error`, and the refusal's code if it is one. */
function failed(span: Span, error: unknown): void {
  if (error instanceof PushpageError) span.setAttribute(A.errorCode, error.code);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/**
 * Runs `fn` in a new active span (a child of the active one), ended when `fn` settles and
 * marked failed if it throws; what `fn` returns or throws passes through unchanged.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return pushpageTracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** {@link withSpan} for synchronous work. */
export function withSpanSync<T>(name: string, attributes: Attributes, fn: (span: Span) => T): T {
  return pushpageTracer().startActiveSpan(name, { attributes }, (span) => {
    try {
      return fn(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The attributes an event's body gives, those that are strings (it is not validated yet). */
function eventAttributes(transport: EventTransport, body: unknown): Attributes {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const attributes: Attributes = { [A.transport]: transport };
  const named: [string, unknown][] = [
    [A.pageId, fields.pageId],
    [A.componentId, fields.componentId],
    [A.eventType, fields.type],
  ];
  for (const [key, value] of named) if (typeof value === 'string') attributes[key] = value;
  return attributes;
}

/**
 * Runs the handling of one event in its `pushpage.event` span. The edge that receives it
 * (the socket gateway, the REST route) starts the span; the dispatcher, called right inside
 * it, takes that span over rather than starting another. Timer ticks start a trace of their
 * own: the context they run in is that of whatever armed the timer.
 */
export function traceEvent<T>(
  transport: EventTransport,
  body: unknown,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const active = context.active();
  const started = active.getValue(EVENT_SPAN) as Span | undefined;
  if (started && started === trace.getSpan(active)) return fn(started);
  return pushpageTracer().startActiveSpan(
    PUSHPAGE_SPANS.event,
    { attributes: eventAttributes(transport, body), root: transport === 'timer' },
    async (span) => {
      try {
        return await context.with(context.active().setValue(EVENT_SPAN, span), () => fn(span));
      } catch (error) {
        failed(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Adds attributes to the event span of the event being handled, if there is one. */
export function noteEvent(attributes: Attributes): void {
  const span = context.active().getValue(EVENT_SPAN) as Span | undefined;
  span?.setAttributes(attributes);
}

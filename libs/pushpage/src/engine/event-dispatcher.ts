import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Component, ComponentData, EVENT_TYPES } from '../model/component';
import { PushpageMetrics } from '../ops/metrics.service';
import {
  EventTransport,
  noteEvent,
  PUSHPAGE_SPAN_ATTRIBUTES,
  PUSHPAGE_SPANS,
  traceEvent,
  withSpan,
} from '../ops/tracing';
import {
  DEFAULT_SESSION_MAX_AGE_MS,
  DEFAULT_SNAPSHOT_WINDOW,
  PUSHPAGE_CONFIG,
  ResolvedPushpageOptions,
} from '../options';
import { FormControl } from '../model/html';
import { formAround, formValues } from '../model/forms';
import { WebPage } from '../model/web-page';
import { otherSession, pageGone, PushpageError } from '../errors';
import { ClientAction, FormValue } from '../protocol';
import { eventNameProblem } from '../event-wire';
import { ActionOutbox } from './action-outbox';
import { eventTabs } from './page-tabs';
import { PUSHPAGE_TAB_CHANNEL, TabChannel } from './tab-channel';
import { PUSHPAGE_PUBLISHER, Publisher } from './patch';
import { accessOfPage, LoadedSnapshot, mayShow, snapshotOfWork } from './snapshot';
import { retryConflicts } from './transaction';
import { UnitOfWork } from './unit-of-work';
import { CommitRequest, PUSHPAGE_STORE, PushpageStore } from '../store/store';
import { EventDto, validateEvent } from './event.dto';
import { EventMessage } from './event-message';
import { askedEventProperties } from './event-properties';
import { HandlerRegistry } from './handler-registry';
import { Sequencer } from './sequencer';
import { handlerStorage, HandlerStorage } from './storage';
import { findOnPage, walkLoadedScopes } from './on-page';
import type { UploadedFile } from '../model/upload';

/** Who sent an event. */
export interface EventOrigin {
  sessionId: string;
  /** The socket, for socket events; its own typed text is not echoed back to it. */
  socketId?: string;
  /** The server's own event, a page timer's tick: any page, events only the server raises. */
  timer?: boolean;
  /**
   * The files of an upload the server received and stored: the event is the `Upload`'s
   * `upload`, which only the server raises, for the session's own page.
   */
  upload?: { files: readonly UploadedFile[] };
  /** When the session started (ms since the epoch, from its cookie): its storage expires a maximum age later. */
  sessionIssuedAt?: number;
  /** The tab that sent the event, as it said (checked with `ID_PATTERN`): its `msg.storage.tab`. */
  tabId?: string;
}

/** The result of an event. */
export interface EventOutcome {
  /** Whether the page was updated (the handler returned `undefined`). */
  updated: boolean;
  /** The event id was seen before: this retry was not applied again. */
  duplicate?: boolean;
  /**
   * The page as the handler left it, from what the dispatcher already holds, when it holds
   * all of it (else `null`: read the page from the store). For replies to HTTP events.
   */
  pageAfter?: () => Promise<LoadedSnapshot | null>;
  /** Client actions for the sender of an HTTP event, for its answer, in order. */
  actions?: ClientAction[];
}

/** How long an applied event id is remembered, so a retry within it is not applied again. */
const EVENT_DONE_TTL_MS = 10 * 60 * 1000;
/** How long a replica holds an event it applies before another may take it over... */
const EVENT_HOLD_MS = 6_000;
/** ...renewed this often while the handler runs. */
const EVENT_RENEW_MS = 2_000;
/**
 * The longest a tab's next event waits for this one's handler to pass its first commit (a
 * handler that sleeps before it updates anything does not hold its tab up for longer).
 */
const FIRST_PART_MAX_MS = 500;

/** How long shutdown waits for events being handled. */
const SHUTDOWN_DRAIN_MS = 10_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}

interface PreparedEvent {
  event: EventDto;
  uow: UnitOfWork;
  page: WebPage;
  component: Component;
  handler?: string;
}

const runNow: Sequencer = (step) => step();

/**
 * The one path every event takes, from a socket or over HTTP: validate, load the page,
 * check the component and the binding, apply typed values, run the handler, commit, push.
 */
@Injectable()
export class EventDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Pushpage');
  private readonly inFlight = new Set<Promise<EventOutcome>>();
  private draining = false;

  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    @Inject(PUSHPAGE_PUBLISHER) private readonly publisher: Publisher,
    private readonly handlers: HandlerRegistry,
    @Optional() private readonly metrics?: PushpageMetrics,
    @Optional() @Inject(PUSHPAGE_CONFIG) private readonly config?: ResolvedPushpageOptions,
    @Optional() @Inject(PUSHPAGE_TAB_CHANNEL) private readonly channel?: TabChannel,
  ) {}

  /**
   * Handles one event. Preparation (load, checks, typed values) runs through `sequence`, so
   * text typed before a click is stored before the click's handler reads it; handlers
   * themselves run concurrently.
   */
  async dispatch(
    body: unknown,
    origin: EventOrigin,
    sequence: Sequencer = runNow,
  ): Promise<EventOutcome> {
    const transport: EventTransport = origin.timer
      ? 'timer'
      : origin.upload
        ? 'upload'
        : origin.socketId
          ? 'socket'
          : 'http';
    const labels = { type: eventTypeOf(body), transport };
    return traceEvent(transport, body, async (span) => {
      try {
        const outcome = await this.admit(body, origin, sequence);
        const applied = outcome.duplicate ? 'duplicate' : 'applied';
        this.metrics?.events.inc({ ...labels, outcome: applied });
        if (outcome.duplicate) span.setAttribute(PUSHPAGE_SPAN_ATTRIBUTES.duplicate, true);
        return outcome;
      } catch (error) {
        const outcome = error instanceof PushpageError ? error.code : 'error';
        this.metrics?.events.inc({ ...labels, outcome });
        throw error;
      }
    });
  }

  private async admit(
    body: unknown,
    origin: EventOrigin,
    sequence: Sequencer,
  ): Promise<EventOutcome> {
    const event = validateEvent(body);
    if (this.draining) {
      throw new PushpageError(
        'unavailable',
        'this server is shutting down; the tab sends the event again to another',
      );
    }
    const work = this.apply(event, origin, sequence);
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** Lets events already being handled finish (bounded) before the app shuts down. */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    const deadline = Date.now() + SHUTDOWN_DRAIN_MS;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inFlight]), sleep(deadline - Date.now())]);
    }
  }

  private async apply(
    event: EventDto,
    origin: EventOrigin,
    sequence: Sequencer,
  ): Promise<EventOutcome> {
    const receipt = event.eventId
      ? {
          scope: event.pageId,
          eventId: `${origin.sessionId}:${event.eventId}`,
          owner: randomBytes(9).toString('base64url'),
          doneTtlMs: EVENT_DONE_TTL_MS,
        }
      : undefined;
    if (receipt) {
      const state = await this.store.beginEvent(
        receipt.scope,
        receipt.eventId,
        receipt.owner,
        EVENT_HOLD_MS,
      );
      if (state === 'done') return { updated: false, duplicate: true };
      if (state === 'running') {
        throw new PushpageError(
          'in-progress',
          'this event is still being applied; the tab sends it again shortly',
        );
      }
    }
    // The tab's next event waits until this one's handler has passed its first commit (or
    // ended, or run for a while): one tab's events then never invalidate each other's reads,
    // and a handler that goes on (a countdown) does not hold the tab up.
    let firstPartDone: () => void = () => undefined;
    const firstPart = new Promise<void>((resolve) => (firstPartDone = resolve));
    let started: { running: Promise<EventOutcome> };
    try {
      started = await sequence(async () => {
        const prepared = await this.prepare(event, origin);
        const latest = { uow: prepared.uow };
        const running = this.runAttempts(prepared, origin, receipt, firstPartDone, latest);
        const timer = setTimeout(firstPartDone, FIRST_PART_MAX_MS);
        await Promise.race([firstPart, running.catch(() => undefined)]);
        clearTimeout(timer);
        // values the event carried commit with the handler's first commit; if it has not
        // made one (it sleeps first, or failed), they are stored now, before the next event
        // (if the store fails here, the handler's own commit still carries them)
        await latest.uow.storeTyped().catch(() => undefined);
        return { running };
      });
    } catch (error) {
      if (receipt) await this.endEvent(receipt, false);
      throw error;
    }
    return started.running;
  }

  /**
   * Runs the handler, and again on fresh state while its first commit meets concurrent
   * changes; `settled` is called once an attempt has passed its first commit.
   */
  private async runAttempts(
    prepared: PreparedEvent,
    origin: EventOrigin,
    receipt: CommitRequest['receipt'],
    settled: () => void,
    latest: { uow: UnitOfWork },
  ): Promise<EventOutcome> {
    const { event } = prepared;
    if (!prepared.handler) {
      if (receipt) await this.endEvent(receipt, true);
      return { updated: true, pageAfter: this.pageAfter(prepared.uow, prepared.page) };
    }
    if (receipt) prepared.uow.markDoneWithNextCommit(receipt);
    prepared.uow.whenSettled(settled);
    const renew = receipt
      ? setInterval(
          () =>
            void this.store
              .renewEvent(receipt.scope, receipt.eventId, receipt.owner, EVENT_HOLD_MS)
              .catch(() => undefined),
          EVENT_RENEW_MS,
        )
      : undefined;
    let succeeded = false;
    let current = prepared;
    try {
      const outcome = await retryConflicts(
        async (attempt) => {
          if (attempt > 1) {
            this.metrics?.handlerRetries.inc({ handler: current.handler ?? '' });
            current = await this.prepare(event, origin);
            latest.uow = current.uow;
            if (receipt) current.uow.markDoneWithNextCommit(receipt);
            current.uow.whenSettled(settled);
            if (!current.handler) return { updated: true };
          }
          return this.run(current, origin, attempt);
        },
        () => current.uow.conflicted !== undefined,
      );
      succeeded = true;
      return outcome;
    } finally {
      clearInterval(renew);
      // A handler that committed nothing has no receipt in the store yet: record how it went.
      if (receipt && current.uow.holdsReceipt) await this.endEvent(receipt, succeeded);
    }
  }

  private async endEvent(
    receipt: { scope: string; eventId: string; owner: string },
    applied: boolean,
  ): Promise<void> {
    await this.store
      .endEvent(receipt.scope, receipt.eventId, receipt.owner, applied, EVENT_DONE_TTL_MS)
      .catch((error: unknown) => {
        this.logger.warn(
          `event ${receipt.eventId}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  }

  /** `msg.storage` of an event from `origin`. */
  private storageOf(origin: EventOrigin): HandlerStorage {
    const maxAge = this.config?.sessionMaxAgeMs ?? DEFAULT_SESSION_MAX_AGE_MS;
    return handlerStorage({
      store: this.store,
      sessionId: origin.sessionId,
      userExpireAt: (origin.sessionIssuedAt ?? Date.now()) + maxAge,
      tabId: origin.tabId,
      ...(origin.timer
        ? {
            noUser: 'a page timer’s tick has no session: msg.storage.user is for events of a tab',
            noTab: 'a page timer’s tick has no tab: msg.storage.tab is for events of a tab',
          }
        : {}),
    });
  }

  private newUnitOfWork(): UnitOfWork {
    return new UnitOfWork(this.store, this.publisher, this.config);
  }

  /**
   * Loads the page, checks the event and applies the values it carries; they commit with
   * the handler's first commit (one step, and the handler reads them), or at once for an
   * event without a handler. An attempt after a conflict applies them again, so the handler
   * sees the values its event carried even if later events of the tab stored newer text
   * meanwhile, as one event after another would.
   */
  private async prepare(event: EventDto, origin: EventOrigin): Promise<PreparedEvent> {
    const uow = this.newUnitOfWork();
    const page = await uow.loadPage(event.pageId);
    if (!page) throw pageGone(event.pageId);
    if (!origin.timer && !mayShow(accessOfPage(page), origin.sessionId))
      throw otherSession(event.pageId);
    const pageScopes = new Set([...walkLoadedScopes(page)]);
    const component = await findOnPage(uow, pageScopes, event.pageId, event.componentId);
    const serverOnly = (component.constructor as typeof Component).serverEvents;
    const byServer = Boolean(origin.timer || origin.upload);
    if (
      serverOnly.includes(event.type) !== byServer ||
      (origin.upload && event.type !== 'upload')
    ) {
      throw new PushpageError(
        'not-listening',
        byServer
          ? `component ${component.id} has no ${event.type} events of the server's`
          : `only the server raises ${event.type} events of component ${component.id}`,
      );
    }
    const handler = component.handlerFor(event.type);
    const valueEvent = valueEventOf(component);
    if (!handler && valueEvent !== event.type) {
      throw new PushpageError(
        'not-listening',
        `component ${component.id} does not listen to ${event.type} events`,
      );
    }
    const values = [...(event.values ?? [])];
    if (event.value !== undefined && valueEvent === event.type)
      values.push({ id: component.id, value: event.value });
    const typed: { control: FormControl<FormValue>; value: FormValue }[] = [];
    for (const { id, value } of values) {
      const control = await findOnPage(uow, pageScopes, event.pageId, id);
      if (!(control instanceof FormControl)) {
        throw new PushpageError('bad-request', `component ${id} has no value to set`);
      }
      typed.push({ control, value: control.acceptValue(value) });
      // loaded now, so the value reaches it when it is set
      await this.loadBoundTarget(uow, pageScopes, event.pageId, control);
    }
    uow.applyTyped(origin.socketId, () => {
      for (const { control, value } of typed) {
        if (sameValue(control.value, value)) uow.followBindings(control);
        else control.value = value;
        control.valueApplied();
      }
    });
    if (!handler && uow.dirty) await uow.flush();
    return { event, uow, page, component, handler };
  }

  /**
   * Loads the component a control's value is bound to, if it is still on the page (a
   * binding whose target has gone does nothing).
   */
  private async loadBoundTarget(
    uow: UnitOfWork,
    pageScopes: Set<string>,
    pageId: string,
    control: FormControl<FormValue>,
  ): Promise<void> {
    const binding = control.binding;
    if (!binding) return;
    try {
      await findOnPage(uow, pageScopes, pageId, binding.to);
    } catch (error) {
      if (!(error instanceof PushpageError && error.code === 'not-found')) throw error;
    }
  }

  private pageAfter(uow: UnitOfWork, page: WebPage): () => Promise<LoadedSnapshot | null> {
    return async () => {
      const current = uow.currentPage(page.id);
      const window = this.config?.snapshotWindow ?? DEFAULT_SNAPSHOT_WINDOW;
      return current ? snapshotOfWork(this.store, page, current, window) : null;
    };
  }

  private async run(
    prepared: PreparedEvent,
    origin: EventOrigin,
    attempt: number,
  ): Promise<EventOutcome> {
    const { event, uow, page, component } = prepared;
    const handler = this.handlers.resolve(prepared.handler as string);
    noteEvent({ [PUSHPAGE_SPAN_ATTRIBUTES.handler]: handler.name });
    const outbox = new ActionOutbox();
    // after the commit's patches are published (synchronously after this listener)
    uow.whenSettled(() => queueMicrotask(() => outbox.open()));
    const tabs = eventTabs({
      page,
      sender: origin,
      appWebsockets: this.config?.websockets ?? true,
      channel: this.channel,
      outbox,
      settle: async () => {
        await uow.settle();
        outbox.open();
      },
    });
    const msg = new EventMessage<ComponentData, string>(
      event.type,
      component.id,
      page,
      origin.sessionId,
      event.value,
      event.key,
      askedEventProperties(event.event, component.eventPropertiesFor(event.type)),
      uow,
      () => this.newUnitOfWork(),
      tabs,
      () => formValuesAround(component),
      this.storageOf(origin),
      origin.upload?.files,
    );
    let result: unknown;
    const timer = this.metrics?.handlerDuration.startTimer({ handler: handler.name });
    uow.validateUntilNextCommit();
    try {
      result = await withSpan(
        PUSHPAGE_SPANS.handler,
        {
          [PUSHPAGE_SPAN_ATTRIBUTES.handler]: handler.name,
          [PUSHPAGE_SPAN_ATTRIBUTES.attempt]: attempt,
        },
        async () => handler.call(component, msg),
      );
      timer?.();
    } catch (error) {
      timer?.();
      uow.discard();
      // its first commit ran into a concurrent change: the caller runs it again
      const conflict = uow.conflicted;
      if (conflict) throw conflict;
      // a limit the handler's changes ran into, or the store out of reach: the tab gets that
      // error as it is (and sends an `unavailable` event again)
      if (error instanceof PushpageError && ['too-large', 'unavailable'].includes(error.code))
        throw error;
      const reference = Math.random().toString(36).slice(2, 10);
      // one structured line: JSON logs get each field, console logs print the object
      this.logger.error({
        msg: `handler ${handler.name} failed on page ${page.id} [${reference}]`,
        pageId: page.id,
        componentId: component.id,
        eventType: event.type,
        handler: handler.name,
        requestId: event.eventId,
        reference,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      throw new PushpageError(
        'handler-failed',
        `the ${event.type} handler failed; reference ${reference} in the server log`,
      );
    }
    // a handler that caught its conflict still ran on stale state
    const conflict = uow.conflicted;
    if (conflict) throw conflict;
    if (result === undefined) {
      await uow.flush();
    } else {
      // no update: the typed values are still pushed, the handler's changes are not
      await uow.storeTyped();
      await uow.commitQuietly();
    }
    outbox.open();
    return {
      updated: result === undefined,
      pageAfter: this.pageAfter(uow, page),
      ...(tabs.answer.length > 0 ? { actions: tabs.answer } : {}),
    };
  }
}

/**
 * The event type for metrics: one of {@link EVENT_TYPES}, `other` for any other event name
 * (a label per name a client makes up would grow the metrics without bound), or `invalid`.
 */
function eventTypeOf(body: unknown): string {
  const type: unknown =
    typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && (EVENT_TYPES as readonly string[]).includes(type)) return type;
  return eventNameProblem(type) === undefined ? 'other' : 'invalid';
}

function valueEventOf(component: Component): string | undefined {
  return component instanceof FormControl
    ? (component.constructor as typeof FormControl).valueEvent
    : undefined;
}

function formValuesAround(component: Component): Record<string, FormValue> {
  const form = formAround(component);
  return form ? formValues(form) : {};
}

function sameValue(a: FormValue, b: FormValue): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

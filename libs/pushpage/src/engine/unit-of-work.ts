import { ChangeTracker, Component, FieldChange, nearestScope } from '../model/component';
import { JsonValue } from '../model/json';
import {
  fromStored,
  referencesIn,
  storedFieldName,
  storedFieldValue,
  toStoredComponent,
  toStoredFields,
} from '../model/serialize';
import { WebPage } from '../model/web-page';
import { PushpageError } from '../errors';
import {
  CommitRequest,
  CommitResult,
  DeletedPart,
  LoadMode,
  TreeStore,
  StoredComponent,
  StoreLimits,
  StoreOp,
} from '../store/store';
import { PageRevision } from '../store/revision';
import { PUSHPAGE_SPAN_ATTRIBUTES, PUSHPAGE_SPANS, withSpan, withSpanSync } from '../ops/tracing';
import { DEFAULT_MAX_CHILDREN, DEFAULT_MAX_SCOPE_BYTES } from '../limits';
import { walk } from './component-tree';
import { Publisher, ScopeJoin, ScopePatch } from './patch';
import {
  buildPatches,
  numberedPatches,
  patchLog,
  propKeysOf,
  TrackedChange,
  wholeIn,
} from './patch-builder';
import { SharedDefinition } from './shared';
import { ValueBindings } from './value-bindings';

interface RecordedOp {
  change: TrackedChange;
  /** none for a component that becomes a scope: it moves out of its scope into its own */
  store?: StoreOp;
}

/** How many scopes a search for a component by id loads at most. */
const MAX_SCOPES_SEARCHED = 64;

/** The version of a scope that others may have changed since it was loaded. */
const UNKNOWN = -1;

interface NewRoot {
  component: Component;
  meta: Record<string, JsonValue>;
  claim?: string;
  /** The most pages its session may hold, counting this one. */
  maxSessionPages?: number;
}

/**
 * Ids of shared names already looked up, per store. An entry can never serve stale state:
 * a name keeps its id until the component is deleted, and a cached id that no longer loads
 * is looked up again.
 */
const knownNames = new WeakMap<TreeStore, Map<string, string>>();

function nameCache(store: TreeStore): Map<string, string> {
  let cache = knownNames.get(store);
  if (!cache) knownNames.set(store, (cache = new Map()));
  return cache;
}

/**
 * The changes one handler, render or task makes: it loads components from the store,
 * records what changes, and commits it as one atomic batch, then pushes a patch to every
 * scope (page or shared element) that changed. Holds no lock between commits, so a
 * handler may sleep between updates.
 */
export class UnitOfWork implements ChangeTracker {
  private readonly loaded = new Map<string, Component>();
  /** The version of each scope as loaded, or `UNKNOWN` once others may have changed it. */
  private readonly scopeVersions = new Map<string, number>();
  /**
   * For a scope whose version is no longer known here: the version at which the listed
   * properties (`<component id> <prop>`) were last written from here, whole or validated, so
   * the stored ones equal this copy at that version and a part of them may be sent on top.
   */
  private readonly propsInStep = new Map<string, { at: number; props: Set<string> }>();
  /** The document edits of each scope as loaded (part of a page's revision). */
  private readonly scopeEdits = new Map<string, number>();
  /** The bytes each scope holds, as last loaded or committed (see `StoredComponent.bytes`). */
  private readonly scopeBytes = new Map<string, number>();
  /** Scopes whose state the handler read (see the consistency model in architecture.md). */
  private readonly readScopes = new Set<string>();
  private validating = false;
  private readonly settledListeners: (() => void)[] = [];
  private conflict: PushpageError | undefined;
  private readonly parentIds = new Map<string, string>();
  private readonly adopted = new Set<Component>();
  private readonly roots: NewRoot[] = [];
  /** stored components removed from their parent, with the scope that held them */
  private readonly removed = new Map<Component, string>();
  private ops: RecordedOp[] = [];
  /**
   * How many ops, from the first, a tab's input made (set before the handler ran: its
   * values and what bindings did with them), how many of those are the values it typed
   * (`echoes`, which that tab does not need back), and the tab's socket.
   */
  private typed: { count: number; echoes: number; origin?: string } | undefined;
  /** Reads made while this is set are not the handler's (bindings following a change). */
  private readsUnobserved = false;
  private readonly bindings = new ValueBindings(this.loaded, (work) => this.unobserved(work));
  private chain: Promise<void> = Promise.resolve();
  private receipt: CommitRequest['receipt'];

  constructor(
    private readonly store: TreeStore,
    private readonly publisher: Publisher | null,
    /** The limits commits are checked against (the options of the same names). */
    limits: Partial<StoreLimits> = {},
  ) {
    this.limits = {
      maxChildren: limits.maxChildren ?? DEFAULT_MAX_CHILDREN,
      maxScopeBytes: limits.maxScopeBytes ?? DEFAULT_MAX_SCOPE_BYTES,
    };
  }

  private readonly limits: StoreLimits;

  // ---- loading ------------------------------------------------------------------

  /** Loads components into this unit of work; already loaded ones are kept as they are. */
  async load(roots: readonly string[], mode: LoadMode): Promise<void> {
    const records = await this.store.load(roots, mode);
    this.hydrate(records);
    await this.loadReferences(records);
  }

  /** Loads a page and everything on it except the insides of shared elements. */
  async loadPage(pageId: string): Promise<WebPage | undefined> {
    await this.load([pageId], 'page');
    const page = this.loaded.get(pageId);
    return page instanceof WebPage ? page : undefined;
  }

  /**
   * Finds a component in the scopes `within` (pages or shared elements) or in the scopes
   * shown inside them, loading each scope whole until it is found; returns it with the id
   * of its nearest scope. A store finds components by scope, never by id alone.
   */
  async loadWithScope(
    id: string,
    within: readonly string[] = [id],
  ): Promise<{ component?: Component; scopes: string[] }> {
    const known = this.loaded.get(id);
    const knownHome = known && nearestScope(known);
    if (known && knownHome && knownHome._s.children !== null)
      return { component: known, scopes: [knownHome.id] };
    const queue = [...within];
    const seen = new Set<string>();
    for (let head = 0; head < queue.length && seen.size < MAX_SCOPES_SEARCHED; head++) {
      const scopeId = queue[head];
      if (seen.has(scopeId)) continue;
      seen.add(scopeId);
      const scope = await this.loadScope(scopeId);
      if (!scope) continue;
      const found = this.loaded.get(id);
      const home = found && nearestScope(found);
      if (found && home) return { component: found, scopes: [home.id] };
      for (const c of walk(scope)) if (c !== scope && c._s.scope) queue.push(c.id);
    }
    return { scopes: [] };
  }

  /** A scope with everything inside it loaded; `undefined` if there is no such scope. */
  private async loadScope(scopeId: string): Promise<Component | undefined> {
    let scope = this.loaded.get(scopeId);
    if (!scope || scope._s.children === null) {
      await this.load([scopeId], 'page');
      scope = this.loaded.get(scopeId);
    }
    return scope?._s.scope ? scope : undefined;
  }

  /**
   * A page as this unit of work knows it, if it knows all of it as stored: every component
   * on it loaded with its children, every scope on it at a known version (a scope changed
   * by someone else since it was loaded is not known) and no change waiting to be committed.
   * Scopes this unit of work did not change are shown as loaded: their versions say so.
   */
  currentPage(pageId: string): { components: Component[]; revision: PageRevision } | undefined {
    const page = this.loaded.get(pageId);
    if (!page?._s.scope || this.dirty) return undefined;
    const revision: PageRevision = { versions: {}, docs: {} };
    const components = [...walk(page)];
    for (const c of components) {
      if (c._s.children === null || !c._s.stored) return undefined;
      if (!c._s.scope) continue;
      const version = this.scopeVersions.get(c.id);
      if (version === undefined || version === UNKNOWN) return undefined;
      revision.versions[c.id] = version;
      const edits = this.scopeEdits.get(c.id);
      if (edits) revision.docs[c.id] = edits;
    }
    return { components, revision };
  }

  /** A component loaded or created in this unit of work. */
  get(id: string): Component | undefined {
    return this.loaded.get(id);
  }

  resolve(id: string): Component | undefined {
    return this.loaded.get(id);
  }

  async loadChildren(component: Component): Promise<void> {
    await this.load([component.id], 'page');
  }

  private hydrate(records: StoredComponent[]): void {
    const fresh: StoredComponent[] = [];
    for (const record of records) {
      if (record.scope && !this.scopeVersions.has(record.id)) {
        this.scopeVersions.set(record.id, record.version);
        if (record.edits) this.scopeEdits.set(record.id, record.edits);
      }
      if (record.scope && record.bytes !== undefined) this.scopeBytes.set(record.id, record.bytes);
      const existing = this.loaded.get(record.id);
      if (existing && existing._s.children !== null) continue;
      if (!existing) {
        const component = fromStored(record, this);
        this.loaded.set(record.id, component);
        this.bindings.note(component);
        if (record.parent) this.parentIds.set(record.id, record.parent);
      }
      fresh.push(record);
    }
    for (const record of fresh) {
      if (record.children === null) continue;
      const component = this.loaded.get(record.id) as Component;
      const children: Component[] = [];
      for (const childId of record.children) {
        const child = this.loaded.get(childId);
        if (!child) continue;
        children.push(child);
        if (!child._s.scope) child._s.parent = component;
      }
      component._s.children = children;
    }
  }

  private async loadReferences(records: StoredComponent[]): Promise<void> {
    const missing = new Map<string, string | undefined>();
    for (const record of records)
      for (const ref of referencesIn(record.fields))
        if (!this.loaded.has(ref.$ref)) missing.set(ref.$ref, ref.in);
    for (const [id, scope] of missing) await this.loadWithScope(id, [scope ?? id]);
  }

  // ---- new roots ----------------------------------------------------------------

  /** Takes a new page into this unit of work; the next commit stores it with `meta`. */
  addPage(page: WebPage, meta: Record<string, JsonValue>, maxSessionPages?: number): void {
    this.adopt(page);
    this.roots.push({ component: page, meta, maxSessionPages });
  }

  /**
   * The shared component registered under `definition.name`: loaded (without its children)
   * if it exists, else built by the definition's factory and stored, once per cluster.
   */
  async shared<T extends Component>(definition: SharedDefinition<T>): Promise<T> {
    const names = nameCache(this.store);
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = names.get(definition.name) ?? (await this.store.lookupName(definition.name));
      if (id !== null) {
        const existing =
          this.loaded.get(id) ?? (await this.load([id], 'self'), this.loaded.get(id));
        if (existing) {
          names.set(definition.name, id);
          return existing as T;
        }
        names.delete(definition.name);
        continue;
      }
      const created = definition.factory();
      created._s.scope = true;
      created._s.deleteFlag = false;
      const claimed = await this.commitRoot(created, definition.name);
      if (claimed) {
        names.set(definition.name, created.id);
        return created;
      }
    }
    throw new Error(`shared component "${definition.name}" could not be created or loaded`);
  }

  private async commitRoot(component: Component, claim: string): Promise<boolean> {
    const sub = new UnitOfWork(this.store, null);
    sub.adopt(component);
    sub.roots.push({ component, meta: { name: claim }, claim });
    const ok = await sub.commit(false);
    if (!ok) return false;
    for (const c of walk(component)) {
      c._s.tracker = this;
      this.loaded.set(c.id, c);
      this.bindings.note(c);
    }
    return true;
  }

  // ---- change tracking -------------------------------------------------------------

  recordRead(component: Component): void {
    if (!this.validating || this.readsUnobserved) return;
    const scope = nearestScope(component);
    if (scope?._s.stored) this.readScopes.add(scope.id);
  }

  /**
   * From now until the next commit that succeeds, commits check that every scope the
   * handler read is still at the version it was loaded at, and answer `conflict` otherwise
   * (the dispatcher then runs the handler again on fresh state).
   */
  validateUntilNextCommit(): void {
    this.validating = true;
    this.readScopes.clear();
  }

  /**
   * Commits what changed so far (validated, if validating) and ends validation even if
   * nothing changed: from here on the handler can no longer be run again, so work with
   * effects of its own (a transaction) may follow.
   */
  async settle(): Promise<void> {
    await this.flush();
    this.settled();
  }

  /** Calls `listener` once this unit of work has passed its first commit point (see `settle`). */
  whenSettled(listener: () => void): void {
    this.settledListeners.push(listener);
  }

  private settled(): void {
    this.validating = false;
    for (const listener of this.settledListeners.splice(0)) listener();
  }

  /** The conflict a validated commit ran into, if one did; this unit of work commits no more. */
  get conflicted(): PushpageError | undefined {
    return this.conflict;
  }

  adopt(component: Component): void {
    for (const c of walk(component)) {
      if (c._s.tracker === this) continue;
      if (c._s.stored && c._s.tracker) continue;
      c._s.tracker = this;
      this.loaded.set(c.id, c);
      this.bindings.note(c);
      if (!c._s.stored) this.adopted.add(c);
    }
  }

  recordField(component: Component, change: FieldChange): void {
    const id = component.id;
    const home = homeOf(component);
    const field = storedFieldName(change);
    const value = storedFieldValue(change);
    const store: StoreOp =
      value === undefined
        ? { op: 'unset', home, id, field }
        : { op: 'set', home, id, field, value };
    this.ops.push({ change: { kind: 'field', component, field: change }, store });
    if (change.kind === 'prop' || change.kind === 'data') this.bindings.changed(component);
  }

  /**
   * Lets bindings act on `component` as if it had just changed: a control whose value a tab
   * sent again still moves a target that differs (see `ValueBindings`).
   */
  followBindings(component: Component): void {
    this.bindings.changed(component);
  }

  bindingChanged(control: Component): void {
    this.bindings.note(control);
  }

  private unobserved(work: () => void): void {
    const outer = this.readsUnobserved;
    this.readsUnobserved = true;
    try {
      work();
    } finally {
      this.readsUnobserved = outer;
    }
  }

  recordInsert(parent: Component, child: Component, index: number): void {
    this.removed.delete(child);
    this.ops.push({
      change: { kind: 'insert', parent, child, index },
      store: { op: 'insert', home: homeOf(parent), id: parent.id, child: child.id, index },
    });
  }

  recordRemove(parent: Component, child: Component): void {
    const home = homeOf(parent);
    if (child._s.stored && !child._s.scope) this.removed.set(child, home);
    this.ops.push({
      change: { kind: 'remove', parent, child },
      store: { op: 'remove', home, id: parent.id, child: child.id },
    });
  }

  /** How many children a component holds as this unit of work knows, if it knows. */
  private childrenOf(id: string): number | undefined {
    const s = this.loaded.get(id)?._s;
    return s?.children?.length ?? s?.childCount;
  }

  recordScope(component: Component): void {
    this.ops.push({ change: { kind: 'scope', component } });
  }

  // ---- commit ---------------------------------------------------------------------

  /** Commits and pushes every change so far; concurrent calls run one after another. */
  flush(): Promise<void> {
    return this.enqueue(true);
  }

  /**
   * The changes recorded so far are a tab's input (`origin`, its socket): they commit with
   * the next commit, whose patch lets that tab keep its own text rather than an echo of the
   * first `echoes` of them (all, unless told).
   */
  markTyped(origin: string | undefined, echoes = this.ops.length): void {
    const count = this.ops.length;
    this.typed = count > 0 ? { count, echoes: Math.min(echoes, count), origin } : undefined;
  }

  /**
   * Runs `apply`, which sets the values a tab typed, then lets bound components follow
   * them, and marks it all as that tab's input (see `markTyped`): the typing tab is spared
   * the echo of its own values, yet gets what the bindings changed.
   */
  applyTyped(origin: string | undefined, apply: () => void): void {
    let echoes = 0;
    this.bindings.holding(() => {
      apply();
      echoes = this.ops.length;
    });
    this.markTyped(origin, echoes);
  }

  /** Commits and pushes values a tab typed (see `markTyped`), and anything else recorded. */
  flushInput(socketId: string | undefined): Promise<void> {
    this.markTyped(socketId);
    return this.flush();
  }

  /**
   * Commits the typed values still waiting (see `markTyped`) by themselves, without
   * validation and without the event's receipt: for a handler that has not committed yet
   * (it sleeps first, returns without an update, or failed), so the tab's next event finds
   * them stored. Nothing when they were committed already.
   */
  storeTyped(): Promise<void> {
    // most events: nothing waits, and the tab's next event need not queue behind commits
    if (!this.typed) return Promise.resolve();
    const run = this.chain.then(() =>
      this.typed ? this.commit(true, 'typed').then(() => undefined) : undefined,
    );
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Commits every change so far without pushing it; tabs catch up on their next patch. */
  commitQuietly(): Promise<void> {
    return this.enqueue(false);
  }

  private enqueue(publish: boolean): Promise<void> {
    const run = this.chain.then(() => this.commit(publish).then(() => undefined));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * The next commit also marks this event as done, in the same atomic step, so a retry of
   * the event can never apply it again.
   */
  markDoneWithNextCommit(receipt: NonNullable<CommitRequest['receipt']>): void {
    this.receipt = receipt;
  }

  /** Whether the event receipt still waits for a commit to carry it. */
  get holdsReceipt(): boolean {
    return this.receipt !== undefined;
  }

  /** Drops changes not committed yet, except values a tab typed (see `storeTyped`). */
  discard(): void {
    this.ops = this.ops.slice(0, this.typed?.count ?? 0);
    this.roots.length = 0;
    this.removed.clear();
  }

  /** Whether anything waits to be committed. */
  get dirty(): boolean {
    return this.ops.length > 0 || this.roots.length > 0;
  }

  /**
   * Commits what was recorded; `only: 'typed'` commits the typed values alone (see
   * `storeTyped`), which a conflict elsewhere does not stop: they read nothing.
   */
  private async commit(publish: boolean, only?: 'typed'): Promise<boolean> {
    const typedOnly = only === 'typed';
    if (this.conflict && !typedOnly) throw this.conflict;
    const typed = this.typed;
    this.typed = undefined;
    const typedCount = Math.min(typed?.count ?? 0, this.ops.length);
    const roots = typedOnly ? [] : this.roots.splice(0);
    const ops = this.ops.splice(0, typedOnly ? typedCount : this.ops.length);
    const removedHomes = new Map(typedOnly ? [] : this.removed);
    const removed = [...removedHomes.keys()];
    if (!typedOnly) this.removed.clear();
    const created = typedOnly ? [] : [...this.adopted].filter((c) => this.isAttached(c, roots));
    if (created.length === 0 && ops.length === 0) return true;

    const rootMeta = new Map(roots.map((r) => [r.component, r.meta]));
    const storeOps: StoreOp[] = created.map((c) => ({
      op: 'create',
      home: homeOf(c),
      component: toStoredComponent(c, rootMeta.get(c)),
    }));
    for (const op of ops) {
      if (op.store?.op === 'insert') {
        const childrenAfter = this.childrenOf(op.store.id);
        storeOps.push(childrenAfter === undefined ? op.store : { ...op.store, childrenAfter });
      } else if (op.store) storeOps.push(op.store);
      if (op.change.kind === 'scope') storeOps.push(...movedToOwnScope(op.change.component));
    }
    for (const c of removed)
      if (!this.isAttached(c, roots))
        storeOps.push({
          op: 'delete',
          home: removedHomes.get(c) ?? homeOf(c),
          id: c.id,
          parts: partsOf(c),
        });

    const facts = {
      typed: typed && { count: Math.min(typed.echoes, typedCount), origin: typed.origin },
      created: new Set(created),
    };
    let changes = ops.map((op) => op.change);
    const claim = roots.find((r) => r.claim);
    const limited = roots.find((r) => r.maxSessionPages && typeof r.meta.session === 'string');
    const receipt = typedOnly ? undefined : this.receipt;
    const expect = this.validating && !typedOnly ? this.expectedVersions() : undefined;
    // A part of a property (a put or push) is right for tabs only on top of the stored value
    // it was made from: its scope is expected at the version where this copy of the property
    // is known to be the stored one, and the property is sent whole when there is none or
    // others changed the scope since.
    const partExpect: Record<string, number> = {};
    const unsure = new Set<string>();
    for (const [scope, props] of propKeysOf(changes, facts)) {
      if (expect?.[scope] !== undefined) continue;
      const base = this.inStepAt(scope, props);
      if (base === undefined) unsure.add(scope);
      else partExpect[scope] = base;
    }
    if (unsure.size > 0) changes = wholeIn(changes, unsure);
    const send = (patches: ScopePatch[], expected?: Record<string, number>) =>
      tracedCommit(this.store, {
        ops: storeOps,
        expect: expected,
        bump: patches.map((patch) => patch.s),
        claim: claim?.claim ? { name: claim.claim, id: claim.component.id } : undefined,
        receipt,
        ...this.limits,
        knownBytes: Object.fromEntries(this.scopeBytes),
        sessionPage: limited
          ? {
              session: String(limited.meta.session),
              pageId: limited.component.id,
              max: limited.maxSessionPages ?? 0,
            }
          : undefined,
        log: patchLog(patches),
      });
    let { patches, joins } = buildPatches(changes, facts);
    const withParts = Object.keys(partExpect).length > 0;
    let expected = withParts ? { ...expect, ...partExpect } : expect;
    let result = await send(patches, expected);
    if (!result.ok && 'conflict' in result && result.conflict in partExpect) {
      ({ patches, joins } = buildPatches(
        wholeIn(changes, new Set(Object.keys(partExpect))),
        facts,
      ));
      expected = expect;
      result = await send(patches, expected);
    }
    if (!result.ok && 'tooManyChildren' in result) {
      throw new PushpageError(
        'too-large',
        `component ${result.tooManyChildren} may hold at most ${this.limits.maxChildren} children; nothing was changed`,
      );
    }
    if (!result.ok && 'tooLarge' in result) {
      const what = this.loaded.get(result.tooLarge) instanceof WebPage ? 'page' : 'shared element';
      throw new PushpageError(
        'too-large',
        `${what} ${result.tooLarge} may hold at most ${this.limits.maxScopeBytes} bytes ` +
          '(maxScopeBytes), and this change would take it past that; nothing was changed',
      );
    }
    if (!result.ok && 'tooManyPages' in result) {
      throw new PushpageError(
        'rate-limited',
        `this session has ${limited?.maxSessionPages ?? 0} pages open, the most it may: close some tabs`,
      );
    }
    if (!result.ok && 'conflict' in result) {
      this.conflict = new PushpageError(
        'conflict',
        `scope ${result.conflict} changed while this ran; it runs again on the new state`,
      );
      throw this.conflict;
    }
    if (!result.ok && 'receiptLost' in result) {
      throw new PushpageError(
        'in-progress',
        'another server took this event over; its changes were not applied here',
      );
    }
    if (!result.ok) return false;
    if (receipt) this.receipt = undefined;
    for (const c of created)
      if (c._s.scope && !this.scopeVersions.has(c.id)) this.scopeVersions.set(c.id, 0);
    this.noteVersions(result.versions, expected, propKeysOf(changes));
    for (const [scope, bytes] of Object.entries(result.bytes ?? {}))
      this.scopeBytes.set(scope, bytes);
    if (!typedOnly) this.settled();
    for (const c of created) {
      c._s.stored = true;
      this.adopted.delete(c);
    }
    for (const c of removed) if (!this.isAttached(c, roots)) this.loaded.delete(c.id);
    if (!publish || !this.publisher) return true;
    const out = numberedPatches(patches, result.versions);
    if (out.length > 0 || joins.length > 0) tracedPublish(this.publisher, out, joins);
    return true;
  }

  /** The loaded versions of the scopes read; a scope whose version is unknown never matches. */
  private expectedVersions(): Record<string, number> {
    const expect: Record<string, number> = {};
    for (const id of this.readScopes) expect[id] = this.scopeVersions.get(id) ?? UNKNOWN;
    return expect;
  }

  /**
   * After a commit: a scope it raised is current here only if it was validated, or its new
   * version follows the loaded one (nobody else changed it in between). Of a scope that is not,
   * the properties this commit wrote are still known to be as stored, at its new version.
   */
  private noteVersions(
    versions: Record<string, number>,
    expect: Record<string, number> | undefined,
    written: Map<string, Set<string>>,
  ): void {
    for (const [id, version] of Object.entries(versions)) {
      const known = this.scopeVersions.get(id);
      const current = expect?.[id] !== undefined || (known !== undefined && known === version - 1);
      this.scopeVersions.set(id, current ? version : UNKNOWN);
      if (current) {
        this.propsInStep.delete(id);
        continue;
      }
      const before = this.propsInStep.get(id);
      const props = new Set(before?.at === version - 1 ? before.props : []);
      for (const prop of written.get(id) ?? []) props.add(prop);
      this.propsInStep.set(id, { at: version, props });
    }
  }

  /** The version at which these properties of a scope are as stored, if one is known. */
  private inStepAt(scope: string, props: ReadonlySet<string>): number | undefined {
    const version = this.scopeVersions.get(scope);
    if (version !== undefined && version !== UNKNOWN) return version;
    const inStep = this.propsInStep.get(scope);
    if (!inStep) return undefined;
    for (const prop of props) if (!inStep.props.has(prop)) return undefined;
    return inStep.at;
  }

  /** Whether a component hangs from something stored (or a new root), so it must be stored. */
  private isAttached(component: Component, roots: NewRoot[]): boolean {
    let c: Component | null = component;
    for (let depth = 0; c && depth < 10_000; depth++) {
      if (roots.some((r) => r.component === c)) return true;
      if (c._s.scope && c._s.stored) return true;
      if (c !== component && c._s.stored) return true;
      if (c._s.scope) return false;
      c = c._s.parent;
    }
    return false;
  }
}

/** A commit request to the store, in a `pushpage.commit` span saying whether it conflicted. */
function tracedCommit(store: TreeStore, request: CommitRequest): Promise<CommitResult> {
  const attributes = {
    [PUSHPAGE_SPAN_ATTRIBUTES.commitOps]: request.ops.length,
    [PUSHPAGE_SPAN_ATTRIBUTES.commitScopes]: request.bump.length,
  };
  return withSpan(PUSHPAGE_SPANS.commit, attributes, async (span) => {
    const result = await store.commit(request);
    span.setAttribute(PUSHPAGE_SPAN_ATTRIBUTES.commitConflict, !result.ok && 'conflict' in result);
    return result;
  });
}

/** Publishes a commit's patches in a `pushpage.publish` span. */
function tracedPublish(publisher: Publisher, patches: ScopePatch[], joins: ScopeJoin[]): void {
  const attributes = { [PUSHPAGE_SPAN_ATTRIBUTES.publishPatches]: patches.length };
  withSpanSync(PUSHPAGE_SPANS.publish, attributes, () => publisher.publish(patches, joins));
}

/** The id of the scope that holds a component (itself, for a page or shared element). */
function homeOf(component: Component): string {
  const scope = nearestScope(component);
  if (!scope) throw new Error(`component ${component.id} is not inside a page or shared element`);
  return scope.id;
}

/** A removed component and its descendants inside its scope, with their stored fields. */
function partsOf(root: Component): DeletedPart[] {
  const parts: DeletedPart[] = [];
  for (const c of walkScope(root)) {
    const fields = Object.keys(toStoredFields(c._s));
    parts.push({ id: c.id, fields: [...fields, 'dv'], hasDoc: c._s.props.get('collab') === true });
  }
  return parts;
}

/**
 * The store operations that move a stored component that became a scope (JustPy's
 * `add_page` on a component already on a page) out of the scope that held it into its own:
 * deleted there and created whole in its new scope, where tabs join it.
 */
function movedToOwnScope(component: Component): StoreOp[] {
  const parent = component._s.parent;
  const outer = parent ? nearestScope(parent) : null;
  if (!parent || !outer) return [];
  const ops: StoreOp[] = [];
  for (const c of walkScope(component)) {
    ops.push({ op: 'create', home: component.id, component: toStoredComponent(c) });
  }
  const parts = partsOf(component).map((part) => ({ ...part, hasDoc: false }));
  ops.push({ op: 'delete', home: outer.id, id: component.id, parts });
  const index = parent._s.children?.indexOf(component) ?? -1;
  ops.push({ op: 'remove', home: outer.id, id: parent.id, child: component.id });
  ops.push({ op: 'insert', home: outer.id, id: parent.id, child: component.id, index });
  return ops;
}

/** A component and its loaded descendants that are not scopes themselves. */
function* walkScope(root: Component): Generator<Component> {
  for (const c of walk(root)) if (c === root || !insideOtherScope(c, root)) yield c;
}

function insideOtherScope(c: Component, root: Component): boolean {
  for (let p: Component | null = c; p && p !== root; p = p._s.parent) if (p._s.scope) return true;
  return false;
}

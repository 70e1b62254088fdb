import { Inject, Injectable } from '@nestjs/common';
import { pageGone, PushpageError } from '../errors';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { MoreReply, MoreRequest, PageSnapshot, ScopePatch } from '../protocol';
import { PatchLogStore, PUSHPAGE_STORE, PushpageStore } from '../store/store';
import { accessOf } from '../model/serialize';
import { checkVisible, childrenOnPage, loadChildren, loadSnapshot } from './snapshot';

/** A tab further behind than this gets the whole page rather than what it missed. */
export const MAX_CATCH_UP_PATCHES = 200;

/**
 * The patches a tab missed while it was away, from the scopes' catch-up logs (see
 * `PatchLogStore.patchesSince`), in version order per scope; `null` when a whole page is the
 * better answer: a scope new to the tab or gone from the page, a tab ahead of the store, more
 * than {@link MAX_CATCH_UP_PATCHES} missed, or a log that no longer reaches back.
 */
export async function missedPatches(
  store: PatchLogStore,
  current: Record<string, number>,
  known: Record<string, number>,
): Promise<ScopePatch[] | null> {
  const behind = Object.entries(current).filter(([id, v]) => known[id] !== v);
  if (Object.keys(known).some((id) => current[id] === undefined)) return null;
  if (behind.some(([id, v]) => known[id] === undefined || known[id] > v)) return null;
  const missed = behind.reduce((sum, [id, v]) => sum + v - known[id], 0);
  if (missed > MAX_CATCH_UP_PATCHES) return null;
  const logs = await Promise.all(behind.map(([id, v]) => store.patchesSince(id, known[id], v)));
  if (logs.some((log) => log === null)) return null;
  return logs.flatMap((log) => (log ?? []).map((text) => JSON.parse(text) as ScopePatch));
}

/** A connected tab, as catching it up needs it (the socket edge gives it). */
export interface CatchUpTab {
  /** The tab's session; `null` without one. */
  readonly sessionId: string | null;
  /** The page the tab joined, if any. */
  readonly pageId: string | undefined;
  /** Makes `pageId` the tab's page and subscribes the tab to these scopes' patches. */
  show(pageId: string, scopes: string[]): Promise<void>;
  /** Counts a whole page against the tab's rate; throws `rate-limited` over it. */
  takeWholePage(): Promise<void>;
}

/** The answer to a join: nothing for a tab that is current, else what it missed or the page. */
export interface JoinReply {
  patches?: ScopePatch[];
  snapshot?: PageSnapshot;
}

/**
 * Brings a tab's page up to date: at a join (the patches it missed, or the whole page), at a
 * resync after a gap, and with the children a snapshot's window left out (`more`). A tab
 * subscribes to a page's scopes before they are read, so no patch falls in between.
 */
@Injectable()
export class TabCatchUp {
  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    @Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions,
  ) {}

  /** A tab joins a page (again), saying which versions it has. */
  async join(
    tab: CatchUpTab,
    pageId: string,
    versions: Record<string, number>,
  ): Promise<JoinReply> {
    // versions and access first (no fields read): a tab that is current needs no page
    const state = await this.store.pageState(pageId);
    if (!state) throw pageGone(pageId);
    checkVisible(accessOf(state.fields), pageId, tab.sessionId);
    if (tab.pageId && tab.pageId !== pageId) {
      throw new PushpageError('bad-request', 'this socket already shows another page');
    }
    await tab.show(pageId, Object.keys(state.versions));
    const current = Object.entries(state.versions);
    const upToDate =
      current.length === Object.keys(versions).length &&
      current.every(([id, v]) => versions[id] === v);
    if (upToDate) return {};
    const patches = await missedPatches(this.store, state.versions, versions);
    if (patches) return { patches };
    return { snapshot: await this.wholePage(tab, pageId) };
  }

  /** The whole page, for a tab that found a gap in its versions. */
  async resync(tab: CatchUpTab, pageId: string): Promise<PageSnapshot> {
    if (tab.pageId !== pageId)
      throw new PushpageError('forbidden', 'join the page before asking for it');
    return this.wholePage(tab, pageId);
  }

  /**
   * The children of a component of the tab's page from `from` on (`snapshotWindow` at a
   * time). Counts as a whole page: the page is read whole.
   */
  async more(tab: CatchUpTab, { pageId, componentId, from }: MoreRequest): Promise<MoreReply> {
    if (tab.pageId !== pageId)
      throw new PushpageError('forbidden', 'join the page before asking for its children');
    await tab.takeWholePage();
    const window = this.config.snapshotWindow;
    const loaded = await loadChildren(this.store, pageId, componentId, from, window);
    checkVisible(loaded, pageId, tab.sessionId);
    return childrenOnPage(loaded, pageId, componentId);
  }

  private async wholePage(tab: CatchUpTab, pageId: string): Promise<PageSnapshot> {
    await tab.takeWholePage();
    const loaded = await loadSnapshot(this.store, pageId, this.config.snapshotWindow);
    checkVisible(loaded, pageId, tab.sessionId);
    await tab.show(pageId, Object.keys(loaded.snapshot.versions));
    return loaded.snapshot;
  }
}

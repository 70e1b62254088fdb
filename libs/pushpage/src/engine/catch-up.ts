import { ScopePatch } from '../protocol';
import { PatchLogStore } from '../store/store';

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

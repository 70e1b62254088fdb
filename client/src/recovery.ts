import { PageTree } from './tree';
import { FormValue, UnusableReason } from './types';

/** Where a tab leaves what its user typed, for the page that loads after it. */
const SAVED_KEY = 'pushpage:recovery';
/** A reload for the same reason this soon after the last one shows the banner instead. */
const RELOAD_AGAIN_AFTER_MS = 20_000;
/** What the next page puts back only if it loads this soon after the reload. */
const RESTORE_WITHIN_MS = 60_000;
/** Long enough to read the banner before the page goes. */
const RELOAD_DELAY_MS = 800;

/** A form control's value, found again on the new page by its place in the tree. */
interface TypedValue {
  /** child indexes from the page root down to the control */
  path: number[];
  tag: string;
  value: FormValue;
}

/** What one page hands the next through the tab's session storage. */
interface Saved {
  url: string;
  reason: UnusableReason;
  reloadedAt: number;
  values: TypedValue[];
}

/** What a transport (socket or HTTP) tells the page around it when the server refuses. */
export interface RefusalHooks {
  /** An error for the user (a refused event, a failed handler). */
  error(message: string): void;
  /** The server refused the page itself (gone, session not recognised). */
  unusable(reason: UnusableReason, message: string): void;
}

/** What the tab tells its user about its page (see status.ts). */
export interface RecoveryView {
  /** The page cannot be used: a reason and whether the tab reloads by itself. */
  unusable(text: string, reloading: boolean): void;
  /** A note after a reload that recovered, shown until the user closes it. */
  notice(text: string): void;
}

const EXPLANATIONS: Record<UnusableReason, string> = {
  'page-gone': 'This page no longer exists on the server (it expired, or the server lost it).',
  'session-unknown': 'The server does not recognise this tab’s session.',
  'other-session': 'This page belongs to another session.',
};

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function readSaved(store: Storage): Saved | null {
  try {
    const saved = JSON.parse(store.getItem(SAVED_KEY) ?? 'null') as Saved | null;
    return saved && saved.url === location.href ? saved : null;
  } catch {
    return null;
  }
}

/**
 * What a tab does when the server says its page cannot be used (gone, or the session not
 * recognised): like a LiveView remount, it loads a fresh page by itself and puts back what
 * its user had typed into the same controls. It shows a banner with a Reload button instead
 * when reloading would lose typed text (no session storage) or when it reloaded for this
 * reason moments ago (the server keeps refusing: a reload loop helps nobody).
 */
export class PageRecovery {
  private handled = false;

  constructor(
    private readonly tree: PageTree,
    /** Ids of the controls this tab's user typed into. */
    private readonly typedInto: () => Iterable<string>,
    private readonly view: RecoveryView,
  ) {}

  /** The server refused the page for `reason`; `message` is its sentence. */
  unusable(reason: UnusableReason, message: string): void {
    if (this.handled) return;
    this.handled = true;
    console.warn(`pushpage: ${message}`);
    const store = storage();
    const values = this.typedValues();
    const previous = store && readSaved(store);
    const looping =
      previous?.reason === reason && Date.now() - previous.reloadedAt < RELOAD_AGAIN_AFTER_MS;
    const explanation = EXPLANATIONS[reason];
    if (!store || looping) {
      this.view.unusable(`${explanation} Reload the page to go on.`, false);
      return;
    }
    const saved: Saved = { url: location.href, reason, reloadedAt: Date.now(), values };
    store.setItem(SAVED_KEY, JSON.stringify(saved));
    this.view.unusable(`${explanation} Loading a fresh page…`, true);
    setTimeout(() => location.reload(), RELOAD_DELAY_MS);
  }

  /**
   * On a page loaded by a recovery: puts the typed values back through `put` (as if typed
   * again, so the server has them too) and tells the user what happened.
   */
  restore(put: (nodeId: string, value: FormValue) => void): void {
    const store = storage();
    const saved = store && readSaved(store);
    if (!saved || Date.now() - saved.reloadedAt > RESTORE_WITHIN_MS) return;
    // keep the reload time for the loop check, but never put the values back twice
    store?.setItem(SAVED_KEY, JSON.stringify({ ...saved, values: [] }));
    const lost: string[] = [];
    for (const typed of saved.values) {
      const id = this.nodeAt(typed.path);
      const node = id === undefined ? undefined : this.tree.nodes.get(id);
      if (node && node.t === typed.tag && node.v) put(node.i, typed.value);
      else lost.push(String(typed.value));
    }
    let text = `The page was loaded again: ${EXPLANATIONS[saved.reason]}`;
    if (saved.values.length > lost.length) text += ' What you had typed was put back.';
    if (lost.length > 0) text += ` This text had no place on the new page: “${lost.join('”, “')}”.`;
    this.view.notice(text);
  }

  private typedValues(): TypedValue[] {
    const paths = this.paths();
    const values: TypedValue[] = [];
    for (const id of this.typedInto()) {
      const node = this.tree.nodes.get(id);
      const path = paths.get(id);
      const value = node?.p.value as FormValue | undefined;
      if (!node || !path || value === undefined || value === null || value === '') continue;
      values.push({ path, tag: node.t, value });
    }
    return values;
  }

  /** Every node's place: child indexes from the root. */
  private paths(): Map<string, number[]> {
    const paths = new Map<string, number[]>([[this.tree.pageId, []]]);
    const queue = [this.tree.pageId];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const path = paths.get(id) ?? [];
      this.tree.nodes.get(id)?.k.forEach((child, index) => {
        if (paths.has(child)) return;
        paths.set(child, [...path, index]);
        queue.push(child);
      });
    }
    return paths;
  }

  private nodeAt(path: number[]): string | undefined {
    let id: string | undefined = this.tree.pageId;
    for (const index of path) id = id === undefined ? undefined : this.tree.nodes.get(id)?.k[index];
    return id;
  }
}

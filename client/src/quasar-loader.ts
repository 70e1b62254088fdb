import { App, shallowReactive } from 'vue';
import type { QuasarRuntime } from './quasar/setup';
import type { DocTransport } from './quasar/shared-doc';
import { ClientNode } from './types';

/** Quasar once loaded (reactive: views waiting for it render when it arrives). */
export const quasar = shallowReactive<{ runtime: QuasarRuntime | null }>({ runtime: null });

/** What loading Quasar needs from the page. */
export interface QuasarContext {
  app: App;
  assetBase: string;
  pageId: () => string;
  transport: DocTransport | null;
}

let context: QuasarContext | null = null;
let loading: Promise<QuasarRuntime> | null = null;

/** Whether a page needs Quasar: a Quasar page, or any `q-` component on it. */
export function usesQuasar(nodes: readonly ClientNode[]): boolean {
  return nodes[0]?.p.quasar === true || nodes.some((node) => node.t.startsWith('q-'));
}

/** Tells the loader about the page; call before the first {@link loadQuasar}. */
export function prepareQuasar(page: QuasarContext): void {
  context = page;
}

/** Loads Quasar's chunk and installs it (once). */
export function loadQuasar(): Promise<QuasarRuntime> {
  const page = context;
  if (!page) return Promise.reject(new Error('prepareQuasar was not called'));
  loading ??= import('./quasar/setup').then(({ setupQuasar }) => {
    const runtime = setupQuasar(page.app, page.assetBase, page.pageId, page.transport);
    quasar.runtime = runtime;
    return runtime;
  });
  return loading;
}

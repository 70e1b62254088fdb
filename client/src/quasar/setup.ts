import * as QuasarExports from 'quasar';
import { Dark, Quasar } from 'quasar';
import type { App, Component } from 'vue';
import { quasarStyleSheets } from '../../../libs/pushpage/src/protocol';
import { collabEditor } from './collab-editor';
import { DocRegistry, DocTransport } from './shared-doc';

/** What a page needs to render Quasar components. */
export interface QuasarRuntime {
  /** `q-btn` → QBtn, for every component Quasar exports. */
  components: Map<string, Component>;
  /** The collaborative `q-editor`. */
  collabEditor: Component;
  docs: DocRegistry;
  /** Turns Quasar's dark mode on or off. */
  setDark(on: boolean): void;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c, i: number) => (i > 0 ? '-' : '') + c.toLowerCase());
}

function isComponent(value: unknown): value is Component {
  return (
    typeof value === 'object' &&
    value !== null &&
    ('setup' in value || 'render' in value) &&
    'name' in value
  );
}

/** Loads Quasar's style sheets if the page did not (a Quasar component on a plain page). */
function ensureStyles(assetBase: string): void {
  for (const href of quasarStyleSheets(assetBase)) {
    if (document.querySelector(`link[href="${href}"]`)) continue;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.prepend(link);
  }
}

/** Installs Quasar into the page's Vue app; loaded on demand, in its own chunk. */
export function setupQuasar(
  app: App,
  assetBase: string,
  pageId: () => string,
  transport: DocTransport | null,
): QuasarRuntime {
  ensureStyles(assetBase);
  // not Quasar's Notify plugin: installed, it stopped typing in the collaborative editor
  app.use(Quasar, {});
  const components = new Map<string, Component>();
  for (const [name, value] of Object.entries(QuasarExports)) {
    if (/^Q[A-Z]/.test(name) && isComponent(value)) components.set(kebab(name), value);
  }
  const docs = new DocRegistry(pageId, transport);
  return {
    components,
    collabEditor: collabEditor(docs),
    docs,
    setDark: (on) => Dark.set(on),
  };
}

import { Injectable } from '@nestjs/common';
import {
  A,
  Button,
  Div,
  EventMessage,
  H1,
  H2,
  handler,
  Input,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  Span,
  WebPage,
} from 'pushpage';

/** What the demo keeps per browser session and per tab, for `msg.storage` to type-check. */
declare module 'pushpage' {
  interface UserStorage {
    /** The look the visitor chose, on every tab of the session. */
    theme: 'light' | 'dark';
  }
  interface TabStorage {
    /** Text kept by one tab, across its reloads. */
    draft: string;
  }
}

type StorageData = { theme: Span; draft: Input; shown: Span };
type Theme = 'light' | 'dark';

const BUTTON = 'bg-blue-600 hover:bg-blue-700 text-white font-semibold py-2 px-4 rounded mr-2';

/** A section's heading and what it shows. */
function section(parent: Div, title: string, text: string): void {
  new H2({ text: title, classes: 'text-2xl font-semibold mt-6 mb-2', parent });
  new P({ text, classes: 'text-gray-600 mb-2', parent });
}

function themeText(theme: Theme | undefined): string {
  return `Theme: ${theme ?? 'not chosen'}`;
}

/**
 * `/storage`: per-user and per-tab storage. The theme is kept for the browser session
 * (`msg.storage.user`): every tab of the browser sees it, on any replica, and the page shows
 * it when it is rendered (`req.storage.user`). The draft is kept for one tab
 * (`msg.storage.tab`): it survives a reload of that tab, and another tab has its own.
 */
@Injectable()
@PageRoute('/storage', { title: 'Per-user and per-tab storage' })
export class StoragePage implements PageRenderer {
  async render(req: PageRequest): Promise<WebPage> {
    const wp = new WebPage<StorageData>({ title: 'Storage', classes: 'min-h-screen bg-gray-50' });
    const main = new Div({ classes: 'max-w-2xl mx-auto p-8', parent: wp });
    new H1({
      text: 'Per-user and per-tab storage',
      classes: 'text-4xl font-bold text-gray-800 mb-4',
      parent: main,
    });

    section(
      main,
      'For this browser',
      'The theme is kept for your session: open this page in another tab, on any server.',
    );
    wp.data.theme = new Span({
      text: themeText(await req.storage.user.get('theme')),
      attrs: { id: 'theme' },
      classes: 'block text-lg mb-2',
      parent: main,
    });
    const row = new Div({ parent: main });
    for (const theme of ['light', 'dark'] as const) {
      new Button<{ theme: Theme }>({
        text: `Choose ${theme}`,
        attrs: { id: `theme-${theme}` },
        classes: BUTTON,
        data: { theme },
        click: this.chooseTheme,
        parent: row,
      });
    }
    new Button({
      text: 'Read the theme',
      attrs: { id: 'theme-read' },
      classes: BUTTON,
      click: this.readTheme,
      parent: row,
    });

    section(
      main,
      'For this tab',
      'The draft is kept for this tab: it is still here after a reload, and another tab has its own.',
    );
    wp.data.draft = new Input({
      attrs: { id: 'draft', 'aria-label': 'A draft for this tab' },
      classes: 'border rounded p-2 mr-2',
      maxLength: 200,
      parent: main,
    });
    new Button({
      text: 'Keep the draft',
      attrs: { id: 'draft-save' },
      classes: BUTTON,
      click: this.saveDraft,
      parent: main,
    });
    new Button({
      text: 'Read the draft',
      attrs: { id: 'draft-read' },
      classes: BUTTON,
      click: this.readDraft,
      parent: main,
    });
    wp.data.shown = new Span({
      text: '',
      attrs: { id: 'draft-shown' },
      classes: 'block text-lg mt-2',
      parent: main,
    });
    new A({ href: '/', text: 'All demos', classes: 'text-blue-700 block mt-6', parent: main });
    return wp;
  }

  readonly chooseTheme = handler(
    async (self: Button<{ theme: Theme }>, msg: EventMessage<StorageData>) => {
      const theme = self.data.theme ?? 'light';
      await msg.storage.user.set('theme', theme);
      const shown = msg.page.data.theme;
      if (shown) shown.text = themeText(theme);
    },
  );

  readonly readTheme = handler(async (_self: Button, msg: EventMessage<StorageData>) => {
    const shown = msg.page.data.theme;
    if (shown) shown.text = themeText(await msg.storage.user.get('theme'));
  });

  readonly saveDraft = handler(async (_self: Button, msg: EventMessage<StorageData>) => {
    const draft = msg.page.data.draft?.value ?? '';
    await msg.storage.tab.set('draft', draft);
    const shown = msg.page.data.shown;
    if (shown) shown.text = `Kept: ${draft}`;
  });

  readonly readDraft = handler(async (_self: Button, msg: EventMessage<StorageData>) => {
    const shown = msg.page.data.shown;
    const draft = await msg.storage.tab.get('draft');
    if (shown) shown.text = draft === undefined ? 'No draft in this tab' : `Draft: ${draft}`;
  });
}

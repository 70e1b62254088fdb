import { defineComponent, h, reactive } from 'vue';
import type { RecoveryView } from './recovery';

/** What the tab tells its user about the connection, its page and failed events. */
export const status = reactive({
  connected: true,
  everConnected: false,
  /** A page without a websocket is sending an event again that the server refused for now. */
  resending: false,
  /** Errors shown, newest last; `times` counts the same error shown again while it was up. */
  errors: [] as { id: number; text: string; times: number }[],
  /** The page cannot be used (see recovery.ts): why, and whether the tab reloads by itself. */
  unusable: null as { text: string; reloading: boolean } | null,
  /** What a recovery did, after the reload. */
  notice: null as string | null,
});

let nextErrorId = 1;
/** Long enough to read a sentence with a reference in it. */
export const ERROR_SHOWN_MS = 10_000;

/** At most this many errors are shown at once (a burst of refusals must not bury the page). */
export const MOST_ERRORS_SHOWN = 3;
const hideTimers = new Map<number, ReturnType<typeof setTimeout>>();

function hideLater(id: number): void {
  clearTimeout(hideTimers.get(id));
  hideTimers.set(
    id,
    setTimeout(() => {
      hideTimers.delete(id);
      const i = status.errors.findIndex((e) => e.id === id);
      if (i >= 0) status.errors.splice(i, 1);
    }, ERROR_SHOWN_MS),
  );
}

/**
 * Shows an error for a few seconds. The same error again while it is shown counts on the one
 * shown (and shows it for longer); the oldest error goes when too many are shown.
 */
export function showError(text: string): void {
  const shown = status.errors.find((e) => e.text === text);
  if (shown) {
    shown.times += 1;
    hideLater(shown.id);
    return;
  }
  const id = nextErrorId++;
  status.errors.push({ id, text, times: 1 });
  hideLater(id);
  while (status.errors.length > MOST_ERRORS_SHOWN) {
    const oldest = status.errors.shift();
    if (oldest) clearTimeout(hideTimers.get(oldest.id));
  }
}

/** The page recovery's banners, drawn by {@link StatusView}. */
export const recoveryView: RecoveryView = {
  unusable: (text, reloading) => (status.unusable = { text, reloading }),
  notice: (text) => (status.notice = text),
};

function button(label: string, onClick: () => void) {
  return h('button', { type: 'button', class: 'pushpage-banner-action', onClick }, label);
}

/** The banners and the error toasts, drawn over the page. */
export const StatusView = defineComponent({
  name: 'PushpageStatus',
  setup() {
    return () =>
      h('div', { class: 'pushpage-status' }, [
        status.unusable
          ? h('div', { class: 'pushpage-unusable', role: 'alert' }, [
              h('span', status.unusable.text),
              button('Reload', () => location.reload()),
            ])
          : null,
        status.notice
          ? h('div', { class: 'pushpage-notice', role: 'status' }, [
              h('span', status.notice),
              button('Close', () => (status.notice = null)),
            ])
          : null,
        !status.connected && status.everConnected && !status.unusable
          ? h(
              'div',
              { class: 'pushpage-offline', role: 'status' },
              'Connection lost — reconnecting…',
            )
          : null,
        status.resending && !status.unusable
          ? h(
              'div',
              { class: 'pushpage-resending', role: 'status' },
              'Server busy — sending again…',
            )
          : null,
        ...status.errors.map((e) =>
          h(
            'div',
            { class: 'pushpage-error', role: 'alert', key: e.id },
            e.times > 1 ? `${e.text} (×${e.times})` : e.text,
          ),
        ),
      ]);
  },
});

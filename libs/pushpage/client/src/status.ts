import { defineComponent, h, reactive } from 'vue';

/** What the tab tells its user about the connection and failed events. */
export const status = reactive({
  connected: true,
  everConnected: false,
  errors: [] as { id: number; text: string }[],
});

let nextErrorId = 1;

/** Shows an error for a few seconds. */
export function showError(text: string): void {
  const id = nextErrorId++;
  status.errors.push({ id, text });
  setTimeout(() => {
    const i = status.errors.findIndex((e) => e.id === id);
    if (i >= 0) status.errors.splice(i, 1);
  }, 6000);
}

/** The banner and the error toasts, drawn over the page. */
export const StatusView = defineComponent({
  name: 'PushpageStatus',
  setup() {
    return () =>
      h('div', { class: 'pushpage-status' }, [
        !status.connected && status.everConnected
          ? h(
              'div',
              { class: 'pushpage-offline', role: 'status' },
              'Connection lost — reconnecting…',
            )
          : null,
        ...status.errors.map((e) =>
          h('div', { class: 'pushpage-error', role: 'alert', key: e.id }, e.text),
        ),
      ]);
  },
});

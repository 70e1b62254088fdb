import { defineComponent, h, reactive } from 'vue';
import type { Notification } from './actions';

/** How long a notification shows unless the server says otherwise. */
export const NOTICE_SHOWN_MS = 5000;
/** At most this many notifications at once; the oldest goes. */
const MOST_NOTICES_SHOWN = 5;

interface Dialog {
  kind: 'alert' | 'confirm' | 'prompt';
  message: string;
  title?: string;
  value: string;
  close(answer: boolean): void;
}

type NotifyPosition = NonNullable<Notification['position']>;

/** Where toasts go, in the order their stacks are drawn. */
const POSITIONS: readonly NotifyPosition[] = [
  'top-left',
  'top',
  'top-right',
  'center',
  'bottom-left',
  'bottom',
  'bottom-right',
];

/** Quasar's colour classes for each kind of notification, as its own Notify uses them. */
const QUASAR_COLOURS: Record<NonNullable<Notification['type']> | 'default', string> = {
  default: 'bg-dark text-white',
  positive: 'bg-positive text-white',
  negative: 'bg-negative text-white',
  warning: 'bg-warning text-dark',
  info: 'bg-info text-white',
  ongoing: 'bg-grey-8 text-white',
};

/** The notifications and the dialog the page shows (see {@link NoticesView}). */
export const notices = reactive({
  shown: [] as (Notification & { id: number })[],
  dialogs: [] as Dialog[],
  /** Quasar pages draw toasts with Quasar's notification style. */
  quasarLook: false,
});

/** Toasts from now on look like Quasar's notifications (its style sheet is on the page). */
export function useQuasarLook(): void {
  notices.quasarLook = true;
}

let nextId = 1;

/** Shows a notification as a toast, for its timeout (0: until closed). */
export function showNotice(notification: Notification): void {
  const id = nextId++;
  notices.shown.push({ ...notification, id });
  while (notices.shown.length > MOST_NOTICES_SHOWN) notices.shown.shift();
  const ms = notification.timeout ?? NOTICE_SHOWN_MS;
  if (ms > 0) setTimeout(() => closeNotice(id), ms);
}

function closeNotice(id: number): void {
  const i = notices.shown.findIndex((n) => n.id === id);
  if (i >= 0) notices.shown.splice(i, 1);
}

/** Opens a dialog (after those already open); resolves with OK (`true`) or Cancel. */
export function openDialog(
  kind: Dialog['kind'],
  message: string,
  title?: string,
  value = '',
): Promise<{ ok: boolean; value: string }> {
  return new Promise((resolve) => {
    const dialog: Dialog = reactive({
      kind,
      message,
      title,
      value,
      close: (ok: boolean) => {
        const i = notices.dialogs.indexOf(dialog);
        if (i >= 0) notices.dialogs.splice(i, 1);
        resolve({ ok, value: dialog.value });
      },
    });
    notices.dialogs.push(dialog);
  });
}

function dialogView(dialog: Dialog) {
  const buttons = [
    h(
      'button',
      { type: 'button', class: 'pushpage-dialog-ok', onClick: () => dialog.close(true) },
      'OK',
    ),
  ];
  if (dialog.kind !== 'alert')
    buttons.unshift(
      h(
        'button',
        { type: 'button', class: 'pushpage-dialog-cancel', onClick: () => dialog.close(false) },
        'Cancel',
      ),
    );
  return h('div', { class: 'pushpage-dialog-backdrop' }, [
    h('div', { class: 'pushpage-dialog', role: 'dialog', 'aria-modal': 'true' }, [
      dialog.title ? h('div', { class: 'pushpage-dialog-title' }, dialog.title) : null,
      h('div', { class: 'pushpage-dialog-message' }, dialog.message),
      dialog.kind === 'prompt'
        ? h('input', {
            class: 'pushpage-dialog-input',
            value: dialog.value,
            autofocus: true,
            onInput: (e: Event) => (dialog.value = (e.target as HTMLInputElement).value),
            onKeydown: (e: KeyboardEvent) => e.key === 'Enter' && dialog.close(true),
          })
        : null,
      h('div', { class: 'pushpage-dialog-buttons' }, buttons),
    ]),
  ]);
}

function toastView(n: Notification & { id: number }) {
  const kind = n.type ?? 'default';
  const look = notices.quasarLook
    ? `q-notification q-notification--standard ${QUASAR_COLOURS[kind]}`
    : '';
  return h(
    'div',
    {
      key: n.id,
      class: `pushpage-notice-toast pushpage-notice-${kind} ${look}`,
      role: n.type === 'negative' ? 'alert' : 'status',
      onClick: () => closeNotice(n.id),
    },
    [
      h('div', n.message),
      n.caption ? h('div', { class: 'pushpage-notice-caption' }, n.caption) : null,
    ],
  );
}

/** The toasts, stacked where each asked to be, and the first open dialog, over the page. */
export const NoticesView = defineComponent({
  name: 'PushpageNotices',
  setup() {
    return () => [
      ...POSITIONS.map((position) => {
        const here = notices.shown.filter((n) => (n.position ?? 'bottom') === position);
        return here.length === 0
          ? null
          : h(
              'div',
              { key: position, class: `pushpage-notices pushpage-notices-${position}` },
              here.map(toastView),
            );
      }),
      notices.dialogs[0] ? dialogView(notices.dialogs[0]) : null,
    ];
  },
});

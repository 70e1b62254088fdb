import { defineComponent, h, inject, InjectionKey, PropType, ref, VNode } from 'vue';
import { acceptsFile, bytesText, cleanFileName } from '../../libs/pushpage/src/upload-rules';
import { tabId } from './tab-id';
import { LiveNode } from './tree';
import { UPLOAD_FIELDS } from '../../libs/pushpage/src/protocol';
import { ApiErrorBody, EventAnswer, UnusableReason } from './types';

/** What an upload needs of the page around it. */
export interface UploadPort {
  /** Where an upload to this component goes. */
  url(componentId: string): string;
  /** The tab's socket id, when it has a socket: the handler's actions go there. */
  socketId(): string | undefined;
  /** The answer of a tab without a socket: the page after the upload, and its actions. */
  answered(answer: EventAnswer): void;
  /** The page cannot be used any more (its session ended, it is gone). */
  unusable(reason: UnusableReason, message: string): void;
}

/** How the upload view finds its port (`app.provide`). */
export const UPLOAD_PORT: InjectionKey<UploadPort> = Symbol('pushpage:upload');

/** The limits an upload's node carries (the server checks them again). */
export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
  accept: readonly string[];
}

function limitsOf(node: LiveNode): UploadLimits {
  const p = node.p;
  return {
    maxBytes: typeof p.maxBytes === 'number' ? p.maxBytes : Infinity,
    maxFiles: typeof p.maxFiles === 'number' ? p.maxFiles : 1,
    accept: Array.isArray(p.accept)
      ? p.accept.filter((a): a is string => typeof a === 'string')
      : [],
  };
}

/**
 * Why these files would be refused, as the server would say it, or `undefined`: checked in
 * the tab before anything is sent, for the user's sake (the server checks again).
 */
export function uploadProblem(
  files: readonly Pick<File, 'name' | 'size' | 'type'>[],
  limits: UploadLimits,
): string | undefined {
  if (files.length === 0) return 'Choose a file first.';
  if (files.length > limits.maxFiles)
    return `this upload takes at most ${limits.maxFiles} file${limits.maxFiles === 1 ? '' : 's'} at a time`;
  for (const file of files) {
    const name = cleanFileName(file.name);
    const type = (file.type || 'application/octet-stream').toLowerCase();
    if (!acceptsFile(limits.accept, name, type))
      return `${name} (${type}) is not a type this upload takes: ${limits.accept.join(', ')}`;
    if (file.size > limits.maxBytes)
      return `${name} is over the upload's limit of ${bytesText(limits.maxBytes)}`;
  }
  return undefined;
}

async function errorOf(res: Response): Promise<Partial<ApiErrorBody> & { message: string }> {
  const body: unknown = await res.json().catch(() => null);
  if (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as ApiErrorBody).message === 'string'
  )
    return body as ApiErrorBody;
  return { message: `the server answered ${res.status}` };
}

/**
 * An upload (`Upload` on the server): a file input and a button that posts the chosen files
 * (with the tab's id and socket id) to the page's upload endpoint. What the upload refuses,
 * here or on the server, shows inside it.
 */
export const UploadView = defineComponent({
  name: 'PushpageUpload',
  props: {
    node: { type: Object as PropType<LiveNode>, required: true },
    attrs: { type: Object as PropType<Record<string, unknown>>, required: true },
  },
  setup(props) {
    const port = inject(UPLOAD_PORT);
    const input = ref<HTMLInputElement | null>(null);
    const chosen = ref<File[]>([]);
    const sending = ref(false);
    const error = ref('');
    const sent = ref('');

    const choose = () => {
      chosen.value = Array.from(input.value?.files ?? []);
      sent.value = '';
      error.value =
        chosen.value.length > 0 ? (uploadProblem(chosen.value, limitsOf(props.node)) ?? '') : '';
    };

    const send = async () => {
      const files = chosen.value;
      const problem = uploadProblem(files, limitsOf(props.node));
      if (problem) return void (error.value = problem);
      if (!port) return void (error.value = 'uploads are not available on this page');
      const form = new FormData();
      form.append(UPLOAD_FIELDS.tabId, tabId());
      const socketId = port.socketId();
      if (socketId) form.append(UPLOAD_FIELDS.socketId, socketId);
      for (const file of files) form.append(UPLOAD_FIELDS.file, file, file.name);
      sending.value = true;
      error.value = '';
      try {
        const res = await fetch(port.url(props.node.i), {
          method: 'POST',
          body: form,
          credentials: 'same-origin',
        });
        if (!res.ok) {
          const refusal = await errorOf(res);
          error.value = refusal.message;
          if (refusal.reason) port.unusable(refusal.reason, refusal.message);
          return;
        }
        sent.value = `Uploaded ${files.map((f) => cleanFileName(f.name)).join(', ')}`;
        chosen.value = [];
        if (input.value) input.value.value = '';
        if (res.status === 200) port.answered((await res.json()) as EventAnswer);
      } catch {
        error.value = 'The server could not be reached; try again.';
      } finally {
        sending.value = false;
      }
    };

    return (): VNode => {
      const p = props.node.p;
      const label = typeof p.label === 'string' ? p.label : 'Upload';
      const accept = limitsOf(props.node).accept;
      const children: VNode[] = [
        h('input', {
          ref: input,
          type: 'file',
          class: 'pushpage-upload-input',
          multiple: p.multiple === true,
          accept: accept.length > 0 ? accept.join(',') : undefined,
          'aria-label': label,
          disabled: sending.value,
          onChange: choose,
        }),
        h(
          'button',
          {
            type: 'button',
            class: 'pushpage-upload-send',
            disabled: sending.value || chosen.value.length === 0,
            onClick: () => void send(),
          },
          sending.value ? 'Uploading…' : label,
        ),
      ];
      if (error.value)
        children.push(h('span', { class: 'pushpage-upload-error', role: 'alert' }, error.value));
      else if (sent.value)
        children.push(h('span', { class: 'pushpage-upload-sent', role: 'status' }, sent.value));
      return h(
        'div',
        {
          ...props.attrs,
          class: ['pushpage-upload', props.attrs.class],
          'data-uploading': sending.value || undefined,
        },
        children,
      );
    };
  },
});

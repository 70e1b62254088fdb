import { QEditor } from 'quasar';
import * as Y from 'yjs';
import { defineComponent, h, nextTick, onBeforeUnmount, PropType, ref, watch } from 'vue';
import { sanitizeHtml } from '../safe-html';
import { LiveNode } from '../tree';
import { caretIndex, renderWithCaret } from './caret';
import { DocRegistry } from './shared-doc';
import { KITCHEN_SINK } from './toolbar';

type EditorInstance = { getContentEl(): Element };

/**
 * A `q-editor` bound to a collaborative document. Typing turns into document edits; edits
 * from other tabs are rendered in place, and the caret stays on the character it was next to.
 *
 * The document is user input: the editor renders only its sanitized HTML (`sanitizeHtml`,
 * which never lets the browser parse an event-handler attribute).
 */
export function collabEditor(docs: DocRegistry) {
  return defineComponent({
    name: 'PushpageCollabEditor',
    props: {
      node: { type: Object as PropType<LiveNode>, required: true },
      attrs: { type: Object as PropType<Record<string, unknown>>, required: true },
    },
    setup(props) {
      const shared = docs.open(props.node.i, props.node.p.doc as string | undefined);
      const html = ref(sanitizeHtml(shared.toString()));
      const editor = ref<EditorInstance | null>(null);
      /** The caret during a remote change, tied to the character before it. */
      let caret: Y.RelativePosition | null = null;

      const contentEl = (): HTMLElement | null =>
        (editor.value?.getContentEl() as HTMLElement | undefined) ?? null;

      shared.view = {
        beforeRemote() {
          const el = contentEl();
          const index = el ? caretIndex(el) : null;
          caret =
            index === null ? null : Y.createRelativePositionFromTypeIndex(shared.text, index, -1);
        },
        afterRemote() {
          const text = shared.toString();
          const safe = sanitizeHtml(text);
          const at = caret
            ? (Y.createAbsolutePositionFromRelativePosition(caret, shared.doc)?.index ?? null)
            : null;
          caret = null;
          html.value = safe;
          void nextTick(() => {
            const el = contentEl();
            if (!el) return;
            if (at !== null) renderWithCaret(el, safe, at);
            // Markup the browser rewrites (or the sanitizer removed) goes back into the
            // document, so every tab holds what it shows.
            if (el.innerHTML !== text) {
              html.value = el.innerHTML;
              shared.edit(el.innerHTML);
            }
          });
        },
      };

      watch(
        () => props.node.p.doc,
        (state) => {
          if (typeof state === 'string') docs.open(props.node.i, state);
        },
      );
      onBeforeUnmount(() => {
        shared.view = null;
      });

      const onInput = (value: string) => {
        html.value = value;
        shared.edit(value);
      };

      return () => {
        const p = props.node.p;
        const toolbarProps = p.kitchenSink === true ? KITCHEN_SINK : {};
        return h(QEditor, {
          ...toolbarProps,
          ...props.attrs,
          ref: editor,
          modelValue: html.value,
          readonly: !shared.editable || props.attrs.readonly === true,
          'onUpdate:modelValue': onInput,
        });
      };
    },
  });
}

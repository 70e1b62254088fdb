import { Component, ComponentData, ComponentOptions } from './component';
import { HandlerFor } from './handler-ref';
import { UPLOAD_TAG } from '../protocol';
import { acceptItemProblem, MAX_ACCEPT_ITEMS, MAX_UPLOAD_FILES } from '../upload-rules';

/** The largest file an {@link Upload} takes unless its `maxBytes` says otherwise: 10 MiB. */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** A file an upload stored, as its `upload` handler gets it in `msg.files`. */
export interface UploadedFile {
  /** Where the upload storage keeps it (random): `storage.open(key)` reads it back. */
  readonly key: string;
  /** Its name as the browser gave it, without any path: metadata to show, never a path. */
  readonly name: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Its MIME type as the browser declared it (`application/octet-stream` when it gave none). */
  readonly type: string;
}

/** Options of {@link Upload}. */
export interface UploadOptions<D extends ComponentData = ComponentData, S = Upload<D>> extends Omit<
  ComponentOptions<D, S>,
  'innerHtml' | 'unsafeInnerHtml' | 'debounce' | 'throttle'
> {
  /** What runs once the files are stored, with the upload as `self` and the files in `msg.files`. */
  upload: HandlerFor<S, 'upload'>;
  /** The largest file taken, in bytes. Default {@link DEFAULT_UPLOAD_MAX_BYTES}. */
  maxBytes?: number;
  /** The most files taken in one go, 1 to {@link MAX_UPLOAD_FILES}. Default 10 if `multiple`, else 1. */
  maxFiles?: number;
  /** Name endings (`.csv`) and MIME types (`text/csv`, `image/*`) taken; empty (default) takes any. */
  accept?: readonly string[];
  /** Whether the user may choose several files. Default: whether `maxFiles` is above 1. */
  multiple?: boolean;
  /** The text of the button that sends the chosen files. Default `Upload`. */
  label?: string;
}

/**
 * A file upload (NiceGUI's `ui.upload`, Quasar's `q-uploader`): a file input and a button in
 * every tab. Chosen files go to the server over HTTP, never through the socket, streamed to the
 * app's upload storage (memory by default; see the `uploadDirectory` and `uploadStorage`
 * options). Once all of them are stored, its `upload` handler runs with `msg.files` (key, name,
 * size, type), on the replica that received them, as any event does: its changes reach every
 * tab, and `msg.client` reaches the tab that sent the files, on whichever replica it is.
 *
 * Its limits are stored with it, so every replica enforces the same: a file over `maxBytes`
 * is refused `413`, one `accept` does not list `415`, more than `maxFiles` `400`. A refused
 * upload stores nothing, and the tab shows why. The handler owns the files it gets: keep the
 * keys, or delete what it does not need (`storage.delete(key)`). Tabs cannot send its
 * `upload` event themselves.
 *
 * ```ts
 * new Upload({ accept: ['.csv', 'text/csv'], maxBytes: 1_000_000, upload: this.imported, parent: main });
 * ```
 */
export class Upload<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Upload';
  static override readonly tag: string = UPLOAD_TAG;
  /** @internal Events only the server raises: a tab sending one is refused. */
  static override readonly serverEvents: readonly string[] = ['upload'];

  constructor(options: UploadOptions<D>) {
    const { upload, maxBytes, maxFiles, accept, multiple, label, ...rest } = options;
    super(rest as ComponentOptions<D, Upload<D>>);
    const several = multiple ?? (maxFiles ?? 1) > 1;
    this.multiple = several;
    this.maxFiles = maxFiles ?? (several ? 10 : 1);
    this.maxBytes = maxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
    if (accept !== undefined) this.accept = accept;
    if (label !== undefined) this.label = label;
    this.on('upload', upload);
  }

  /** The largest file taken, in bytes. */
  get maxBytes(): number {
    return this.getProp('maxBytes') as number;
  }
  set maxBytes(bytes: number) {
    if (!Number.isSafeInteger(bytes) || bytes < 1)
      throw new RangeError(
        `an upload's maxBytes must be a whole number of bytes, 1 or more, not ${bytes}`,
      );
    this.setProp('maxBytes', bytes);
  }

  /** The most files taken in one go (1 unless {@link Upload.multiple}). */
  get maxFiles(): number {
    return this.getProp('maxFiles') as number;
  }
  set maxFiles(count: number) {
    if (!Number.isInteger(count) || count < 1 || count > MAX_UPLOAD_FILES)
      throw new RangeError(
        `an upload's maxFiles must be a whole number from 1 to ${MAX_UPLOAD_FILES}, not ${count}`,
      );
    if (count > 1 && !this.multiple)
      throw new RangeError('an upload takes more than one file only with multiple: true');
    this.setProp('maxFiles', count);
  }

  /** Name endings and MIME types taken; empty takes any. */
  get accept(): readonly string[] {
    return (this.getProp('accept') as string[] | undefined) ?? [];
  }
  set accept(items: readonly string[]) {
    if (!Array.isArray(items) || items.length > MAX_ACCEPT_ITEMS)
      throw new RangeError(
        `an upload's accept must be a list of at most ${MAX_ACCEPT_ITEMS} items`,
      );
    for (const item of items) {
      const problem = acceptItemProblem(item);
      if (problem) throw new RangeError(problem);
    }
    this.setProp('accept', items.length > 0 ? [...items] : undefined);
  }

  /** Whether the user may choose several files; turning it off makes {@link Upload.maxFiles} 1. */
  get multiple(): boolean {
    return this.getProp('multiple') === true;
  }
  set multiple(several: boolean) {
    this.setProp('multiple', several ? true : undefined);
    if (!several && (this.getProp('maxFiles') as number | undefined) !== undefined)
      this.setProp('maxFiles', 1);
  }

  /** The text of the button that sends the chosen files. */
  get label(): string {
    return (this.getProp('label') as string | undefined) ?? 'Upload';
  }
  set label(text: string) {
    this.setProp('label', text === 'Upload' ? undefined : String(text));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  A,
  defineShared,
  Div,
  EventMessage,
  H1,
  handler,
  Li,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  PUSHPAGE_UPLOAD_STORAGE,
  Ul,
  Upload,
  UploadStorage,
  WebPage,
} from 'pushpage';

/** The largest file the demo takes: small, so that a refusal is easy to see. */
export const DEMO_UPLOAD_MAX_BYTES = 2048;
/** How many files the list shows; older ones are deleted from the storage as they leave it. */
const KEPT = 20;

/** The uploaded files, newest first, on every tab of every page of `/upload`. */
export const UPLOADED_FILES = defineShared(
  'demo:uploaded-files',
  () => new Ul({ attrs: { id: 'uploaded' }, classes: 'list-disc ml-6 mt-4' }),
);

function sizeText(bytes: number): string {
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/**
 * `/upload`: an upload of small text files (2 kB at most, `.txt` or `.csv`). Each upload's
 * handler lists the files in a shared list every tab shows, on any replica, and tells the tab
 * that sent them; a file over the limit, or of another type, is refused and shows why.
 */
@Injectable()
@PageRoute('/upload', { title: 'Upload' })
export class UploadPage implements PageRenderer {
  constructor(@Inject(PUSHPAGE_UPLOAD_STORAGE) private readonly storage: UploadStorage) {}

  async render(req: PageRequest): Promise<WebPage> {
    const wp = new WebPage({ title: 'Upload', classes: 'min-h-screen bg-gray-50' });
    const main = new Div({ classes: 'max-w-2xl mx-auto p-8', parent: wp });
    new H1({ text: 'Upload', classes: 'text-4xl font-bold text-gray-800 mb-4', parent: main });
    new P({
      text:
        `Text files (.txt, .csv) of at most ${DEMO_UPLOAD_MAX_BYTES} bytes, up to three at a ` +
        'time. Every tab of this page sees what anyone uploads.',
      classes: 'text-gray-600 mb-4',
      parent: main,
    });
    new Upload({
      attrs: { id: 'upload' },
      maxBytes: DEMO_UPLOAD_MAX_BYTES,
      maxFiles: 3,
      accept: ['.txt', '.csv', 'text/plain', 'text/csv'],
      label: 'Upload',
      upload: this.uploaded,
      parent: main,
    });
    const list = await req.shared(UPLOADED_FILES);
    main.add(list);
    list.addPage(wp);
    new A({ href: '/', text: 'All demos', classes: 'text-blue-700 block mt-6', parent: main });
    return wp;
  }

  readonly uploaded = handler(async (_self: Upload, msg: EventMessage) => {
    const list = await msg.shared(UPLOADED_FILES);
    for (const file of msg.files) {
      list.addComponent(
        new Li<{ key: string }>({
          text: `${file.name} (${sizeText(file.size)})`,
          data: { key: file.key },
        }),
        0,
      );
    }
    await list.update();
    msg.client.notify(`Stored ${msg.files.map((f) => f.name).join(', ')}`, { type: 'positive' });
    // the list keeps the newest; the files that leave it leave the storage too
    if ((list.childCount ?? 0) > KEPT + 5) {
      const old = (await list.loadChildren()).slice(KEPT);
      for (const item of old) list.remove(item);
      await list.update();
      await Promise.all(
        old.map((item) => {
          const key = (item as Li<{ key?: string }>).data.key;
          return key === undefined ? undefined : this.storage.delete(key);
        }),
      );
    }
  });
}

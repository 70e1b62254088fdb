/**
 * Uploads over HTTP with a real app: files stream to the upload storage within the Upload's
 * limits and raise its `upload` event; every refusal (413, 415, 400, 403, 404) stores nothing.
 */
import { Injectable, Module } from '@nestjs/common';
import {
  Div,
  EventMessage,
  handler,
  MemoryUploadStorage,
  PageRenderer,
  PageRoute,
  PushpageModule,
  Upload,
  WebPage,
} from 'pushpage';
import { createTestingApp, PushpageTestClient, TestingApp, TestPage } from 'pushpage/testing';

type Out = { out: Div };

@Injectable()
@PageRoute('/files')
class FilesPage implements PageRenderer {
  readonly uploaded = handler((self: Upload, msg: EventMessage<Out>) => {
    const out = msg.page.data.out;
    if (self.attrs.id === 'failing') throw new Error('the handler broke');
    if (out)
      out.text = msg.files.map((f) => `${f.name}:${f.size}:${f.type}:${f.key.length}`).join(' ');
    msg.client.notify(`got ${msg.files.length}`);
  });

  render(): WebPage {
    const page = new WebPage<Out>();
    page.data.out = new Div({ text: 'none', attrs: { id: 'out' }, parent: page });
    new Upload({
      attrs: { id: 'upload' },
      maxBytes: 100,
      maxFiles: 2,
      accept: ['.txt', 'text/csv'],
      upload: this.uploaded,
      parent: page,
    });
    new Upload({ attrs: { id: 'failing' }, upload: this.uploaded, parent: page });
    new Div({ attrs: { id: 'plain' }, parent: page });
    return page;
  }
}

/** Starts reading a file a moment late, as a storage that prepares first (a directory, a bucket). */
class LateStorage extends MemoryUploadStorage {
  override async put(...args: Parameters<MemoryUploadStorage['put']>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return super.put(...args);
  }
}

const storage = new LateStorage();

@Module({
  imports: [PushpageModule.forRoot({ pageRateLimit: 1000, uploadStorage: storage })],
  providers: [FilesPage],
})
class UploadModule {}

interface Part {
  name: string;
  bytes: number;
  type?: string;
}

function form(files: readonly Part[], fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  for (const file of files)
    body.append('files', new Blob(['x'.repeat(file.bytes)], { type: file.type ?? '' }), file.name);
  return body;
}

describe('uploads over HTTP', () => {
  let testing: TestingApp;
  let client: PushpageTestClient;
  let page: TestPage;

  beforeAll(async () => {
    testing = await createTestingApp(UploadModule, { logger: false });
    client = testing.client();
  });
  beforeEach(async () => {
    page = await client.open('/files');
  });
  afterAll(() => testing.close());

  async function post(
    body: FormData | string,
    options: { to?: string; pageId?: string; cookie?: string; type?: string } = {},
  ): Promise<{ status: number; json: Record<string, unknown> | null }> {
    const componentId = options.to ?? page.byId('upload').id;
    const res = await fetch(
      `${testing.url}/api/pages/${options.pageId ?? page.pageId}/uploads/${componentId}`,
      {
        method: 'POST',
        headers: {
          cookie: options.cookie ?? client.cookie,
          origin: testing.url,
          ...(options.type ? { 'content-type': options.type } : {}),
        },
        body,
      },
    );
    const text = await res.text();
    return {
      status: res.status,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    };
  }

  async function refused(
    answer: Promise<{ status: number; json: Record<string, unknown> | null }>,
    status: number,
    code: string,
    message: RegExp,
  ): Promise<void> {
    const before = storage.size;
    const { status: got, json } = await answer;
    expect({ status: got, code: json?.code }).toEqual({ status, code });
    expect(json?.message).toMatch(message);
    expect(storage.size).toBe(before);
    await page.refresh();
    expect(page.text('out')).toBe('none');
  }

  it('stores the files, runs the upload handler with them and answers the page', async () => {
    const before = storage.size;
    const { status, json } = await post(
      form(
        [
          { name: 'a.txt', bytes: 100, type: 'text/plain' },
          { name: 'C:\\fakepath\\b.csv', bytes: 3, type: 'text/csv' },
        ],
        { tabId: 'tab-1' },
      ),
    );
    expect(status).toBe(200);
    expect(json?.actions).toEqual([{ do: 'notify', message: 'got 2' }]);
    await page.refresh();
    expect(page.text('out')).toBe('a.txt:100:text/plain:24 b.csv:3:text/csv:24');
    expect(storage.size).toBe(before + 2);
  });

  it('refuses a file over maxBytes with 413, while it streams and from its declared size', async () => {
    await refused(
      post(
        form([
          { name: 'ok.txt', bytes: 10 },
          { name: 'big.txt', bytes: 101 },
        ]),
      ),
      413,
      'too-large',
      /over the upload's limit of 100 B/,
    );
    await refused(
      post(form([{ name: 'huge.txt', bytes: 1024 * 1024 }])),
      413,
      'too-large',
      /over its limit/,
    );
  });

  it('refuses a type the upload does not accept with 415', async () => {
    await refused(
      post(
        form([
          { name: 'a.txt', bytes: 5 },
          { name: 'pic.png', bytes: 5, type: 'image/png' },
        ]),
      ),
      415,
      'unsupported-type',
      /pic\.png \(image\/png\) is not a type this upload takes: \.txt, text\/csv/,
    );
  });

  it('refuses too many files, no file, unknown fields and other bodies with 400', async () => {
    const three = [1, 2, 3].map((n) => ({ name: `${n}.txt`, bytes: 1 }));
    await refused(post(form(three)), 400, 'bad-request', /at most 2 files/);
    await refused(post(form([])), 400, 'bad-request', /no file/);
    await refused(
      post(form([{ name: 'a.txt', bytes: 1 }], { other: 'x' })),
      400,
      'bad-request',
      /no field named other/,
    );
    await refused(
      post(form([{ name: 'a.txt', bytes: 1 }], { tabId: 'a/b' })),
      400,
      'bad-request',
      /tabId must be/,
    );
    await refused(
      post('{}', { type: 'application/json' }),
      400,
      'bad-request',
      /multipart\/form-data/,
    );
  });

  it('refuses another session’s page with 403 and unknown targets with 404', async () => {
    const file = () => form([{ name: 'a.txt', bytes: 1 }]);
    const other = testing.client();
    await other.open('/files');
    await refused(post(file(), { cookie: other.cookie }), 403, 'forbidden', /another session/);
    await refused(post(file(), { pageId: 'no-such-page' }), 404, 'not-found', /does not exist/);
    await refused(post(file(), { to: page.byId('plain').id }), 404, 'not-found', /not an upload/);
    await refused(post(file(), { to: 'nothing' }), 404, 'not-found', /not on page/);
  });

  it('ignores a socket id that is not a tab of the page: actions come in the answer', async () => {
    const { status, json } = await post(
      form([{ name: 'a.txt', bytes: 1 }], { socketId: 'someone-elses-socket' }),
    );
    expect(status).toBe(200);
    expect(json?.actions).toEqual([{ do: 'notify', message: 'got 1' }]);
  });

  it('deletes the files when the handler fails', async () => {
    const before = storage.size;
    const { status, json } = await post(form([{ name: 'a.bin', bytes: 5 }]), {
      to: page.byId('failing').id,
    });
    expect({ status, code: json?.code }).toEqual({ status: 500, code: 'handler-failed' });
    expect(storage.size).toBe(before);
  });

  it('does not let a tab raise the upload event itself', async () => {
    const res = await fetch(`${testing.url}/api/pages/${page.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: client.cookie, origin: testing.url },
      body: JSON.stringify({ componentId: page.byId('upload').id, type: 'upload' }),
    });
    expect(res.status).toBe(422);
    await page.refresh();
    expect(page.text('out')).toBe('none');
  });
});

/**
 * The walk-through of docs/rest.md, driven by a client typed from the live OpenAPI document:
 * openapi-typescript writes `./schema` beside this file (test/integration/openapi-client.spec.ts
 * does, in a temporary folder), `tsc` checks this program against it, and it runs against the
 * app at `BASE`. It prints one line per step and throws at the first surprise.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type Node = components['schemas']['PageViewNodeDto'];
type FormValue = components['schemas']['ValueDto']['value'];

const client = createClient<paths>({ baseUrl: process.env.BASE });

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`not as documented: ${what}`);
}

function nodes(node: Node): Node[] {
  return [node, ...(node.children ?? []).flatMap(nodes)];
}

function only(tree: Node, tag: string): Node {
  const found = nodes(tree).filter((n) => n.tag === tag);
  check(found.length > 0, `a ${tag} on the page`);
  return found[0];
}

async function main(): Promise<void> {
  // open: 201, the session cookie and an ETag
  const opened = await client.POST('/api/pages', {
    body: { route: '/quasar', query: { num: '3' } },
  });
  check(opened.response.status === 201 && opened.data !== undefined, 'createPage answers 201');
  const cookie = (opened.response.headers.get('set-cookie') ?? '').split(';')[0];
  check(cookie.startsWith('pp_session='), 'createPage sets the session cookie');
  check(/^W\/"[0-9a-f]{16}"$/.test(opened.response.headers.get('etag') ?? ''), 'an ETag');
  const page = opened.data!;
  const pageId = page.pageId;
  const headers = { cookie };
  console.log(`opened ${page.tree.tag} version ${page.version}`);

  // an event with each kind of value: a number, a boolean, text, null and a list
  const sent: [string, FormValue][] = [
    ['q-slider', 3],
    ['q-toggle', true],
    ['q-input', 'Ada'],
    ['q-select', null],
    ['q-table', []],
  ];
  let version = page.version;
  for (const [tag, value] of sent) {
    const control = only(page.tree, tag);
    check(control.valueEvent !== undefined, `${tag} has a value event`);
    const answer = await client.POST('/api/pages/{pageId}/events', {
      params: { path: { pageId } },
      headers,
      body: { componentId: control.id, type: control.valueEvent!, value, eventId: `e-${tag}` },
    });
    const status = answer.response.status;
    check(status === 200 || status === 204, `sendEvent ${tag} answers 200 or 204, not ${status}`);
    if (answer.data) {
      check(answer.data.version >= version, 'the version does not go back');
      version = answer.data.version;
    }
    console.log(`event ${tag} ${JSON.stringify(value)}: ${status}`);
  }

  // read, then poll with the ETag: 304 and no body
  const read = await client.GET('/api/pages/{pageId}', { params: { path: { pageId } }, headers });
  check(read.response.status === 200 && read.data?.pageId === pageId, 'getPage answers 200');
  const etag = read.response.headers.get('etag') ?? '';
  const summary = nodes(read.data!.tree).find(
    (n) => n.props.attrs && JSON.stringify(n.props.attrs).includes('order-summary'),
  );
  check(
    String(summary?.props.text).startsWith('3 × null, classic crust + cheese'),
    'the values applied',
  );
  const polled = await client.GET('/api/pages/{pageId}', {
    params: { path: { pageId }, header: { 'If-None-Match': etag } },
    headers,
  });
  console.log(`poll: ${polled.response.status}`);

  // mistakes get the documented error body, and change nothing
  const slider = only(page.tree, 'q-slider');
  const refused = await client.POST('/api/pages/{pageId}/events', {
    params: { path: { pageId } },
    headers,
    body: { componentId: slider.id, type: 'keydown' },
  });
  check(refused.response.status === 422 && refused.error?.code === 'not-listening', '422');
  console.log(`refused: ${refused.response.status} ${refused.error?.code}`);
  const invalid = await client.POST('/api/pages', { body: { route: 'quasar' } });
  check(invalid.response.status === 400 && invalid.error?.code === 'bad-request', '400 route');
  console.log(`invalid: ${invalid.response.status} ${invalid.error?.code}`);
  const badId = await client.GET('/api/pages/{pageId}', {
    params: { path: { pageId: 'not.an.id' } },
  });
  console.log(`bad id: ${badId.response.status} ${badId.error?.code}`);

  // files to an Upload, as multipart: stored and handled, or refused by type
  const uploads = await client.POST('/api/pages', { body: { route: '/upload' } });
  const uploadPage = uploads.data!;
  const upload = only(uploadPage.tree, 'pushpage-upload');
  const sessionOfUploads = {
    cookie: (uploads.response.headers.get('set-cookie') ?? '').split(';')[0],
  };
  const asFiles = (name: string, type: string) => (body: { files: string[] }) => {
    const form = new FormData();
    for (const text of body.files) form.append('files', new Blob([text], { type }), name);
    return form;
  };
  const inUpload = { path: { pageId: uploadPage.pageId, componentId: upload.id } };
  const stored = await client.POST('/api/pages/{pageId}/uploads/{componentId}', {
    params: inUpload,
    headers: sessionOfUploads,
    body: { files: ['a line of text'] },
    bodySerializer: asFiles('note.txt', 'text/plain'),
  });
  const told = stored.data?.actions?.find((action) => action.do === 'notify')?.message;
  console.log(`upload: ${stored.response.status} ${told}`);
  const image = await client.POST('/api/pages/{pageId}/uploads/{componentId}', {
    params: inUpload,
    headers: sessionOfUploads,
    body: { files: ['not really a picture'] },
    bodySerializer: asFiles('photo.png', 'image/png'),
  });
  console.log(`upload refused: ${image.response.status} ${image.error?.code}`);

  // close it: 204, then it is gone
  const closed = await client.DELETE('/api/pages/{pageId}', {
    params: { path: { pageId } },
    headers,
  });
  console.log(`delete: ${closed.response.status}`);
  const gone = await client.GET('/api/pages/{pageId}', { params: { path: { pageId } }, headers });
  console.log(`gone: ${gone.response.status} ${gone.error?.reason}`);
}

type EventBody = components['schemas']['ApiEventDto'];
const inPage = { params: { path: { pageId: 'p' } } };

/** Never called: each statement is a mistake the generated types must refuse. */
export function refusedByTheTypes(): void {
  // @ts-expect-error query values are text
  void client.POST('/api/pages', { body: { route: '/', query: { num: 3 } } });
  // @ts-expect-error route is required
  void client.POST('/api/pages', { body: { query: {} } });
  // @ts-expect-error a value is not an object
  const objectValue: EventBody = { componentId: 'c', type: 'input', value: { a: 1 } };
  // @ts-expect-error event properties have their types
  const textCtrlKey: EventBody = { componentId: 'c', type: 'keydown', event: { ctrlKey: 'yes' } };
  // @ts-expect-error an event names its component
  const noComponent: EventBody = { type: 'click' };
  void client.POST('/api/pages/{pageId}/events', { ...inPage, body: objectValue });
  void [textCtrlKey, noComponent];
  // @ts-expect-error no such operation
  void client.PUT('/api/pages/{pageId}', inPage);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

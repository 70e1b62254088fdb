import { ActionRunner, Notification, TabPort } from '../../../client/src/actions';
import { ClientFunctions } from '../../../client/src/client-functions';
import { elementIdOf, PageTree } from '../../../client/src/tree';
import { ClientAction } from '../../../client/src/types';

/** A tab that records what it was asked to do. */
function fakeTab(): TabPort & { done: string[] } {
  const done: string[] = [];
  return {
    done,
    notify: (n: Notification) => void done.push(`notify ${n.message} ${n.type ?? ''}`.trim()),
    alert: (message) => void done.push(`alert ${message}`),
    confirm: (message) => Promise.resolve(message === 'yes?'),
    prompt: (_message, _title, value) => Promise.resolve(value ?? null),
    scrollTo: (id) => (done.push(`scroll ${id}`), true),
    focus: (id) => (done.push(`focus ${id}`), true),
    copy: (text) => (done.push(`copy ${text}`), Promise.resolve()),
    download: (file) => void done.push(`download ${'url' in file ? file.url : file.filename}`),
    setTitle: (title) => void done.push(`title ${title}`),
    setFavicon: (href) => void done.push(`favicon ${href}`),
    addHead: (tag) => void done.push(`head ${tag.tag}`),
    setDark: (on) => void done.push(`dark ${on}`),
    navigate: (url, newTab) => void done.push(`navigate ${url}${newTab ? ' new tab' : ''}`),
    setUrl: (url, push) => void done.push(`url ${url}${push ? ' push' : ''}`),
  };
}

describe('the browser runtime’s client actions', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  function runner(tab = fakeTab(), functions = new ClientFunctions(), errors: string[] = []) {
    return { tab, functions, errors, run: new ActionRunner(tab, functions, (e) => errors.push(e)) };
  }

  it('runs actions in order', () => {
    const { tab, run } = runner();
    run.run([
      { do: 'notify', message: 'Saved', type: 'positive' },
      { do: 'title', title: 'T' },
      { do: 'focus', id: 'c1' },
      { do: 'scroll', id: 'c2', smooth: true },
      { do: 'dark', on: true },
      { do: 'url', url: '?tab=2', push: true },
      { do: 'navigate', url: '/clock' },
      { do: 'navigate', url: 'https://example.com/x', newTab: true },
      { do: 'download', data: 'aGk=', filename: 'hi.txt', mime: 'text/plain' },
      { do: 'head', add: { tag: 'meta', name: 'description', content: 'd' } },
      { do: 'favicon', href: 'data:image/png;base64,AAAA' },
    ]);
    expect(tab.done).toEqual([
      'notify Saved positive',
      'title T',
      'focus c1',
      'scroll c2',
      'dark true',
      'url ?tab=2 push',
      'navigate /clock',
      'navigate https://example.com/x new tab',
      'download hi.txt',
      'head meta',
      'favicon data:image/png;base64,AAAA',
    ]);
  });

  it('refuses scripts and other origins the server should not have sent, and runs the rest', () => {
    const { tab, run } = runner();
    const bad = [
      { do: 'navigate', url: 'javascript:alert(1)' },
      { do: 'navigate', url: '//evil.example/' },
      { do: 'navigate', url: '/\\evil.example/' },
      { do: 'download', url: 'data:text/html,<script>1</script>' },
      { do: 'url', url: 'https://evil.example/' },
      { do: 'favicon', href: 'javascript:1' },
      { do: 'head', add: { tag: 'link', rel: 'stylesheet', href: 'https://cdn.example/x.css' } },
      { do: 'head', add: { tag: 'meta', name: 'referrer', content: 'unsafe-url' } },
      { do: 'head', add: { tag: 'script', src: '/x.js' } },
    ] as unknown as ClientAction[];
    run.run([...bad, { do: 'notify', message: 'still here' }]);
    expect(tab.done).toEqual(['notify still here']);
    expect(warn).toHaveBeenCalledTimes(bad.length);
  });

  it('answers calls of registered functions, awaited, as JSON', async () => {
    const { functions, run } = runner();
    functions.register('add', (a, b) => Number(a) + Number(b));
    functions.register('later', async () => ({ when: new Date(0) }));
    functions.register('nothing', () => undefined);
    await expect(run.answer({ ask: 'call', name: 'add', args: [2, 3] })).resolves.toEqual({
      ok: true,
      value: 5,
    });
    await expect(run.answer({ ask: 'call', name: 'later', args: [] })).resolves.toEqual({
      ok: true,
      value: { when: '1970-01-01T00:00:00.000Z' },
    });
    await expect(run.answer({ ask: 'call', name: 'nothing', args: [] })).resolves.toEqual({
      ok: true,
      value: null,
    });
  });

  it('says why a call has no value: not registered, or the function threw', async () => {
    const { functions, run } = runner();
    functions.register('boom', () => {
      throw new Error('no way');
    });
    await expect(run.answer({ ask: 'call', name: 'missing', args: [] })).resolves.toEqual({
      ok: false,
      error: {
        code: 'not-registered',
        message: 'no client function missing is registered in the tab',
      },
    });
    await expect(run.answer({ ask: 'call', name: 'boom', args: [] })).resolves.toEqual({
      ok: false,
      error: { code: 'failed', message: 'no way' },
    });
    expect(() => functions.register('', () => 1)).toThrow(/non-empty/);
  });

  it('answers dialogs', async () => {
    const { run } = runner();
    await expect(run.answer({ ask: 'confirm', message: 'yes?' })).resolves.toEqual({
      ok: true,
      value: true,
    });
    await expect(run.answer({ ask: 'prompt', message: 'name?', value: 'Ann' })).resolves.toEqual({
      ok: true,
      value: 'Ann',
    });
  });

  it('tells the user when the clipboard refuses', async () => {
    const tab = fakeTab();
    tab.copy = () => Promise.reject(new Error('denied'));
    const { run, errors } = runner(tab);
    run.run([{ do: 'copy', text: 'x' }]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['Copying to the clipboard was not allowed.']);
  });

  it('aims scrolling and focus at the element of the component, whose attrs may name it', () => {
    const tree = new PageTree();
    tree.load({
      pageId: 'page',
      nodes: [
        { i: 'page', t: 'div', p: {}, k: ['c1', 'c2'] },
        { i: 'c1', t: 'input', p: { attrs: { id: 'name' } } },
        { i: 'c2', t: 'div', p: { attrs: { title: 'no id of its own' } } },
      ],
      versions: { page: 1 },
    });
    const tab = fakeTab();
    const elementId = (id: string) => {
      const node = tree.nodes.get(id);
      return node ? elementIdOf(node) : id;
    };
    new ActionRunner(tab, new ClientFunctions(), () => undefined, elementId).run([
      { do: 'focus', id: 'c1' },
      { do: 'scroll', id: 'c2' },
      { do: 'scroll', id: 'gone' },
    ]);
    expect(tab.done).toEqual(['focus name', 'scroll c2', 'scroll gone']);
  });
});

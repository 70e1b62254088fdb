import {
  escapeHtml,
  renderShell,
  scriptSafeJson,
} from '../../../libs/pushpage/src/edges/http/shell';

describe('HTML shell', () => {
  const hostile = '</script><script>alert(1)</script><!-- \u2028 "\' &';

  it('embeds any text as JSON that cannot close its script element', () => {
    const json = scriptSafeJson({ text: hostile });
    expect(json).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(json)).toEqual({ text: hostile });
  });

  it('escapes the title', () => {
    expect(escapeHtml(`<b a="x">'&`)).toBe('&lt;b a=&quot;x&quot;&gt;&#39;&amp;');
    const html = renderShell(
      hostile,
      { pageId: 'p', nodes: [{ i: 'p', t: 'div', p: { text: hostile } }], versions: { p: 0 } },
      {
        socketPath: '/s',
        socketNamespace: '/',
        apiBase: '/api/pages',
        websockets: true,
        assetBase: '/pushpage',
        snapshotWindow: 500,
      },
    );
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).not.toContain('<script>alert');
  });
});

import { BootState, ClientConfig, PageSnapshot, quasarStyleSheets } from '../../protocol';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/**
 * JSON that is safe inside `<script type="application/json">`: no `</script>`, no HTML
 * comment openers, no line separators that older parsers choke on.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The HTML document a tab loads: assets, the initial tree as data, the runtime, then the
 * app's own scripts (paths on this server, checked with the options).
 */
export function renderShell(
  title: string,
  snapshot: PageSnapshot,
  config: ClientConfig,
  appScripts: readonly string[] = [],
): string {
  const base = config.assetBase;
  const quasar = snapshot.nodes[0]?.p.quasar === true;
  const sheets = [
    ...(quasar ? quasarStyleSheets(base) : []),
    `${base}/vendor/fontawesome/css/all.min.css`,
    `${base}/vendor/animate.css/animate.min.css`,
    `${base}/static/pushpage.css`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
${sheets.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n')}
<script src="${base}/vendor/tailwindcss/index.global.js"></script>
</head>
<body>
<div id="pushpage-app"></div>
<script type="application/json" id="pushpage-state">${scriptSafeJson({ snapshot, config } satisfies BootState)}</script>
<script type="module" src="${base}/static/pushpage.js"></script>
${appScripts.map((src) => `<script type="module" src="${escapeHtml(src)}"></script>\n`).join('')}</body>
</html>
`;
}

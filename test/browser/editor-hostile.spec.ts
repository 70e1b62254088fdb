import { Page } from 'playwright-core';
import { demoInBrowser, screenshot } from '../support/browser';
import { documentOf, writeDocument } from '../support/collab-doc';
import { recordReached, waitUntilReached } from '../support/handler-events';

const CONTENT = '.q-editor__content';

/** What a hostile tab writes into the shared document: safe text around active content. */
const HOSTILE =
  '<p>Meeting notes</p>' +
  `<p>keep <b>this</b> text<img src="x" onerror="window.__pwned='img'"></p>` +
  `<p><svg><animate onbegin="window.__pwned='svg'" attributeName="x" dur="1s"/></svg>end</p>` +
  `<p><a href="javascript:window.__pwned='link'">a link</a></p>`;

/** The same, arriving later while another tab is showing the document. */
const HOSTILE_LATER =
  '<p>Second draft</p>' +
  `<p>still <i>here</i><img src="y" onerror="window.__pwned='img2'"></p>` +
  `<details open ontoggle="window.__pwned='toggle'"><summary>more</summary>hidden</details>`;

/** Runs before the page's own scripts: keeps every policy violation the page reports. */
function recordViolations(): void {
  const seen: string[] = [];
  (window as unknown as { __violations: string[] }).__violations = seen;
  document.addEventListener('securitypolicyviolation', (e) =>
    seen.push(
      `${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
    ),
  );
}

function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

function pwned(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned);
}

/** Waits until the tabs hold the same document, all acknowledged, that `done` accepts. */
async function settled(pages: Page[], done: (html: string) => boolean): Promise<string> {
  const deadline = Date.now() + 10_000;
  let last: { text: string; pending: number }[] = [];
  while (Date.now() < deadline) {
    last = await Promise.all(pages.map(documentOf));
    const [first] = last;
    if (last.every((d) => d.pending === 0 && d.text === first.text) && done(first.text))
      return first.text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the tabs did not settle: ${JSON.stringify(last)}`);
}

const ACTIVE = /onerror|onbegin|ontoggle|javascript:|<script/i;

describe('a hostile collaborative document (browser)', () => {
  const demo = demoInBrowser();
  let writer: Page;
  let reader: Page;
  /** Console messages of the reading tab that mention the policy. */
  const reported: string[] = [];

  /** Each test looks at what its own step made the browser do. */
  async function forgetViolations(): Promise<void> {
    await reader.evaluate(() => {
      (window as unknown as { __violations: string[] }).__violations.length = 0;
    });
    reported.length = 0;
  }

  async function expectNothingTried(): Promise<void> {
    // after the events a handler would run on (an image's error comes after its request, long
    // after a violation the parse reported, which is dispatched as a task)
    await waitUntilReached(reader, CONTENT);
    expect(await violations(reader)).toEqual([]);
    expect(reported).toEqual([]);
    expect(await pwned(reader)).toBeUndefined();
  }

  it('loads in a fresh tab sanitized, without the browser ever parsing its handlers', async () => {
    writer = (await demo().open('/editor')).page;
    await writer.locator(CONTENT).waitFor();
    await writeDocument(writer, HOSTILE);
    await settled([writer], (html) => html === HOSTILE);

    const { app, browser } = demo();
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    reader = await context.newPage();
    reader.setDefaultTimeout(10_000);
    reader.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) reported.push(msg.text());
    });
    await reader.addInitScript(recordViolations);
    await reader.addInitScript(recordReached);
    await reader.goto(`${app.url}/editor`, { waitUntil: 'load' });
    const content = reader.locator(CONTENT);
    await content.filter({ hasText: 'keep this text' }).waitFor();
    // what the sanitizer removed goes back into the document, for every tab
    await settled([reader, writer], (html) => html.includes('Meeting notes') && !ACTIVE.test(html));

    const text = await content.innerText();
    for (const safe of ['Meeting notes', 'keep this text', 'end', 'a link'])
      expect(text).toContain(safe);
    expect(await content.innerHTML()).not.toMatch(ACTIVE);
    await expectNothingTried();
    await screenshot(reader, 'editor-hostile-loaded');
  }, 30_000);

  it("renders another tab's hostile edit sanitized, with the caret in the editor", async () => {
    await forgetViolations();
    const content = reader.locator(CONTENT);
    await content.click();
    await reader.keyboard.press('Control+End');
    await writeDocument(writer, HOSTILE_LATER);
    await content.filter({ hasText: 'Second draft' }).waitFor();

    const text = await content.innerText();
    expect(text).toContain('still here');
    expect(text).toContain('more');
    expect(await content.innerHTML()).not.toMatch(ACTIVE);
    await expectNothingTried();
    // the tab still edits the document
    await content.click();
    await reader.keyboard.press('Control+End');
    await reader.keyboard.type(' typed after');
    await settled([reader, writer], (html) => html.includes('typed after') && !ACTIVE.test(html));
    await screenshot(reader, 'editor-hostile-remote');
  }, 30_000);

  it('keeps the document HTML while one tab shows the source and another edits', async () => {
    await forgetViolations();
    const source = reader.getByRole('button', { name: 'View Source' });
    const content = reader.locator(CONTENT);
    await source.click();
    await writeDocument(writer, '<p>plain <b>bold</b></p>');
    await settled([reader, writer], (html) => html.includes('plain'));
    // the source view shows it as text: the reading tab took it, and wrote nothing back
    await content.filter({ hasText: '<p>plain <b>bold</b></p>' }).waitFor();
    expect(await settled([reader, writer], () => true)).toBe('<p>plain <b>bold</b></p>');
    expect(await content.innerText()).toBe('<p>plain <b>bold</b></p>');
    await source.click();
    await content.locator('b', { hasText: 'bold' }).waitFor();
    expect(await settled([reader, writer], () => true)).toBe('<p>plain <b>bold</b></p>');
    await expectNothingTried();
  }, 30_000);

  it('renders HTML typed in the source view only sanitized', async () => {
    await forgetViolations();
    // alone with the document: no other tab repairs it meanwhile
    await writer.goto('about:blank');
    const source = reader.getByRole('button', { name: 'View Source' });
    const content = reader.locator(CONTENT);
    await source.click();
    await content.click();
    await reader.keyboard.press('Control+End');
    await reader.keyboard.insertText(
      `<p>typed source<img src="z" onerror="window.__pwned='source'"></p>`,
    );
    await source.click();
    await content.locator('p', { hasText: 'typed source' }).waitFor();
    expect(await content.innerHTML()).not.toMatch(ACTIVE);
    await settled([reader], (html) => html.includes('typed source') && !ACTIVE.test(html));
    await expectNothingTried();
  }, 30_000);
});

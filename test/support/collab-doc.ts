import { Page } from 'playwright-core';

/** What a test reads of a collaborative document in a tab (`SharedDoc` in the client). */
interface TabDoc {
  toString(): string;
  pending: number;
  edit(html: string): void;
}

/** The tab's copy of the shared document and how many of its edits await acknowledgement. */
export function documentOf(page: Page): Promise<{ text: string; pending: number }> {
  return page.evaluate(() => {
    const runtime = (
      window as unknown as {
        pushpage: { quasar: { runtime: { docs: { all: Map<string, TabDoc> } } | null } };
      }
    ).pushpage.quasar.runtime;
    const doc = runtime ? [...runtime.docs.all.values()][0] : undefined;
    return { text: doc ? doc.toString() : '', pending: doc ? doc.pending : -1 };
  });
}

/** Replaces the tab's shared document by `html` as typing would: one edit, sent at once. */
export async function writeDocument(page: Page, html: string): Promise<void> {
  await page.evaluate((next) => {
    const runtime = (
      window as unknown as {
        pushpage: { quasar: { runtime: { docs: { all: Map<string, TabDoc> } } | null } };
      }
    ).pushpage.quasar.runtime;
    const doc = runtime ? [...runtime.docs.all.values()][0] : undefined;
    if (!doc) throw new Error('no collaborative document in the tab');
    doc.edit(next);
  }, html);
}

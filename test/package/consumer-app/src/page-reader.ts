import type { ApiErrorBody, PageView, PageViewNode } from 'pushpage/protocol';

/** A REST client of the app, typed by the package's protocol entry point. */
export async function readPage(base: string, pageId: string, cookie: string): Promise<PageView> {
  const res = await fetch(`${base}/v1/pages/${pageId}`, { headers: { cookie } });
  if (!res.ok) throw new Error(((await res.json()) as ApiErrorBody).message);
  return (await res.json()) as PageView;
}

/** Every node of a page view, depth first. */
export function nodesOf(node: PageViewNode): PageViewNode[] {
  return [node, ...(node.children ?? []).flatMap(nodesOf)];
}

/** One sample of a metric: its labels and value. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/**
 * The samples of one metric in a server's `/metrics`. The server must serve `/metrics` on its
 * own port (`PUSHPAGE_METRICS_PUBLIC=true`).
 */
export async function samples(server: { url: string }, name: string): Promise<MetricSample[]> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const found: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? ([\d.e+-]+|NaN)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    found.push({ labels, value: Number(match[3]) });
  }
  return found;
}

/**
 * The value of one sample of a server's `/metrics` (the sum over the samples that carry the
 * labels given), or `undefined` when there is none.
 */
export async function metric(
  server: { url: string },
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const matching = (await samples(server, name)).filter((sample) =>
    Object.entries(labels).every(([k, v]) => sample.labels[k] === v),
  );
  return matching.length > 0 ? matching.reduce((sum, s) => sum + s.value, 0) : undefined;
}

/** `pushpage_refusals_total` as `{ "reason transport": count }`. */
export async function refusalCounts(server: { url: string }): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { labels, value } of await samples(server, 'pushpage_refusals_total'))
    counts[`${labels.reason} ${labels.transport}`] = value;
  return counts;
}

/**
 * What `pushpage_refusals_total` gained while `act` ran, as `{ "reason transport": added }`
 * (the samples that did not change left out).
 */
export async function refusalsDuring(
  server: { url: string },
  act: () => Promise<unknown>,
): Promise<Record<string, number>> {
  const before = await refusalCounts(server);
  await act();
  const after = await refusalCounts(server);
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, value]) => [key, value - (before[key] ?? 0)] as const)
      .filter(([, added]) => added !== 0),
  );
}

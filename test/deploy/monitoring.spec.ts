/**
 * The monitoring that ships with the manifests (k8s/components/monitoring and
 * tabs-autoscaling) against what the server exports: every series an alert, the dashboard or
 * the autoscaler reads is one the server serves, and every metric the docs describe is on the
 * dashboard. The rendered objects (PodMonitor against the pods) need kubectl.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import {
  build,
  describeWithKubectl,
  isObject,
  Json,
  JsonObject,
  ofKind,
  readYamlDocuments,
  ROOT,
  VARIANTS,
} from '../support/kustomize-build';

const COMPONENT = join(ROOT, 'k8s', 'components', 'monitoring');
const list = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
const objects = (value: Json | undefined): JsonObject[] => list(value).filter(isObject);

/** The server's own metrics, by name, with their type. */
function appMetrics(): Map<string, string> {
  const source = readFileSync(join(ROOT, 'libs/pushpage/src/ops/metrics.service.ts'), 'utf8');
  const out = new Map<string, string>();
  for (const m of source.matchAll(/new (Gauge|Counter|Histogram)\(\{\s*name: '(\w+)'/g))
    out.set(m[2], m[1]);
  return out;
}

/** Node's default metrics, as prom-client names them without a prefix. */
function defaultMetrics(): Set<string> {
  const dir = join(ROOT, 'node_modules/prom-client/lib/metrics');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/'((?:process|nodejs)_\w+)'/g)) names.add(m[1]);
  }
  return names;
}

/** Every series name a PromQL expression could read. */
function seriesOf(expr: string): Set<string> {
  const names = new Set<string>();
  // Label matchers, ranges and grouping labels are dropped first; what is left that is not
  // a function call or a keyword names a series.
  const bare = expr
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  for (const m of bare.matchAll(/\b([a-z_:][a-z0-9_:]*)\b(?!\s*\()/g)) {
    if (!/^(and|or|unless|bool|offset|le|inf|nan)$/.test(m[1])) names.add(m[1]);
  }
  return names;
}

function readable(): Set<string> {
  const out = new Set<string>(['up', ...defaultMetrics()]);
  for (const [name, type] of appMetrics()) {
    if (type === 'Histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(name + s);
    else out.add(name);
  }
  return out;
}

function rules(): JsonObject[] {
  const [rule] = readYamlDocuments(join(COMPONENT, 'prometheusrule.yaml'));
  const spec = isObject(rule) && isObject(rule.spec) ? rule.spec : {};
  return objects(spec.groups).flatMap((g) => objects(g.rules));
}

function dashboardExprs(): string[] {
  const dashboard = JSON.parse(
    readFileSync(join(COMPONENT, 'pushpage-dashboard.json'), 'utf8'),
  ) as JsonObject;
  return objects(dashboard.panels).flatMap((p) =>
    objects(p.targets).map((t) => String(t.expr ?? '')),
  );
}

describe('alerts and dashboard', () => {
  const known = readable();

  it('the server exports the metrics the docs list, under the same names', () => {
    const docs = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const documented = new Set([...docs.matchAll(/^\| `(pushpage_\w+)`/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...appMetrics().keys()].sort());
  });

  it('alerts read only series the server exports, on job="pushpage"', () => {
    const problems: string[] = [];
    const names = rules().map((r) => String(r.alert));
    expect(names.length).toBeGreaterThan(5);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules()) {
      const expr = String(r.expr);
      for (const s of seriesOf(expr)) if (!known.has(s)) problems.push(`${r.alert}: ${s}`);
      if (!expr.includes('job="pushpage"'))
        problems.push(`${r.alert}: not limited to job="pushpage"`);
    }
    expect(problems).toEqual([]);
  });

  it('every alert is explained in docs/operations.md', () => {
    const docs = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    expect(
      rules()
        .filter((r) => !docs.includes(`\`${String(r.alert)}\``))
        .map((r) => r.alert),
    ).toEqual([]);
  });

  it('the dashboard charts every metric the server exports, and nothing else', () => {
    const exprs = dashboardExprs();
    const read = new Set(exprs.flatMap((e) => [...seriesOf(e)]));
    expect([...read].filter((s) => !known.has(s))).toEqual([]);
    const charted = [...appMetrics().keys()].filter((m) =>
      [...read].some((s) => s === m || s.startsWith(`${m}_`)),
    );
    expect(charted.sort()).toEqual([...appMetrics().keys()].sort());
    for (const e of exprs) expect(e).toContain('job="pushpage"');
  });

  it('serves the HPA tabs metric through prometheus-adapter under the name the HPA asks for', () => {
    const [values] = readYamlDocuments(
      join(ROOT, 'k8s/components/tabs-autoscaling/prometheus-adapter-values.yaml'),
    );
    const custom = isObject(values) && isObject(values.rules) ? objects(values.rules.custom) : [];
    const served = custom.map((r) => (isObject(r.name) ? String(r.name.as) : ''));
    expect(served).toContain('pushpage_connected_tabs');
    expect(appMetrics().get('pushpage_connected_tabs')).toBe('Gauge');
    for (const r of custom) {
      const overrides =
        isObject(r.resources) && isObject(r.resources.overrides) ? r.resources.overrides : {};
      expect(Object.keys(overrides).sort()).toEqual(['namespace', 'pod']);
    }
  });
});

describeWithKubectl('monitoring, rendered', () => {
  const variant = VARIANTS.find((v) => v.components?.includes('monitoring'));
  if (!variant) throw new Error('no variant renders the monitoring component');

  it('scrapes the metrics port of the server pods, as job="pushpage"', () => {
    const rendered = build(variant);
    const [deployment] = ofKind<IDeployment>(rendered, 'Deployment');
    const labels = deployment.spec?.template.metadata?.labels ?? {};
    const [monitor, ...more] = rendered.filter((o) => o.kind === 'PodMonitor');
    expect(more).toEqual([]);
    const spec = isObject(monitor?.spec) ? monitor.spec : {};
    const selector =
      isObject(spec.selector) && isObject(spec.selector.matchLabels)
        ? spec.selector.matchLabels
        : {};
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    for (const [k, v] of Object.entries(selector)) expect(labels[k]).toBe(v);
    expect(labels[String(spec.jobLabel)]).toBe('pushpage');
    const ports = deployment.spec?.template.spec?.containers[0].ports ?? [];
    for (const e of objects(spec.podMetricsEndpoints)) {
      expect(ports.find((p) => p.name === e.port)?.name).toBe('metrics');
      expect(e.path).toBe('/metrics');
    }
    const dashboards = rendered.filter(
      (o) =>
        o.kind === 'ConfigMap' &&
        isObject(o.metadata.labels) &&
        o.metadata.labels.grafana_dashboard === '1',
    );
    expect(dashboards.length).toBe(1);
    const data = isObject(dashboards[0].data) ? dashboards[0].data : {};
    expect(Object.keys(data)).toEqual(['pushpage-dashboard.json']);
    const hpa = ofKind<IHorizontalPodAutoscaler>(rendered, 'HorizontalPodAutoscaler')[0];
    expect(hpa.spec?.metrics?.map((m) => m.type).sort()).toEqual(['Pods', 'Resource']);
  });
});

/**
 * Checks of the custom resources the manifests use, which kubernetes-models has no schema
 * for: the fields each must have, and no field outside those its CRD defines that these
 * manifests could plausibly use (so a misspelt one fails instead of being ignored).
 */
import { isObject, Json, JsonObject, KubeObject } from './kustomize-build';

type Check = (obj: JsonObject, path: string, problems: string[]) => void;

const list = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

function only(obj: JsonObject, allowed: string[], path: string, problems: string[]): void {
  for (const key of Object.keys(obj))
    if (!allowed.includes(key)) problems.push(`${path}.${key} is not a field`);
}

function objects(value: Json | undefined, path: string, problems: string[]): JsonObject[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${path}: expected a non-empty list`);
    return [];
  }
  return value
    .filter((v, i) => isObject(v) || void problems.push(`${path}[${i}]: not a mapping`))
    .filter(isObject);
}

function text(obj: JsonObject, key: string, path: string, problems: string[]): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${path}.${key}: expected a non-empty string`);
    return '';
  }
  return value;
}

const podMonitor: Check = (spec, path, problems) => {
  only(spec, ['jobLabel', 'selector', 'namespaceSelector', 'podMetricsEndpoints'], path, problems);
  const selector = isObject(spec.selector) ? spec.selector : {};
  if (!isObject(selector.matchLabels) || Object.keys(selector.matchLabels).length === 0)
    problems.push(`${path}.selector.matchLabels: expected labels`);
  objects(spec.podMetricsEndpoints, `${path}.podMetricsEndpoints`, problems).forEach((e, i) => {
    const where = `${path}.podMetricsEndpoints[${i}]`;
    only(e, ['port', 'path', 'interval', 'scrapeTimeout', 'scheme'], where, problems);
    text(e, 'port', where, problems);
    if (!text(e, 'path', where, problems).startsWith('/')) problems.push(`${where}.path`);
    if (e.interval !== undefined && !DURATION.test(String(e.interval)))
      problems.push(`${where}.interval`);
  });
};

const prometheusRule: Check = (spec, path, problems) => {
  only(spec, ['groups'], path, problems);
  objects(spec.groups, `${path}.groups`, problems).forEach((g, i) => {
    const where = `${path}.groups[${i}]`;
    only(g, ['name', 'interval', 'rules'], where, problems);
    text(g, 'name', where, problems);
    objects(g.rules, `${where}.rules`, problems).forEach((r, j) => {
      const at = `${where}.rules[${j}]`;
      only(r, ['alert', 'record', 'expr', 'for', 'labels', 'annotations'], at, problems);
      text(r, 'expr', at, problems);
      if (r.alert === undefined) return void text(r, 'record', at, problems);
      text(r, 'alert', at, problems);
      if (!DURATION.test(String(r.for))) problems.push(`${at}.for: a duration`);
      const labels = isObject(r.labels) ? r.labels : {};
      if (!['critical', 'warning', 'info'].includes(String(labels.severity)))
        problems.push(`${at}.labels.severity`);
      text(isObject(r.annotations) ? r.annotations : {}, 'summary', `${at}.annotations`, problems);
    });
  });
};

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const httpRoute: Check = (spec, path, problems) => {
  only(spec, ['parentRefs', 'hostnames', 'rules'], path, problems);
  objects(spec.parentRefs, `${path}.parentRefs`, problems).forEach((p, i) => {
    const where = `${path}.parentRefs[${i}]`;
    only(p, ['group', 'kind', 'name', 'namespace', 'sectionName', 'port'], where, problems);
    text(p, 'name', where, problems);
  });
  for (const h of list(spec.hostnames))
    if (typeof h !== 'string' || !HOSTNAME.test(h))
      problems.push(`${path}.hostnames: ${String(h)}`);
  objects(spec.rules, `${path}.rules`, problems).forEach((r, i) => {
    const where = `${path}.rules[${i}]`;
    only(r, ['matches', 'filters', 'backendRefs', 'timeouts'], where, problems);
    list(r.matches).forEach((m, j) => {
      const p = isObject(m) && isObject(m.path) ? m.path : {};
      if (typeof p.value !== 'string' || !p.value.startsWith('/'))
        problems.push(`${where}.matches[${j}].path.value`);
    });
    list(r.backendRefs).forEach((b, j) => {
      const at = `${where}.backendRefs[${j}]`;
      if (!isObject(b)) return void problems.push(`${at}: not a mapping`);
      only(b, ['group', 'kind', 'name', 'namespace', 'port', 'weight', 'filters'], at, problems);
      text(b, 'name', at, problems);
      if (typeof b.port !== 'number') problems.push(`${at}.port: a number`);
    });
  });
};

const CHECKS = new Map<string, Check>([
  ['monitoring.coreos.com/v1/PodMonitor', podMonitor],
  ['monitoring.coreos.com/v1/PrometheusRule', prometheusRule],
  ['gateway.networking.k8s.io/v1/HTTPRoute', httpRoute],
]);

export const CRD_KINDS: ReadonlySet<string> = new Set(CHECKS.keys());

/** The problems of a custom resource of one of CRD_KINDS. */
export function crdProblems(obj: KubeObject, where: string): string[] {
  const check = CHECKS.get(`${obj.apiVersion}/${obj.kind}`);
  const problems: string[] = [];
  const at = `${where}: ${obj.kind} ${String(obj.metadata.name)}`;
  if (!check) return [`${at}: not a known custom resource`];
  only(obj, ['apiVersion', 'kind', 'metadata', 'spec'], at, problems);
  if (!isObject(obj.spec)) return [...problems, `${at}: no spec`];
  check(obj.spec, `${at} spec`, problems);
  return problems;
}

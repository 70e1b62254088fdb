/**
 * Which route a request path takes through the rendered Ingresses and HTTPRoutes, as the
 * edge would pick it: per host, an exact match, else the longest prefix (by path segment).
 */
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { isObject, Json, KubeObject, ofKind } from './kustomize-build';

/** Paths for the cluster only: probes, metrics, the OpenAPI docs (UI, its assets, the JSON). */
export const PRIVATE_PATHS = [
  '/healthz',
  '/readyz',
  '/metrics',
  '/api/docs',
  '/api/docs/swagger-ui.css',
  '/api/docs-json',
];
/** Paths browsers need: pages, the runtime's websocket, REST. */
export const PUBLIC_PATHS = ['/', '/board', '/pushpage/socket.io/', '/api/pages/x'];

const DENYLIST = 'nginx.ingress.kubernetes.io/denylist-source-range';

/** An ingress-nginx Ingress whose denylist covers every IPv4 and IPv6 address. */
export function deniesEveryone(ingress: IIngress): boolean {
  const ranges = (ingress.metadata?.annotations?.[DENYLIST] ?? '').split(',').map((r) => r.trim());
  return ranges.includes('0.0.0.0/0') && ranges.includes('::/0');
}

interface Candidate<T> {
  exact: boolean;
  path: string;
  target: T;
}

function matches(candidate: Candidate<unknown>, path: string): boolean {
  if (candidate.exact) return candidate.path === path;
  const prefix = candidate.path.replace(/\/$/, '');
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

/** The candidate a path takes: exact first, then the longest prefix. */
function pick<T>(candidates: Candidate<T>[], path: string): T | undefined {
  const found = candidates
    .filter((c) => matches(c, path))
    .sort((a, b) => Number(b.exact) - Number(a.exact) || b.path.length - a.path.length);
  return found[0]?.target;
}

function ingressProblems(objects: KubeObject[]): string[] {
  const byHost = new Map<string, Candidate<IIngress>[]>();
  for (const ing of ofKind<IIngress>(objects, 'Ingress')) {
    for (const rule of ing.spec?.rules ?? []) {
      const host = rule.host ?? '(any host)';
      const list = byHost.get(host) ?? [];
      for (const p of rule.http?.paths ?? []) {
        list.push({ exact: p.pathType === 'Exact', path: p.path ?? '/', target: ing });
      }
      byHost.set(host, list);
    }
  }
  const problems: string[] = [];
  for (const [host, candidates] of byHost) {
    for (const path of PRIVATE_PATHS) {
      const ing = pick(candidates, path);
      if (ing && !deniesEveryone(ing)) {
        problems.push(`${host}${path} reaches the pods through Ingress ${ing.metadata?.name}`);
      }
    }
    for (const path of PUBLIC_PATHS) {
      const ing = pick(candidates, path);
      if (!ing || deniesEveryone(ing)) problems.push(`${host}${path} is not served`);
    }
  }
  return problems;
}

const list = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);

function routeProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    const spec = isObject(route.spec) ? route.spec : {};
    const candidates: Candidate<{ backends: number }>[] = [];
    for (const rule of list(spec.rules)) {
      if (!isObject(rule)) continue;
      const target = { backends: list(rule.backendRefs).length };
      const ruleMatches = list(rule.matches);
      // No matches: the rule takes every path.
      if (ruleMatches.length === 0) candidates.push({ exact: false, path: '/', target });
      for (const m of ruleMatches) {
        const p = isObject(m) && isObject(m.path) ? m.path : {};
        if (p.type !== undefined && p.type !== 'Exact' && p.type !== 'PathPrefix') {
          problems.push(`HTTPRoute ${String(route.metadata.name)}: path type ${String(p.type)}`);
        }
        const value = typeof p.value === 'string' ? p.value : '/';
        candidates.push({ exact: p.type === 'Exact', path: value, target });
      }
    }
    const name = `HTTPRoute ${String(route.metadata.name)}`;
    // A rule without backends answers 500: the request never reaches a pod.
    for (const path of PRIVATE_PATHS) {
      if ((pick(candidates, path)?.backends ?? 0) > 0) problems.push(`${name}: ${path} is served`);
    }
    for (const path of PUBLIC_PATHS) {
      if ((pick(candidates, path)?.backends ?? 0) === 0)
        problems.push(`${name}: ${path} is not served`);
    }
  }
  return problems;
}

/** Private paths that a public route serves, and public paths that no route serves. */
export function privatePathProblems(objects: KubeObject[]): string[] {
  return [...ingressProblems(objects), ...routeProblems(objects)];
}

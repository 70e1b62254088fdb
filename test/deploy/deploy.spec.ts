/**
 * Static checks of everything that deploys Pushpage: the Dockerfile, the kustomize manifests
 * under k8s/ (rendered per overlay by `kubectl kustomize`, validated against the Kubernetes
 * API schemas), and the compiled server's runtime dependencies. No Docker or cluster needed;
 * the manifest checks need kubectl (see describeWithKubectl).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import {
  build,
  COMPONENTS,
  describeWithKubectl,
  idOf,
  isObject,
  Json,
  JsonObject,
  KubeObject,
  kustomizeInputs,
  nameOf,
  ofKind,
  parseImage,
  readYamlDocuments,
  ROOT,
  Variant,
  VARIANTS,
} from '../support/kustomize-build';
import { Manifest, readManifest } from '../support/manifests';
import { crdProblems, CRD_KINDS } from '../support/crd-checks';
import { deniesEveryone, privatePathProblems } from '../support/routes';

const K8S = join(ROOT, 'k8s');
const rel = (file: string): string => relative(ROOT, file).split(sep).join('/');

// ---------------------------------------------------------------------------------------------
// The runtime contract
// ---------------------------------------------------------------------------------------------

/** Every environment variable the server reads; manifests and the image set no others. */
const APP_ENV = new Set([
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'PUSHPAGE_SESSION_SECRET',
  'PUSHPAGE_DISCONNECT_GRACE_MS',
  'PUSHPAGE_REST_RATE_LIMIT',
  'PUSHPAGE_PAGE_RATE_LIMIT',
  'PUSHPAGE_TRUST_PROXY',
  'PUSHPAGE_REDIS_ADAPTER',
  'PUSHPAGE_KEY_PREFIX',
  'PUSHPAGE_LOG_FORMAT',
  'PUSHPAGE_LOG_LEVEL',
  'PUSHPAGE_SHUTDOWN_DELAY_MS',
  'PUSHPAGE_PUBLIC_ORIGINS',
  'PUSHPAGE_ALLOWED_ORIGINS',
  'PUSHPAGE_METRICS_PORT',
  'PUSHPAGE_METRICS_TOKEN',
  'NODE_ENV',
  'HOST',
  'PORT',
]);
/** Variables that must come from a Secret, never from a ConfigMap or a literal value. */
const SECRET_ENV = new Set(['REDIS_URL', 'PUSHPAGE_SESSION_SECRET']);
/** Secret variables a variant may leave unset. */
const OPTIONAL_SECRET_ENV = new Set(['PUSHPAGE_METRICS_TOKEN']);
const ENTRY = 'dist/apps/demo/main.js';
/** The library package, an npm workspace the demo imports as `pushpage`. */
const LIBRARY = 'libs/pushpage';
/** The compiled code the image runs: the demo, and the library with its browser runtime. */
const SHIPPED_CODE = ['dist/apps', `${LIBRARY}/dist`];
const APP_UID = 1000;
/** Worst-case drain after the shutdown delay: in-flight handlers (10 s) plus a margin (5 s). */
const DRAIN_AFTER_DELAY_S = 15;

// ---------------------------------------------------------------------------------------------
// Schema validation: kubernetes-models, plus unknown-field detection
// ---------------------------------------------------------------------------------------------

interface Validatable {
  validate(): void;
}
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: never): Validatable;
}
/** The kinds these manifests may use; anything else fails. */
const MODEL_CLASSES: ModelClass[] = [
  ConfigMap,
  Namespace,
  Secret,
  Service,
  Deployment,
  StatefulSet,
  Ingress,
  NetworkPolicy,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
];
const MODELS = new Map(MODEL_CLASSES.map((m) => [`${m.apiVersion}/${m.kind}`, m]));

function modelOf(obj: { apiVersion: string; kind: string }, where: string): ModelClass {
  const model = MODELS.get(`${obj.apiVersion}/${obj.kind}`);
  if (!model) {
    throw new Error(
      `${where}: ${obj.apiVersion} ${obj.kind} is not a known kind (known: ${[...MODELS.keys()].join(', ')})`,
    );
  }
  return model;
}

/**
 * The models' JSON-schema validation accepts unknown fields, so a misspelt or misplaced field
 * (`readinesProbe`, `readOnlyRootFilesystem` at pod level) would pass silently. This reads
 * the field names of each type from the package's declaration files and rejects the rest.
 */
type FieldType =
  | { t: 'leaf' }
  | { t: 'object'; file: string }
  | { t: 'array'; of: FieldType }
  | { t: 'map'; of: FieldType };

const fieldTables = new Map<string, Map<string, FieldType> | null>();

function declarationFile(specifier: string, from: string): string {
  const js = specifier.startsWith('.')
    ? resolve(dirname(from), specifier)
    : require.resolve(specifier, { paths: [dirname(from)] }).replace(/\.js$/, '');
  return `${js}.d.ts`;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '{' || ch === '<' || ch === '(') depth++;
    if (ch === '}' || ch === '>' || ch === ')') depth--;
    if (ch === ';' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function classify(type: string, imports: Map<string, string>, file: string): FieldType {
  const t = type.trim();
  const array = /^Array<(.+)>$/s.exec(t);
  if (array) return { t: 'array', of: classify(array[1], imports, file) };
  const map = /^\{\s*\[key: string\]:\s*(.+?);?\s*\}$/s.exec(t);
  if (map) return { t: 'map', of: classify(map[1], imports, file) };
  const spec = imports.get(t);
  if (spec !== undefined) return { t: 'object', file: declarationFile(spec, file) };
  return { t: 'leaf' };
}

function fieldTable(file: string): Map<string, FieldType> | null {
  const cached = fieldTables.get(file);
  if (cached !== undefined) return cached;
  const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const imports = new Map<string, string>();
  for (const m of source.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
    imports.set(m[1], m[2]);
  }
  const start = /export interface \w+(?: extends [\w, ]+)? \{/.exec(source);
  let table: Map<string, FieldType> | null = null;
  if (start) {
    let depth = 0;
    let end = start.index + start[0].length;
    for (; end < source.length; end++) {
      if (source[end] === '{') depth++;
      if (source[end] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    table = new Map();
    const body = source.slice(start.index + start[0].length, end);
    for (const entry of splitTopLevel(body)) {
      const prop = /^"([^"]+)"\??:\s*([\s\S]+)$/.exec(entry);
      if (!prop) throw new Error(`${file}: cannot read the declaration "${entry}"`);
      table.set(prop[1], classify(prop[2], imports, file));
    }
  }
  fieldTables.set(file, table);
  return table;
}

function unknownFields(value: Json, type: FieldType, path: string, out: string[]): void {
  if (type.t === 'leaf') return;
  if (type.t === 'array') {
    if (Array.isArray(value))
      value.forEach((v, i) => unknownFields(v, type.of, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(value)) return;
  if (type.t === 'map') {
    for (const [k, v] of Object.entries(value)) unknownFields(v, type.of, `${path}.${k}`, out);
    return;
  }
  const table = fieldTable(type.file);
  if (table === null) return; // a type alias (IntOrString, Quantity, Time, ...)
  for (const [k, v] of Object.entries(value)) {
    const field = table.get(k);
    if (field === undefined) out.push(`${path}.${k} is not a field of ${path || 'the object'}`);
    else unknownFields(v, field, `${path}.${k}`, out);
  }
}

/** Unknown fields of a (possibly partial) object; `$patch` at the top is allowed. */
function unknownFieldsOf(obj: KubeObject, where: string): string[] {
  modelOf(obj, where);
  const file = declarationFile(`kubernetes-models/${obj.apiVersion}/${obj.kind}`, __filename);
  const rest: JsonObject = Object.fromEntries(Object.entries(obj).filter(([k]) => k !== '$patch'));
  const out: string[] = [];
  unknownFields(rest, { t: 'object', file }, '', out);
  return out.map((p) => `${where}: ${obj.kind} ${nameOf(obj)}: ${p.replace(/^\./, '')}`);
}

/**
 * Full validation of a complete object: schema, then unknown fields; custom resources, which
 * kubernetes-models has no schema for, by their key fields. Returns the problems.
 */
function validateObject(obj: KubeObject, where: string): string[] {
  if (CRD_KINDS.has(`${obj.apiVersion}/${obj.kind}`)) return crdProblems(obj, where);
  let Model: ModelClass;
  try {
    Model = modelOf(obj, where);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  try {
    new Model(obj as never).validate();
  } catch (error) {
    problems.push(`${where}: ${obj.kind} ${nameOf(obj)}: ${(error as Error).message}`);
  }
  return [...problems, ...unknownFieldsOf(obj, where)];
}

// ---------------------------------------------------------------------------------------------
// Helpers over rendered objects
// ---------------------------------------------------------------------------------------------

function walk(dir: string, keep: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out.sort();
}

function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string>) {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** 250m -> 0.25, 512Mi -> 536870912, '2' -> 2. */
function quantity(value: string | number | undefined): number {
  if (value === undefined) return NaN;
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (!m) return NaN;
  const scale: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(m[1]) * (m[2] ? scale[m[2]] : 1);
}

interface Workload {
  kind: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  pod: IPodSpec;
  replicas: number;
}

function workloads(objects: KubeObject[]): Workload[] {
  const out: Workload[] = [];
  for (const d of [
    ...ofKind<IDeployment>(objects, 'Deployment'),
    ...ofKind<IStatefulSet>(objects, 'StatefulSet'),
  ]) {
    const template = d.spec?.template;
    out.push({
      kind: d.kind,
      name: d.metadata?.name ?? '',
      labels: template?.metadata?.labels ?? {},
      annotations: template?.metadata?.annotations ?? {},
      pod: template?.spec ?? { containers: [] },
      replicas: d.spec?.replicas ?? 1,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}
interface Stage {
  name?: string;
  from: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && pending === undefined)) return;
    const continued = trimmed.endsWith('\\');
    const piece = continued ? trimmed.slice(0, -1) : trimmed;
    pending = pending
      ? { ...pending, text: `${pending.text} ${piece}` }
      : { text: piece, line: i + 1 };
    if (!continued) {
      const m = /^(\w+)\s*(.*)$/s.exec(pending.text.trim());
      if (m)
        instructions.push({ keyword: m[1].toUpperCase(), args: m[2].trim(), line: pending.line });
      pending = undefined;
    }
  });
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`Dockerfile:${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ from: m[1], name: m[2]?.toLowerCase(), instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(ins);
    } else if (ins.keyword !== 'ARG') {
      throw new Error(`Dockerfile:${ins.line}: ${ins.keyword} before the first FROM`);
    }
  }
  return stages;
}

/** `ENV A=1 B=2` (or the legacy `ENV A 1`) as pairs. */
function envPairs(args: string): [string, string][] {
  if (!/^\w+=/.test(args)) {
    const m = /^(\w+)\s+(.*)$/.exec(args);
    return m ? [[m[1], m[2]]] : [];
  }
  return [...args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)].map(
    ([, k, v]) => [k, v.replace(/^["']|["']$/g, '')] as [string, string],
  );
}

function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** COPY flags, sources and destination. */
function parseCopy(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift() as string;
    const m = /^--from=(.+)$/.exec(flag);
    if (m) from = m[1].toLowerCase();
  }
  const dest = words.pop() ?? '';
  return { from, sources: words, dest };
}

type Deps = 'none' | 'all' | 'production';

/** Which npm dependencies a stage's node_modules holds after its RUN instructions. */
function dependenciesOf(stages: Stage[], stage: Stage, seen = new Set<Stage>()): Deps {
  if (seen.has(stage)) return 'none';
  seen.add(stage);
  const parent = stages.find((s) => s.name === stage.from.toLowerCase());
  let deps: Deps = parent ? dependenciesOf(stages, parent, seen) : 'none';
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'RUN') continue;
    for (const command of ins.args.split(/&&|;|\|\|/)) {
      const prodOnly = /--omit[= ]dev\b|--production\b|--only[= ]prod/.test(command);
      if (/\bnpm\s+(ci|install|i)\b/.test(command)) deps = prodOnly ? 'production' : 'all';
      else if (/\bnpm\s+prune\b/.test(command) && prodOnly) deps = 'production';
    }
  }
  return deps;
}

function stageRuns(stages: Stage[], stage: Stage, pattern: RegExp): boolean {
  if (stage.instructions.some((i) => i.keyword === 'RUN' && pattern.test(i.args))) return true;
  const parent = stages.find((s) => s.name === stage.from.toLowerCase());
  return parent !== undefined && parent !== stage && stageRuns(stages, parent, pattern);
}

interface Image {
  stages: Stage[];
  final: Stage;
  env: Map<string, string>;
  uid: number;
  exposed: number[];
}

function readDockerfile(): Image {
  const file = join(ROOT, 'Dockerfile');
  if (!existsSync(file)) throw new Error('Dockerfile is missing');
  const stages = parseDockerfile(readFileSync(file, 'utf8'));
  const final = stages[stages.length - 1];
  const env = new Map<string, string>();
  let user: string | undefined;
  const exposed: number[] = [];
  for (const ins of final?.instructions ?? []) {
    if (ins.keyword === 'ENV') for (const [k, v] of envPairs(ins.args)) env.set(k, v);
    if (ins.keyword === 'USER') user = ins.args;
    if (ins.keyword === 'EXPOSE') {
      exposed.push(...ins.args.split(/\s+/).map((p) => Number(p.replace(/\/tcp$/, ''))));
    }
  }
  const uid = user !== undefined && /^\d+(:\d+)?$/.test(user) ? Number(user.split(':')[0]) : NaN;
  return { stages, final, env, uid, exposed };
}

describe('Dockerfile', () => {
  const image = readDockerfile();
  const { stages, final } = image;

  it('has a build stage and a separate runtime stage on a pinned Node LTS bookworm-slim image the engines floor allows', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const engines = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        engines?: { node?: string };
      }
    ).engines?.node;
    const floor = /^>=(\d+)\.(\d+)/.exec(engines ?? '');
    if (!floor)
      throw new Error(`package.json engines.node ${engines}: expected ">=<major>.<minor>"`);
    for (const stage of stages) {
      if (stages.some((s) => s.name === stage.from.toLowerCase())) continue; // FROM another stage
      const m = /^node:(\d+)\.(\d+)(?:\.\d+)?-bookworm-slim(?:@sha256:[0-9a-f]{64})?$/.exec(
        stage.from,
      );
      if (!m)
        throw new Error(`FROM ${stage.from}: use a pinned node:<major>.<minor>-bookworm-slim tag`);
      const [major, minor] = [Number(m[1]), Number(m[2])];
      expect(major % 2).toBe(0); // even majors are the LTS lines
      expect(major * 1000 + minor).toBeGreaterThanOrEqual(
        Number(floor[1]) * 1000 + Number(floor[2]),
      );
    }
  });

  it('runs the server as a numeric non-root user with an exec-form CMD', () => {
    if (Number.isNaN(image.uid)) {
      throw new Error(
        'the final stage needs a numeric USER (e.g. USER 1000:1000) for runAsNonRoot',
      );
    }
    expect(image.uid).not.toBe(0);
    expect(image.uid).toBe(APP_UID);
    const cmds = final.instructions.filter((i) => i.keyword === 'CMD');
    expect(cmds.length).toBeGreaterThan(0);
    const cmd = execForm(cmds[cmds.length - 1].args);
    if (!cmd) throw new Error('CMD must be exec form (a JSON array) so SIGTERM reaches node');
    expect(cmd).toEqual(['node', ENTRY]);
    for (const entrypoint of final.instructions.filter((i) => i.keyword === 'ENTRYPOINT')) {
      expect(execForm(entrypoint.args)).toBeDefined();
    }
  });

  it('sets the production environment and exposes the port the server listens on', () => {
    expect(image.env.get('NODE_ENV')).toBe('production');
    expect(image.env.get('HOST')).toBe('0.0.0.0');
    expect(image.exposed).toEqual([Number(image.env.get('PORT'))]);
    for (const name of image.env.keys()) expect(APP_ENV).toContain(name);
  });

  it('ships production dependencies only, the lockfile and the compiled dist folders', () => {
    const copies = final.instructions
      .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
      .map((i) => ({ ...parseCopy(i.args), line: i.line, keyword: i.keyword }));
    const problems: string[] = [];
    for (const c of copies) {
      if (c.keyword === 'ADD') problems.push(`line ${c.line}: use COPY, not ADD`);
      if (c.from === undefined) {
        problems.push(`line ${c.line}: the runtime stage copies from the build context`);
      }
    }
    const shipped = (path: string): { from?: string } | undefined =>
      copies.find((c) => c.sources.some((s) => s.replace(/\/$/, '').endsWith(path)));
    for (const path of [
      'package.json',
      'package-lock.json',
      'node_modules',
      `${LIBRARY}/package.json`,
    ]) {
      if (!shipped(path)) problems.push(`the runtime stage does not copy ${path}`);
    }
    for (const part of SHIPPED_CODE) {
      if (!shipped(part)) problems.push(`the runtime stage does not copy ${part}`);
    }
    const modules = shipped('node_modules');
    const source = stages.find((s) => s.name === modules?.from);
    if (modules && !source) problems.push(`node_modules comes from unknown stage ${modules.from}`);
    if (source && dependenciesOf(stages, source) !== 'production') {
      problems.push(
        `node_modules comes from stage ${source.name}, which holds dev dependencies ` +
          '(use npm ci --omit=dev or npm prune --omit=dev)',
      );
    }
    for (const path of SHIPPED_CODE) {
      const from = stages.find((s) => s.name === shipped(path)?.from);
      if (from && !stageRuns(stages, from, /\bnpm run build\b/)) {
        problems.push(`${path} comes from stage ${from.name}, which never runs npm run build`);
      }
    }
    if (dependenciesOf(stages, final) === 'all') {
      problems.push('the runtime stage installs dev dependencies');
    }
    expect(problems).toEqual([]);
  });

  it('keeps node_modules, dist, git and local env files out of the build context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim().replace(/^\/|\/$/g, ''));
    for (const entry of ['node_modules', 'dist', '.git', '.env', 'test-results', '.tmp']) {
      expect(ignore).toContain(entry);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests
// ---------------------------------------------------------------------------------------------

const SECRET_NAME = 'pushpage-secrets';

/** Files under k8s/ that are not kustomize input (a Helm values file for prometheus-adapter). */
const NOT_KUSTOMIZE_INPUT = new Set([
  'k8s/components/tabs-autoscaling/prometheus-adapter-values.yaml',
]);

describe('k8s/ files', () => {
  const files = walk(K8S, (f) => ['.yaml', '.yml', '.json'].includes(extname(f)));

  it.each(files.map((f) => [rel(f), f]))('%s parses', (_name, file) => {
    if (file.endsWith('.json')) JSON.parse(readFileSync(file, 'utf8'));
    else expect(readYamlDocuments(file).length).toBeGreaterThan(0);
  });

  it('are each read by a kustomization of a variant or a component', () => {
    const used = new Set<string>();
    for (const v of VARIANTS) kustomizeInputs(join(ROOT, v.dir), used);
    for (const c of COMPONENTS) kustomizeInputs(join(K8S, 'components', c), used);
    const unused = files.filter((f) => !used.has(f) && !NOT_KUSTOMIZE_INPUT.has(rel(f)));
    expect(unused.map(rel)).toEqual([]);
  });
});

describeWithKubectl('kubectl kustomize', () => {
  describe.each(VARIANTS)('$name ($dir)', (variant: Variant) => {
    let objects: KubeObject[];
    const image = readDockerfile();

    beforeAll(() => {
      objects = build(variant);
    });

    const deployments = (): IDeployment[] => ofKind<IDeployment>(objects, 'Deployment');
    const server = (): { deployment: IDeployment; container: IContainer; pod: IPodSpec } => {
      const [deployment, ...others] = deployments();
      expect(others).toEqual([]);
      const pod = deployment?.spec?.template.spec;
      const container = pod?.containers[0];
      if (!deployment || !pod || !container || pod.containers.length !== 1) {
        throw new Error('expected one Deployment with one container');
      }
      return { deployment, container, pod };
    };
    const configMap = (name: string): IConfigMap | undefined =>
      ofKind<IConfigMap>(objects, 'ConfigMap').find((c) => c.metadata?.name === name);
    const secret = (name: string): ISecret | undefined =>
      ofKind<ISecret>(objects, 'Secret').find((s) => s.metadata?.name === name);
    const secretValue = (s: ISecret, key: string): string | undefined =>
      s.stringData?.[key] ??
      (s.data?.[key] === undefined ? undefined : Buffer.from(s.data[key], 'base64').toString());

    /** The server's effective environment: image defaults, then envFrom, then env. */
    const environment = (): Map<string, { value?: string; from: string }> => {
      const { container } = server();
      const env = new Map<string, { value?: string; from: string }>();
      for (const [k, v] of image.env) env.set(k, { value: v, from: 'image' });
      for (const source of container.envFrom ?? []) {
        if (source.prefix) throw new Error('envFrom prefixes are not used');
        if (source.configMapRef) {
          const cm = configMap(source.configMapRef.name ?? '');
          if (!cm) throw new Error(`envFrom: ConfigMap ${source.configMapRef.name} is missing`);
          for (const [k, v] of Object.entries(cm.data ?? {}))
            env.set(k, { value: v, from: 'configmap' });
        }
        if (source.secretRef) {
          const s = secret(source.secretRef.name ?? '');
          if (!s) throw new Error(`envFrom: Secret ${source.secretRef.name} is missing`);
          for (const k of Object.keys({ ...s.data, ...s.stringData })) {
            env.set(k, { value: secretValue(s, k), from: 'secret' });
          }
        }
      }
      for (const e of container.env ?? []) {
        if (e.valueFrom?.secretKeyRef) {
          const ref = e.valueFrom.secretKeyRef;
          const s = secret(ref.name ?? '');
          env.set(e.name, { value: s && secretValue(s, ref.key), from: 'secret' });
        } else if (e.valueFrom?.configMapKeyRef) {
          const ref = e.valueFrom.configMapKeyRef;
          env.set(e.name, { value: configMap(ref.name ?? '')?.data?.[ref.key], from: 'configmap' });
        } else if (e.valueFrom) env.set(e.name, { from: 'field' });
        else env.set(e.name, { value: e.value ?? '', from: 'literal' });
      }
      return env;
    };

    it('renders only valid objects of known kinds, each once', () => {
      const problems = objects.flatMap((o) => validateObject(o, variant.dir));
      expect(problems).toEqual([]);
      expect(new Set(objects.map(idOf)).size).toBe(objects.length);
    });

    it('puts every object in the overlay namespace, which it creates', () => {
      const wrong = objects
        .filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== variant.namespace)
        .map((o) => `${idOf(o)}: namespace ${String(o.metadata.namespace)}`);
      expect(wrong).toEqual([]);
      const namespaces = ofKind<KubeObject>(objects, 'Namespace').map(nameOf);
      expect(namespaces).toEqual(variant.namespace === undefined ? [] : [variant.namespace]);
    });

    it('probes /healthz (liveness) and /readyz (readiness) on the container port', () => {
      const { container } = server();
      const port = Number(environment().get('PORT')?.value);
      const http = (container.ports ?? []).find((p) => p.containerPort === port);
      if (!http) throw new Error(`no container port equals PORT (${port})`);
      expect(image.exposed).toContain(port);
      const problems: string[] = [];
      const check = (probe: IProbe | undefined, path: string, what: string): void => {
        const get = probe?.httpGet;
        if (!get) return void problems.push(`${what}: expected an httpGet probe`);
        if (get.path !== path) problems.push(`${what}: path ${get.path}, expected ${path}`);
        if (get.port !== http.name && get.port !== http.containerPort) {
          problems.push(
            `${what}: port ${get.port} is not the container port (${http.name}/${port})`,
          );
        }
        if ((get.scheme ?? 'HTTP') !== 'HTTP') problems.push(`${what}: scheme ${get.scheme}`);
      };
      check(container.livenessProbe, '/healthz', 'livenessProbe');
      check(container.readinessProbe, '/readyz', 'readinessProbe');
      if (container.startupProbe) check(container.startupProbe, '/healthz', 'startupProbe');
      expect(problems).toEqual([]);
    });

    it('gives a terminating replica time for the shutdown delay and the drain', () => {
      const { pod } = server();
      const delay = Number(environment().get('PUSHPAGE_SHUTDOWN_DELAY_MS')?.value ?? 5000);
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      expect(grace).toBeGreaterThanOrEqual(20);
      expect(grace).toBeGreaterThanOrEqual(Math.ceil(delay / 1000) + DRAIN_AFTER_DELAY_S);
    });

    it('runs every container non-root, read-only, without privileges, with RuntimeDefault seccomp', () => {
      const problems: string[] = [];
      for (const w of workloads(objects)) {
        const podSc = w.pod.securityContext ?? {};
        if (w.pod.hostNetwork || w.pod.hostPID || w.pod.hostIPC)
          problems.push(`${w.name}: host namespaces`);
        for (const c of [...(w.pod.initContainers ?? []), ...w.pod.containers]) {
          const sc = c.securityContext ?? {};
          const where = `${w.kind} ${w.name} container ${c.name}`;
          if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true)
            problems.push(`${where}: runAsNonRoot`);
          const uid = sc.runAsUser ?? podSc.runAsUser;
          if (uid === undefined || uid === 0) problems.push(`${where}: runAsUser must be non-zero`);
          if (w.kind === 'Deployment' && uid !== image.uid) {
            problems.push(`${where}: runAsUser ${uid} differs from the image's USER ${image.uid}`);
          }
          if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem`);
          if (sc.allowPrivilegeEscalation !== false)
            problems.push(`${where}: allowPrivilegeEscalation`);
          if (sc.privileged) problems.push(`${where}: privileged`);
          if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: drop ALL`);
          if ((sc.capabilities?.add ?? []).length > 0) problems.push(`${where}: adds capabilities`);
          if ((sc.seccompProfile ?? podSc.seccompProfile)?.type !== 'RuntimeDefault') {
            problems.push(`${where}: seccompProfile RuntimeDefault`);
          }
        }
      }
      expect(problems).toEqual([]);
      const { pod, container } = server();
      const tmp = (container.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
      const volume = pod.volumes?.find((v) => v.name === tmp?.name);
      expect(volume?.emptyDir).toBeDefined();
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    it('sets CPU and memory requests and limits on every container, requests within limits', () => {
      const problems: string[] = [];
      for (const w of workloads(objects)) {
        for (const c of [...(w.pod.initContainers ?? []), ...w.pod.containers]) {
          for (const r of ['cpu', 'memory']) {
            const request = quantity(c.resources?.requests?.[r]);
            const limit = quantity(c.resources?.limits?.[r]);
            const where = `${w.name}/${c.name} ${r}`;
            if (!(request > 0)) problems.push(`${where}: no request`);
            if (!(limit > 0)) problems.push(`${where}: no limit`);
            if (request > limit) problems.push(`${where}: request above limit`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it(`runs at least ${variant.minReplicas} replicas, spread across nodes`, () => {
      const { deployment } = server();
      const spec = deployment.spec;
      const labels = spec?.template.metadata?.labels ?? {};
      const hpa = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler')[0];
      expect(hpa?.spec?.minReplicas ?? 1).toBeGreaterThanOrEqual(variant.minReplicas);
      expect(labelsMatch(spec?.selector.matchLabels, labels)).toBe(true);
      const pod = spec?.template.spec;
      const constraints = pod?.topologySpreadConstraints ?? [];
      // Spread each revision on its own: old pods of a rollout would skew the new ones.
      for (const t of constraints) expect(t.matchLabelKeys).toContain('pod-template-hash');
      const spread = constraints.some(
        (t) =>
          t.topologyKey === 'kubernetes.io/hostname' &&
          labelsMatch(t.labelSelector?.matchLabels, labels),
      );
      const anti = [
        ...(pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(
          pod?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        ).map((p) => p.podAffinityTerm),
      ].some(
        (t) =>
          t.topologyKey === 'kubernetes.io/hostname' &&
          labelsMatch(t.labelSelector?.matchLabels, labels),
      );
      expect(spread || anti).toBe(true);
    });

    it('uses the expected server image', () => {
      const { container } = server();
      expect(container.image).toMatch(variant.image);
      expect(parseImage(container.image ?? '').tag).not.toBe('latest');
    });

    it('asks Prometheus to scrape /metrics on its own container port, which no Service exposes', () => {
      const { deployment, container } = server();
      const annotations = deployment.spec?.template.metadata?.annotations ?? {};
      expect(annotations['prometheus.io/scrape']).toBe('true');
      expect(annotations['prometheus.io/path']).toBe('/metrics');
      const metricsPort = environment().get('PUSHPAGE_METRICS_PORT')?.value;
      if (metricsPort === undefined) throw new Error('PUSHPAGE_METRICS_PORT is not set');
      expect(annotations['prometheus.io/port']).toBe(metricsPort);
      expect(metricsPort).not.toBe(environment().get('PORT')?.value);
      const port = (container.ports ?? []).find((p) => p.containerPort === Number(metricsPort));
      expect(port?.name).toBe('metrics');
      const exposed = ofKind<IService>(objects, 'Service').flatMap((s) =>
        (s.spec?.ports ?? []).filter(
          (p) => p.targetPort === port?.name || p.targetPort === port?.containerPort,
        ),
      );
      expect(exposed).toEqual([]);
    });

    it('names the origins the Ingress serves as the public origins', () => {
      const origins = (environment().get('PUSHPAGE_PUBLIC_ORIGINS')?.value ?? '').split(',');
      expect(origins.filter((o) => !/^https?:\/\/[^\s/]+$/.test(o))).toEqual([]);
      const missing: string[] = [];
      for (const ing of ofKind<IIngress>(objects, 'Ingress')) {
        const tlsHosts = (ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
        for (const { host } of ing.spec?.rules ?? []) {
          if (host === undefined) continue; // any host: the overlay names its own
          const origin = `${tlsHosts.includes(host) ? 'https' : 'http'}://${host}`;
          if (!origins.includes(origin)) missing.push(origin);
        }
      }
      // TLS ends at the Gateway's listener.
      for (const route of ofKind<KubeObject>(objects, 'HTTPRoute')) {
        const spec = route.spec;
        const hostnames = isObject(spec) && Array.isArray(spec.hostnames) ? spec.hostnames : [];
        for (const host of hostnames)
          if (!origins.includes(`https://${String(host)}`)) missing.push(`https://${String(host)}`);
      }
      expect(missing).toEqual([]);
    });

    it('sets only the environment variables the server reads, secrets from a Secret', () => {
      const problems: string[] = [];
      for (const w of workloads(objects)) {
        for (const c of [...(w.pod.initContainers ?? []), ...w.pod.containers]) {
          const names = (c.env ?? []).map((e) => e.name);
          if (new Set(names).size !== names.length)
            problems.push(`${w.name}/${c.name}: duplicate env`);
          for (const n of names)
            if (!APP_ENV.has(n)) problems.push(`${w.name}/${c.name}: env ${n}`);
          for (const s of c.envFrom ?? []) {
            const keys = s.configMapRef
              ? Object.keys(configMap(s.configMapRef.name ?? '')?.data ?? {})
              : Object.keys({
                  ...secret(s.secretRef?.name ?? '')?.data,
                  ...secret(s.secretRef?.name ?? '')?.stringData,
                });
            for (const k of keys)
              if (!APP_ENV.has(k)) problems.push(`${w.name}/${c.name}: envFrom key ${k}`);
          }
        }
      }
      for (const [name, { from }] of environment()) {
        if ((SECRET_ENV.has(name) || OPTIONAL_SECRET_ENV.has(name)) && from !== 'secret')
          problems.push(`${name} must come from a Secret`);
      }
      for (const name of SECRET_ENV)
        if (!environment().has(name)) problems.push(`${name} is not set`);
      expect(problems).toEqual([]);
    });

    it("is a configuration the server's own loadConfig accepts (placeholders: refuses)", async () => {
      // Loaded here, so a broken app module fails this test only.
      await import('reflect-metadata'); // class-transformer decorators in apps/demo/config
      const { loadConfig } = await import('../../apps/demo/config');
      const env: NodeJS.ProcessEnv = {};
      for (const [name, { value }] of environment()) if (value !== undefined) env[name] = value;
      if (variant.secret === 'external') {
        // Stand-ins for the Secret created in the cluster.
        env.REDIS_URL = 'rediss://:password@redis.example.com:6380/0';
        env.PUSHPAGE_SESSION_SECRET = 'x'.repeat(32);
      }
      if (variant.secret === 'placeholder') {
        expect(() => loadConfig(env)).toThrow(/REDIS_URL/);
        expect(() => loadConfig({ ...env, REDIS_URL: 'redis://redis:6379' })).toThrow(
          /PUSHPAGE_SESSION_SECRET/,
        );
        env.REDIS_URL = 'redis://redis:6379';
        env.PUSHPAGE_SESSION_SECRET = 'x'.repeat(32);
      }
      const config = loadConfig(env);
      const { container, pod } = server();
      expect(config.production).toBe(true);
      expect(config.host).toBe('0.0.0.0');
      expect((container.ports ?? []).map((p) => p.containerPort)).toContain(config.port);
      expect(config.pushpage.redisUrl).toBeDefined();
      expect(config.pushpage.publicOrigins?.length).toBeGreaterThan(0);
      expect(config.pushpage.publicMetrics).toBe(false);
      const grace = pod.terminationGracePeriodSeconds ?? 30;
      const delay = config.pushpage.shutdownDelayMs ?? 0;
      expect(grace).toBeGreaterThanOrEqual(Math.ceil(delay / 1000) + DRAIN_AFTER_DELAY_S);
    });

    it('references ConfigMaps and Secrets that exist (or, in prod, the Secret created outside git)', () => {
      const { container } = server();
      const refs = [
        ...(container.env ?? []).flatMap((e) =>
          e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [],
        ),
      ];
      for (const ref of refs) {
        expect(ref.optional).not.toBe(true);
        expect(SECRET_ENV).toContain(ref.key);
        const s = secret(ref.name ?? '');
        if (variant.secret === 'external') {
          expect(ref.name).toBe(SECRET_NAME);
          expect(s).toBeUndefined();
        } else {
          if (!s) throw new Error(`Secret ${ref.name} is missing`);
          expect(secretValue(s, ref.key)).toBeDefined();
        }
      }
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef) expect(configMap(source.configMapRef.name ?? '')).toBeDefined();
      }
    });

    it('keeps real secrets out of git', () => {
      const s = secret(SECRET_NAME);
      if (variant.secret === 'external') {
        expect(ofKind<ISecret>(objects, 'Secret')).toEqual([]);
        return;
      }
      if (!s) throw new Error(`Secret ${SECRET_NAME} is missing`);
      const url = secretValue(s, 'REDIS_URL') ?? '';
      const session = secretValue(s, 'PUSHPAGE_SESSION_SECRET') ?? '';
      if (variant.secret === 'placeholder') {
        // Placeholders the server refuses at start-up, so nothing runs on them by accident.
        expect(url).toMatch(/REPLACE_ME/);
        expect(url).not.toMatch(/^rediss?:\/\//);
        expect(session).toMatch(/REPLACE_ME/);
        expect(session.length).toBeLessThan(16);
        return;
      }
      // Inline development values: valid, marked as such, and aimed at the in-cluster Redis.
      expect(session.length).toBeGreaterThanOrEqual(16);
      expect(session).toMatch(/dev/i);
      const parsed = new URL(url);
      expect(parsed.protocol).toBe('redis:');
      const [first, second] = parsed.hostname.split('.');
      const port = Number(parsed.port || 6379);
      const services = ofKind<IService>(objects, 'Service');
      const sts = ofKind<IStatefulSet>(objects, 'StatefulSet').find(
        (st) =>
          st.spec?.serviceName === second && new RegExp(`^${st.metadata?.name}-\\d+$`).test(first),
      );
      const service = services.find((sv) => sv.metadata?.name === (sts ? second : first));
      if (!service)
        throw new Error(`REDIS_URL host ${parsed.hostname} is not a Service of this build`);
      expect(service.spec?.ports?.map((p) => p.port)).toContain(port);
      const pods = workloads(objects).filter((w) => labelsMatch(service.spec?.selector, w.labels));
      expect(
        pods
          .map((w) => w.pod.containers.flatMap((c) => c.ports?.map((p) => p.containerPort) ?? []))
          .flat(),
      ).toContain(port);
    });

    it('routes the Service to the server pods only, on the container port', () => {
      const { deployment, container } = server();
      const service = ofKind<IService>(objects, 'Service').find((s) =>
        labelsMatch(s.spec?.selector, deployment.spec?.template.metadata?.labels ?? {}),
      );
      if (!service) throw new Error('no Service selects the server pods');
      const selected = workloads(objects).filter((w) =>
        labelsMatch(service.spec?.selector, w.labels),
      );
      expect(selected.map((w) => w.name)).toEqual([deployment.metadata?.name]);
      expect(service.spec?.sessionAffinity ?? 'None').toBe('None');
      const port = Number(environment().get('PORT')?.value);
      const problems: string[] = [];
      for (const p of service.spec?.ports ?? []) {
        const target = p.targetPort ?? p.port;
        const match = (container.ports ?? []).find(
          (cp) => cp.name === target || cp.containerPort === target,
        );
        if (match?.containerPort !== port) {
          problems.push(`Service port ${p.name ?? p.port}: targetPort ${target} is not ${port}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('sends every Ingress path to an existing Service port, with websocket timeouts and no affinity', () => {
      const ingresses = ofKind<IIngress>(objects, 'Ingress');
      expect(ingresses.length).toBeGreaterThan(0);
      const publicIngresses = ingresses.filter((i) => !deniesEveryone(i));
      expect(publicIngresses.length).toBeGreaterThan(0);
      const services = ofKind<IService>(objects, 'Service');
      const problems: string[] = [];
      for (const ing of ingresses) {
        const name = `Ingress ${ing.metadata?.name}`;
        if (ing.spec?.ingressClassName !== 'nginx') problems.push(`${name}: ingressClassName`);
        if (variant.name.startsWith('prod')) {
          const hosts = (ing.spec?.rules ?? []).map((r) => r.host);
          const tlsHosts = (ing.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
          for (const h of hosts) {
            if (h === undefined || !tlsHosts.includes(h))
              problems.push(`${name}: host ${h} lacks TLS`);
          }
        }
      }
      for (const ing of publicIngresses) {
        const name = `Ingress ${ing.metadata?.name}`;
        const a = ing.metadata?.annotations ?? {};
        for (const timeout of ['proxy-read-timeout', 'proxy-send-timeout']) {
          const value = Number(a[`nginx.ingress.kubernetes.io/${timeout}`]);
          if (!(value >= 3600)) problems.push(`${name}: ${timeout} must be at least 3600`);
        }
        for (const key of Object.keys(a)) {
          if (
            /nginx\.ingress\.kubernetes\.io\/(affinity|session-cookie|upstream-hash-by)/.test(key)
          ) {
            problems.push(`${name}: ${key} (no stickiness: websocket transport only)`);
          }
        }
        const paths = (ing.spec?.rules ?? []).flatMap((r) => r.http?.paths ?? []);
        for (const needed of ['/', '/pushpage/socket.io', '/api/pages']) {
          if (!paths.some((p) => p.pathType === 'Prefix' && needed.startsWith(p.path ?? ''))) {
            problems.push(`${name}: no Prefix path covers ${needed}`);
          }
        }
        for (const p of paths) {
          const backend = p.backend.service;
          const service = services.find((s) => s.metadata?.name === backend?.name);
          const port = service?.spec?.ports?.find(
            (sp) =>
              (backend?.port?.name !== undefined && sp.name === backend.port.name) ||
              sp.port === backend?.port?.number,
          );
          if (!port) problems.push(`${name}: ${p.path} goes to no port of a Service of this build`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('keeps the probes, /metrics and the API docs off every public route (Ingress, HTTPRoute)', () => {
      expect(privatePathProblems(objects)).toEqual([]);
      const services = ofKind<IService>(objects, 'Service');
      const problems: string[] = [];
      for (const route of ofKind<KubeObject>(objects, 'HTTPRoute')) {
        const rules =
          isObject(route.spec) && Array.isArray(route.spec.rules) ? route.spec.rules : [];
        for (const rule of rules) {
          const refs = isObject(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
          for (const ref of refs.filter(isObject)) {
            const service = services.find((sv) => sv.metadata?.name === ref.name);
            if (!service?.spec?.ports?.some((p) => p.port === ref.port))
              problems.push(`HTTPRoute ${nameOf(route)}: ${String(ref.name)}:${String(ref.port)}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('lets pages reach http from anywhere, /metrics only from Prometheus, and the pods only DNS and Redis', () => {
      const { deployment, container } = server();
      const labels = deployment.spec?.template.metadata?.labels ?? {};
      const policies = ofKind<INetworkPolicy>(objects, 'NetworkPolicy').filter((p) =>
        labelsMatch(p.spec?.podSelector?.matchLabels, labels),
      );
      expect(policies.length).toBe(1);
      const spec = policies[0].spec;
      expect(spec?.policyTypes).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
      const ports = container.ports ?? [];
      const named = (port: string | number | undefined): string | undefined =>
        ports.find((p) => p.name === port || p.containerPort === port)?.name;
      const problems: string[] = [];
      const ingress = spec?.ingress ?? [];
      for (const [i, rule] of ingress.entries()) {
        const opened = (rule.ports ?? []).map((p) => named(p.port));
        if (opened.length === 0 || opened.includes(undefined))
          problems.push(`ingress[${i}]: opens ports other than the container's`);
        const fromAnywhere = (rule.from ?? []).length === 0;
        if (fromAnywhere && opened.some((p) => p !== 'http'))
          problems.push(`ingress[${i}]: opens ${opened.join(', ')} to everyone`);
      }
      if (
        !ingress.some(
          (r) => (r.from ?? []).length === 0 && r.ports?.some((p) => named(p.port) === 'http'),
        )
      )
        problems.push('http is not open to the ingress controller wherever it runs');
      if (!ingress.some((r) => r.ports?.some((p) => named(p.port) === 'metrics')))
        problems.push('metrics is open to no one');
      const egress = spec?.egress ?? [];
      const allows = (port: number, protocol: string): boolean =>
        egress.some(
          (r) =>
            (r.to ?? []).length === 0 &&
            (r.ports ?? []).some((p) => p.port === port && (p.protocol ?? 'TCP') === protocol),
        );
      if (!allows(53, 'UDP') || !allows(53, 'TCP')) problems.push('egress: DNS (53)');
      const url = environment().get('REDIS_URL')?.value;
      const redisPort = url && /^rediss?:/.test(url) ? Number(new URL(url).port || 6379) : 6379;
      if (!allows(redisPort, 'TCP')) problems.push(`egress: Redis (${redisPort})`);
      // Policies of other workloads (the dev Redis) must let the server in.
      for (const other of ofKind<INetworkPolicy>(objects, 'NetworkPolicy')) {
        if (policies.includes(other)) continue;
        const admitsServer = (other.spec?.ingress ?? []).some((r) =>
          (r.from ?? []).some((f) => labelsMatch(f.podSelector?.matchLabels, labels)),
        );
        if (!admitsServer)
          problems.push(`NetworkPolicy ${other.metadata?.name} shuts the server out`);
      }
      expect(problems).toEqual([]);
    });

    it('autoscales the Deployment on CPU from its minimum, and lets drains take one replica at a time', () => {
      const { deployment, container } = server();
      const [hpa, ...moreHpas] = ofKind<IHorizontalPodAutoscaler>(
        objects,
        'HorizontalPodAutoscaler',
      );
      expect(moreHpas).toEqual([]);
      if (!hpa?.spec) throw new Error('no HorizontalPodAutoscaler');
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deployment.metadata?.name,
      });
      const min = hpa.spec.minReplicas ?? 1;
      expect(min).toBeGreaterThanOrEqual(variant.minReplicas);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(min);
      // The HPA owns the count: a `replicas` here would be reapplied by every `kubectl apply`.
      expect(deployment.spec?.replicas).toBeUndefined();
      const cpu = (hpa.spec.metrics ?? []).find(
        (m) => m.type === 'Resource' && m.resource?.name === 'cpu',
      );
      expect(cpu?.resource?.target.type).toBe('Utilization');
      expect(cpu?.resource?.target.averageUtilization).toBeGreaterThan(0);
      expect(quantity(container.resources?.requests?.cpu)).toBeGreaterThan(0);
      const others = (hpa.spec.metrics ?? []).filter((m) => m !== cpu);
      for (const m of others) {
        // Tabs per pod (the tabs-autoscaling component), from the custom metrics API.
        expect(m.type).toBe('Pods');
        expect(m.pods?.metric.name).toBe('pushpage_connected_tabs');
        expect(m.pods?.target.type).toBe('AverageValue');
        expect(quantity(m.pods?.target.averageValue)).toBeGreaterThan(0);
      }
      expect(others.length).toBe(variant.components?.includes('tabs-autoscaling') ? 1 : 0);

      const [pdb, ...morePdbs] = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
      expect(morePdbs).toEqual([]);
      if (!pdb?.spec) throw new Error('no PodDisruptionBudget');
      const selected = workloads(objects).filter((w) =>
        labelsMatch(pdb.spec?.selector?.matchLabels, w.labels),
      );
      expect(selected.map((w) => w.name)).toEqual([deployment.metadata?.name]);
      const { maxUnavailable, minAvailable } = pdb.spec;
      if (maxUnavailable !== undefined) {
        expect(
          typeof maxUnavailable === 'number' ? maxUnavailable : parseInt(maxUnavailable, 10),
        ).toBeGreaterThanOrEqual(1);
      } else if (typeof minAvailable === 'number') {
        expect(minAvailable).toBeLessThan(min);
      } else {
        throw new Error('the PodDisruptionBudget needs maxUnavailable or a numeric minAvailable');
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Runtime dependencies of the compiled server
// ---------------------------------------------------------------------------------------------

describe('compiled server dependencies', () => {
  const builtins = new Set(builtinModules);
  // require("x"), require.resolve("x"), packageDir("x") (assets served from packages).
  const requirePattern = /\b(?:require|require\.resolve|packageDir)\(\s*(['"])([^'"]+)\1\s*\)/g;
  // pino transports, loaded by name in a worker: `target: 'pino-pretty'`.
  const transportPattern = /\btarget:\s*(['"])([@\w][\w./@-]*)\1/g;
  // used only when installed: the demo logs JSON without it (apps/demo/logging.ts)
  const optionalAtRuntime = new Set(['pino-pretty']);
  const packageOf = (spec: string): string =>
    spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];

  /** Packages the compiled files under `dir` require, and requires that leave `dir`. */
  function requiredBy(dir: string): { packages: Set<string>; problems: string[] } {
    const root = join(ROOT, dir);
    const files = walk(root, (f) => f.endsWith('.js'));
    const packages = new Set<string>();
    const problems: string[] = [];
    if (files.length === 0) problems.push(`${dir} holds no .js files: run npm run build first`);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const [, , name] of source.matchAll(transportPattern)) {
        if (optionalAtRuntime.has(packageOf(name))) continue;
        if (existsSync(join(ROOT, 'node_modules', packageOf(name), 'package.json'))) {
          packages.add(packageOf(name));
        }
      }
      for (const [, , spec] of source.matchAll(requirePattern)) {
        if (spec.startsWith('.') || spec.startsWith('/')) {
          const target = resolve(dirname(file), spec);
          const found = [target, `${target}.js`, `${target}.json`, join(target, 'index.js')].find(
            (f) => existsSync(f) && statSync(f).isFile(),
          );
          if (!found) problems.push(`${rel(file)}: require("${spec}") resolves to nothing`);
          else if (!found.startsWith(root + sep)) {
            problems.push(`${rel(file)}: require("${spec}") leaves ${dir}`);
          }
          continue;
        }
        if (spec.startsWith('node:') || builtins.has(spec) || builtins.has(packageOf(spec))) {
          continue;
        }
        if (optionalAtRuntime.has(packageOf(spec))) continue;
        packages.add(packageOf(spec));
      }
    }
    return { packages, problems };
  }

  function undeclared(packages: Set<string>, manifest: Manifest, owner: string): string[] {
    return [...packages].sort().flatMap((name) => {
      if (manifest.dependencies?.[name] ?? manifest.peerDependencies?.[name]) return [];
      const where = manifest.devDependencies?.[name] ? 'only in devDependencies' : 'undeclared';
      return [`${owner} requires ${name}, ${where}`];
    });
  }

  it('the demo requires only Node built-ins, its own files and packages in dependencies', () => {
    if (!existsSync(join(ROOT, ENTRY))) throw new Error(`${ENTRY} is missing: run npm run build`);
    const { packages, problems } = requiredBy('dist/apps');
    expect(packages).toContain('pushpage');
    problems.push(...undeclared(packages, readManifest('.'), 'the demo'));
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages?: Record<string, { dev?: boolean }>;
    };
    for (const name of packages) {
      if (lock.packages?.[`node_modules/${name}`]?.dev) {
        problems.push(`${name} is marked dev in package-lock.json: run npm install`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the library requires only Node built-ins, its own files and its declared packages', () => {
    const { packages, problems } = requiredBy(`${LIBRARY}/dist`);
    problems.push(...undeclared(packages, readManifest(LIBRARY), 'the library'));
    expect(problems).toEqual([]);
    expect(packages).toContain('@nestjs/common');
  });

  it('the demo provides every peer dependency of the library', () => {
    const app = readManifest('.');
    const peers = Object.keys(readManifest(LIBRARY).peerDependencies ?? {});
    expect(peers.filter((name) => app.dependencies?.[name] === undefined)).toEqual([]);
  });
});

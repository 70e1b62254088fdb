/**
 * The manifests under k8s/ as `kubectl kustomize` renders them, parsed: the same build that
 * `kubectl apply -k` sends to a cluster. Tests that need it are declared with
 * `describeWithKubectl`, which fails them with an explanation when kubectl is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** One Kubernetes object, as parsed. */
export interface KubeObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject;
}

export const ROOT = resolve(__dirname, '..', '..');

export interface Variant {
  name: string;
  dir: string;
  /** Components added on top (folders under k8s/components), as an overlay would list them. */
  components?: string[];
  /** Lowest replica count (the HPA minimum). */
  minReplicas: number;
  namespace?: string;
  /** placeholder: the base's fail-closed values; inline: throwaway values; external: not in git. */
  secret: 'placeholder' | 'inline' | 'external';
  /** What the server image reference must look like. */
  image: RegExp;
}

const PROD = {
  dir: 'k8s/overlays/prod',
  minReplicas: 3,
  namespace: 'pushpage',
  secret: 'external',
  // A released version or a digest.
  image: /^[\w.-]+(?::\d+)?\/[\w./-]+(?::v?\d+\.\d+\.\d+[\w.-]*|@sha256:[0-9a-f]{64})$/,
} as const;

export const COMPONENTS = ['monitoring', 'gateway-api', 'tabs-autoscaling'];

export const VARIANTS: Variant[] = [
  { name: 'base', dir: 'k8s/base', minReplicas: 3, secret: 'placeholder', image: /^pushpage$/ },
  {
    name: 'dev',
    dir: 'k8s/overlays/dev',
    minReplicas: 1,
    namespace: 'pushpage-dev',
    secret: 'inline',
    image: /^[^@]+:(?!latest$)[\w.-]+$/,
  },
  { name: 'prod', ...PROD },
  { name: 'prod with every component', ...PROD, components: COMPONENTS },
];

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every non-empty YAML document of a text; a syntax error or warning throws, naming `where`. */
export function parseYamlDocuments(text: string, where: string): Json[] {
  // Kubernetes reads YAML 1.1 (yes/no/on/off are booleans): parse it the same way.
  const docs = parseAllDocuments(text, { prettyErrors: true, version: '1.1' });
  const out: Json[] = [];
  for (const doc of docs) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      throw new Error(`${where}: ${problems.map((p) => p.message).join('; ')}`);
    }
    const value = doc.toJS({ maxAliasCount: 0 }) as Json | undefined;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function readYamlDocuments(file: string): Json[] {
  return parseYamlDocuments(readFileSync(file, 'utf8'), relative(ROOT, file));
}

export function asKubeObject(doc: Json, where: string): KubeObject {
  if (!isObject(doc)) throw new Error(`${where}: a document is not a mapping`);
  const { apiVersion, kind, metadata } = doc;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new Error(`${where}: a document has no apiVersion or kind`);
  }
  if (!isObject(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    throw new Error(`${where}: ${kind} has no metadata.name`);
  }
  return doc as KubeObject;
}

export const nameOf = (obj: KubeObject): string => obj.metadata.name as string;

export function idOf(obj: KubeObject): string {
  const ns = typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : '';
  return `${obj.apiVersion} ${obj.kind} ${ns}/${nameOf(obj)}`;
}

export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split('@', 2);
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

let kubectlCheck: string | null | undefined;

/** Why `kubectl kustomize` cannot run here, or null when it can. */
export function kubectlProblem(): string | null {
  if (kubectlCheck !== undefined) return kubectlCheck;
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'pipe', timeout: 20_000 });
    kubectlCheck = null;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    kubectlCheck = e.code === 'ENOENT' ? 'kubectl not found' : `kubectl fails: ${e.message}`;
  }
  return kubectlCheck;
}

/**
 * `describe`, for tests that render the manifests. Without a working kubectl they fail, each
 * group with one test that says what to install: the manifests are never left unchecked.
 */
export function describeWithKubectl(name: string, body: () => void): void {
  const problem = kubectlProblem();
  if (problem === null) return describe(name, body);
  describe(name, () => {
    it('needs kubectl', () => {
      throw new Error(`${problem}: install kubectl (with kustomize) to validate the manifests`);
    });
  });
}

function kustomize(dir: string): string {
  try {
    return execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`kubectl kustomize ${relative(ROOT, dir) || dir}: ${stderr.trim()}`);
  }
}

const builds = new Map<Variant, KubeObject[]>();

/** The objects `kubectl kustomize` renders for a variant (once per test file). */
export function build(variant: Variant): KubeObject[] {
  const cached = builds.get(variant);
  if (cached) return cached;
  const dir = join(ROOT, variant.dir);
  let output: string;
  if (variant.components === undefined) {
    output = kustomize(dir);
  } else {
    // An overlay of the variant's folder that adds the components (kustomize takes relative
    // paths only); the namespace is set again for the objects the components add.
    const tmp = mkdtempSync(join(tmpdir(), 'pushpage-kustomize-'));
    const path = (p: string): string => relative(tmp, p);
    try {
      writeFileSync(
        join(tmp, 'kustomization.yaml'),
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          ...(variant.namespace ? [`namespace: ${variant.namespace}`] : []),
          'resources:',
          `  - ${path(dir)}`,
          'components:',
          ...variant.components.map((c) => `  - ${path(join(ROOT, 'k8s', 'components', c))}`),
          '',
        ].join('\n'),
      );
      output = kustomize(tmp);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const objects = parseYamlDocuments(output, `kubectl kustomize ${variant.dir}`).map((doc) =>
    asKubeObject(doc, variant.name),
  );
  builds.set(variant, objects);
  return objects;
}

export const ofKind = <T>(objects: KubeObject[], kind: string): T[] =>
  objects.filter((o) => o.kind === kind) as unknown as T[];

/**
 * The files a kustomization folder reads, its own and those of the folders it uses
 * (resources, components, patch files, generator files): kubectl reads the same ones, and
 * fails on a missing one; this only tells which files are used at all.
 */
export function kustomizeInputs(dir: string, out = new Set<string>()): Set<string> {
  const file = join(dir, 'kustomization.yaml');
  if (out.has(file)) return out;
  out.add(file);
  const [k] = readYamlDocuments(file);
  if (!isObject(k)) return out;
  const list = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
  const strings = (value: Json | undefined): string[] =>
    list(value).filter((v): v is string => typeof v === 'string');
  for (const entry of [...strings(k.resources), ...strings(k.components)]) {
    const path = join(dir, entry);
    if (/\.ya?ml$/.test(entry)) out.add(path);
    else kustomizeInputs(path, out);
  }
  for (const patch of list(k.patches)) {
    if (isObject(patch) && typeof patch.path === 'string') out.add(join(dir, patch.path));
  }
  for (const generator of [...list(k.configMapGenerator), ...list(k.secretGenerator)]) {
    if (!isObject(generator)) continue;
    for (const f of strings(generator.files)) out.add(join(dir, f.split('=').pop() ?? f));
  }
  return out;
}

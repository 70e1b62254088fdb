/**
 * A small, strict stand-in for `kustomize build`, enough for the manifests under k8s/: it
 * renders a kustomization from `resources` (files and other kustomization folders),
 * `patches` (strategic-merge patch files, including `$patch: delete` of a whole resource),
 * `namespace` and `images`. Any other kustomization field, patch directive or unmatched patch
 * throws, so a manifest that would need real kustomize features fails instead of rendering
 * something kustomize would not.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
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

/** The result of rendering one kustomization folder. */
export interface Rendering {
  resources: KubeObject[];
  /** Every file read on the way (kustomization files, resource files, patch files). */
  files: { kustomizations: string[]; resources: string[]; patches: string[] };
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'namespace',
  'images',
  'patches',
]);
/** Kinds the namespace transformer leaves alone (the ones these manifests could use). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'PersistentVolume',
  'PriorityClass',
  'StorageClass',
]);
/** Kinds whose pod template carries containers (for `images`). */
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T extends Json>(value: T): T {
  return structuredClone(value);
}

/** Every non-empty YAML document in a file; a syntax error or warning throws with the file name. */
export function readYamlDocuments(file: string): Json[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), {
    prettyErrors: true,
    // Kubernetes reads YAML 1.1 (yes/no/on/off are booleans): parse it the same way.
    version: '1.1',
  });
  const out: Json[] = [];
  for (const doc of docs) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
    }
    const value = doc.toJS({ maxAliasCount: 0 }) as Json | undefined;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** A parsed document as a Kubernetes object (apiVersion, kind, metadata.name required). */
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

export function nameOf(obj: KubeObject): string {
  return obj.metadata.name as string;
}

export function namespaceOf(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/** apiVersion + kind + namespace + name, the identity kustomize keys resources by. */
export function idOf(obj: KubeObject): string {
  return `${obj.apiVersion} ${obj.kind} ${namespaceOf(obj)}/${nameOf(obj)}`;
}

export function findKustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
}

/** A path from a kustomization, which must stay inside its folder (kustomize's default). */
function fileInside(dir: string, path: string, field: string): string {
  const file = resolve(dir, path);
  const rel = relative(dir, file);
  if (isAbsolute(path) || rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) {
    throw new Error(`${dir}: ${field} entry "${path}" is outside the kustomization folder`);
  }
  if (!existsSync(file)) throw new Error(`${dir}: ${field} entry "${path}" does not exist`);
  return file;
}

function stringList(value: Json | undefined, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new Error(`${where} must be a list of strings`);
  }
  return value;
}

/** Renders the kustomization in `dir` the way `kustomize build dir` would. */
export function renderKustomization(dir: string): Rendering {
  const root = resolve(dir);
  const file = findKustomizationFile(root);
  if (!file) throw new Error(`${root}: no kustomization.yaml`);
  const docs = readYamlDocuments(file);
  if (docs.length !== 1 || !isObject(docs[0])) throw new Error(`${file}: expected one mapping`);
  const k = docs[0];
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || k.kind !== 'Kustomization') {
    throw new Error(
      `${file}: apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization`,
    );
  }
  for (const field of Object.keys(k)) {
    if (!SUPPORTED_FIELDS.has(field)) {
      throw new Error(`${file}: field "${field}" is not supported by this renderer`);
    }
  }

  const files: Rendering['files'] = { kustomizations: [file], resources: [], patches: [] };
  const resources: KubeObject[] = [];
  const add = (obj: KubeObject, where: string): void => {
    if (resources.some((r) => idOf(r) === idOf(obj))) {
      throw new Error(`${where}: ${idOf(obj)} is already defined`);
    }
    resources.push(obj);
  };

  // 1. resources: files of objects, or folders with their own kustomization.
  for (const entry of stringList(k.resources, `${file}: resources`)) {
    const path = resolve(root, entry);
    if (existsSync(path) && statSync(path).isDirectory()) {
      const sub = renderKustomization(path);
      files.kustomizations.push(...sub.files.kustomizations);
      files.resources.push(...sub.files.resources);
      files.patches.push(...sub.files.patches);
      for (const obj of sub.resources) add(obj, `${file} (from ${entry})`);
    } else {
      const resourceFile = fileInside(root, entry, 'resources');
      files.resources.push(resourceFile);
      for (const doc of readYamlDocuments(resourceFile)) {
        add(clone(asKubeObject(doc, resourceFile)), resourceFile);
      }
    }
  }

  // 2. patches: strategic-merge patch files, each matching an existing resource.
  if (k.patches !== undefined && !Array.isArray(k.patches)) {
    throw new Error(`${file}: patches must be a list`);
  }
  for (const entry of k.patches ?? []) {
    if (!isObject(entry) || typeof entry.path !== 'string' || Object.keys(entry).length !== 1) {
      throw new Error(
        `${file}: each patch must be { path: <file> } (no inline or targeted patches)`,
      );
    }
    const patchFile = fileInside(root, entry.path, 'patches');
    files.patches.push(patchFile);
    for (const doc of readYamlDocuments(patchFile)) {
      const patch = asKubeObject(doc, patchFile);
      const index = resources.findIndex(
        (r) =>
          r.apiVersion === patch.apiVersion &&
          r.kind === patch.kind &&
          nameOf(r) === nameOf(patch) &&
          namespaceOf(r) === namespaceOf(patch),
      );
      if (index < 0) {
        throw new Error(`${patchFile}: no resource ${idOf(patch)} to patch`);
      }
      if (patch.$patch === 'delete') {
        resources.splice(index, 1);
        continue;
      }
      const merged = strategicMerge(resources[index], patch, [patch.kind]);
      resources[index] = asKubeObject(merged, patchFile);
    }
  }

  // 3. namespace.
  if (k.namespace !== undefined) {
    if (typeof k.namespace !== 'string' || k.namespace === '') {
      throw new Error(`${file}: namespace must be a non-empty string`);
    }
    for (const obj of resources) {
      if (!CLUSTER_SCOPED.has(obj.kind)) obj.metadata.namespace = k.namespace;
    }
  }

  // 4. images.
  if (k.images !== undefined && !Array.isArray(k.images)) {
    throw new Error(`${file}: images must be a list`);
  }
  for (const image of k.images ?? []) {
    if (!isObject(image) || typeof image.name !== 'string') {
      throw new Error(`${file}: each image needs a name`);
    }
    for (const key of Object.keys(image)) {
      if (!['name', 'newName', 'newTag', 'digest'].includes(key)) {
        throw new Error(`${file}: images field "${key}" is not supported`);
      }
    }
    for (const obj of resources) setImage(obj, image);
  }

  return { resources, files };
}

/** Splits `registry/name:tag@digest` into its name, tag and digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split('@', 2);
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/** Every container (init containers included) of a workload's pod template. */
export function containersOf(obj: KubeObject): JsonObject[] {
  if (!POD_TEMPLATE_KINDS.has(obj.kind)) return [];
  const spec = obj.spec;
  const template = isObject(spec) ? spec.template : undefined;
  const podSpec = isObject(template) ? template.spec : undefined;
  if (!isObject(podSpec)) return [];
  const out: JsonObject[] = [];
  for (const field of ['initContainers', 'containers']) {
    const list = podSpec[field];
    if (Array.isArray(list)) out.push(...list.filter(isObject));
  }
  return out;
}

function setImage(obj: KubeObject, image: JsonObject): void {
  for (const container of containersOf(obj)) {
    if (typeof container.image !== 'string') continue;
    const current = parseImage(container.image);
    if (current.name !== image.name) continue;
    const name = typeof image.newName === 'string' ? image.newName : current.name;
    if (typeof image.digest === 'string') {
      container.image = `${name}@${image.digest}`;
    } else if (typeof image.newTag === 'string') {
      container.image = `${name}:${image.newTag}`;
    } else {
      const tag = current.tag === undefined ? '' : `:${current.tag}`;
      const digest = current.digest === undefined ? '' : `@${current.digest}`;
      container.image = `${name}${tag}${digest}`;
    }
  }
}

/**
 * The patch merge key of a list, from the Kubernetes API (`patchMergeKey`), for the lists these
 * manifests may patch; every other list is replaced as a whole.
 */
function mergeKeyOf(path: string[]): string | undefined {
  const field = path[path.length - 1];
  const inContainer = path.some((p) => p === 'containers' || p === 'initContainers');
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'env':
      return inContainer ? 'name' : undefined;
    case 'volumeMounts':
      return inContainer ? 'mountPath' : undefined;
    case 'ports':
      if (inContainer) return 'containerPort';
      return path[0] === 'Service' ? 'port' : undefined;
    case 'topologySpreadConstraints':
      return 'topologyKey';
    default:
      return undefined;
  }
}

/** A strategic merge patch of `patch` onto `target` (neither is changed). */
export function strategicMerge(target: Json, patch: Json, path: string[]): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) {
      throw new Error(`${path.join('.')}: patch directive "${key}" is not supported here`);
    }
    if (value === null) {
      delete out[key];
    } else if (Array.isArray(value)) {
      out[key] = mergeList(out[key], value, [...path, key]);
    } else if (isObject(value)) {
      out[key] = strategicMerge(out[key] ?? null, value, [...path, key]);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function mergeList(target: Json | undefined, patch: Json[], path: string[]): Json[] {
  const key = mergeKeyOf(path);
  if (key === undefined || !Array.isArray(target)) {
    for (const item of patch) {
      if (isObject(item) && Object.keys(item).some((k) => k.startsWith('$'))) {
        throw new Error(`${path.join('.')}: patch directives in a replaced list are not supported`);
      }
    }
    return clone(patch);
  }
  const out = clone(target);
  for (const item of patch) {
    if (!isObject(item) || item[key] === undefined) {
      throw new Error(`${path.join('.')}: every patch item needs its merge key "${key}"`);
    }
    const index = out.findIndex((t) => isObject(t) && t[key] === item[key]);
    if (item.$patch === 'delete') {
      if (Object.keys(item).length !== 2) {
        throw new Error(`${path.join('.')}: a $patch: delete item holds only the merge key`);
      }
      if (index < 0) throw new Error(`${path.join('.')}: no item ${key}=${String(item[key])}`);
      out.splice(index, 1);
    } else if (index >= 0) {
      out[index] = strategicMerge(out[index], item, [...path, String(item[key])]);
    } else {
      out.push(strategicMerge(null, item, [...path, String(item[key])]));
    }
  }
  return out;
}

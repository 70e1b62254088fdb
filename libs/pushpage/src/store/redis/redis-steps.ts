import { CHILD_LIMIT_SLACK, CommitRequest, PATCH_LOG, scopeBytesSlack, StoreOp } from '../store';

/** A commit's work on one scope, encoded for the step script (see `STEP_SCRIPT`). */
export interface ScopeStep {
  scope: string;
  /** the operations as flat script arguments */
  ops: string[];
  /** components whose document logs go with them */
  docs: string[];
  /** the version the commit expects the scope at, if validated */
  expect?: number;
  bump: boolean;
  /** the patch for the catch-up log, `{"o":[...]...}` without `s` and `v` */
  log?: string;
  /** whether the operations add children (the step checks `maxChildren`) */
  inserts: boolean;
  /**
   * The most children any component holds after the step as the writer counted them, or
   * `undefined` if it did not count one of them (see `childrenAfter`).
   */
  counted?: number;
  /** At most how many bytes the operations add to the scope (names and values written). */
  adds: number;
}

const bytes = (...texts: string[]) => texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);

function counted(step: ScopeStep, children: number | undefined): void {
  if (!step.inserts) step.counted = children;
  else if (step.counted !== undefined && children !== undefined)
    step.counted = Math.max(step.counted, children);
  else step.counted = undefined;
}

function where(home: string, id: string): { at: 'h' | 'i'; prefix: string } {
  return id === home ? { at: 'h', prefix: '' } : { at: 'i', prefix: `${id}|` };
}

function encode(op: StoreOp, step: ScopeStep): void {
  if (op.op === 'create') {
    const c = op.component;
    const { at, prefix } = where(op.home, c.id);
    const pairs = ['t', c.type, 'k', c.children.join(' ')];
    for (const [name, value] of Object.entries(c.fields)) pairs.push(name, value);
    step.ops.push('C', at, prefix, String(pairs.length / 2), ...pairs);
    step.adds += bytes(...pairs) + (pairs.length / 2) * bytes(prefix);
    if (c.children.length > 0) {
      counted(step, c.children.length);
      step.inserts = true;
    }
    return;
  }
  const { at, prefix } = where(op.home, op.id);
  switch (op.op) {
    case 'set':
      step.ops.push('S', at, prefix + op.field, op.value);
      step.adds += bytes(prefix, op.field, op.value);
      break;
    case 'unset':
      step.ops.push('U', at, prefix + op.field);
      break;
    case 'insert':
      step.ops.push('I', at, prefix, op.child, String(op.index));
      step.adds += bytes(op.child) + 1;
      counted(step, op.childrenAfter);
      step.inserts = true;
      break;
    case 'remove':
      step.ops.push('R', at, prefix, op.child);
      break;
    case 'delete': {
      const fields = op.parts.flatMap((part) => [
        `${part.id}|t`,
        `${part.id}|k`,
        // the byte count of its document (see APPEND_DOC_SCRIPT)
        ...(part.hasDoc ? [`${part.id}|db`] : []),
        ...part.fields.map((name) => `${part.id}|${name}`),
      ]);
      step.ops.push('D', 'i', String(fields.length), ...fields);
      for (const part of op.parts) if (part.hasDoc) step.docs.push(part.id);
      break;
    }
  }
}

/**
 * Splits a commit into one step per scope, in the order they must run: scopes the commit
 * was validated against first, then the others, each in the order first named.
 */
export function stepsOf(request: CommitRequest): ScopeStep[] {
  const steps = new Map<string, ScopeStep>();
  const stepOf = (scope: string): ScopeStep => {
    let step = steps.get(scope);
    if (!step) {
      step = { scope, ops: [], docs: [], bump: false, inserts: false, adds: 0 };
      steps.set(scope, step);
    }
    return step;
  };
  for (const [scope, version] of Object.entries(request.expect ?? {}))
    stepOf(scope).expect = version;
  if (request.receipt) stepOf(request.receipt.scope);
  for (const op of request.ops) encode(op, stepOf(op.home));
  for (const scope of request.bump) stepOf(scope).bump = true;
  for (const { scope, body } of request.log ?? []) stepOf(scope).log = body;
  return [...steps.values()].filter(
    (step) =>
      step.ops.length > 0 ||
      step.expect !== undefined ||
      step.bump ||
      step.scope === request.receipt?.scope,
  );
}

/** The script arguments of a step after the mode (see `STEP_SCRIPT`). */
export function stepArguments(
  step: ScopeStep,
  request: CommitRequest,
  mode: 'one' | 'main' | 'part' | 'fence' | 'check',
  token: string,
  plan = '',
): string[] {
  const receipt = request.receipt;
  return [
    mode,
    receipt?.owner ?? '',
    String(receipt?.doneTtlMs ?? 0),
    step.expect === undefined ? '' : String(step.expect),
    token,
    String(FENCE_TTL_MS),
    step.bump ? '1' : '0',
    step.log ?? '',
    step.scope,
    String(PATCH_LOG.keep),
    step.inserts && request.maxChildren !== undefined ? String(request.maxChildren) : '',
    plan,
    request.maxScopeBytes === undefined ? '' : String(request.maxScopeBytes),
    ...step.ops,
  ];
}

/**
 * Whether a step on a scope the commit did not read needs a check of its own before the
 * commit is decided: its inserts may pass `maxChildren`, or its writes `maxScopeBytes`,
 * unless the writer's counts from its load leave room enough (see `CHILD_LIMIT_SLACK`,
 * `scopeBytesSlack`).
 */
export function needsLimitCheck(step: ScopeStep, request: CommitRequest): boolean {
  const { maxChildren, maxScopeBytes } = request;
  const children =
    step.inserts &&
    maxChildren !== undefined &&
    !(step.counted !== undefined && step.counted <= maxChildren - CHILD_LIMIT_SLACK);
  if (children) return true;
  if (maxScopeBytes === undefined || step.adds === 0) return false;
  const known = request.knownBytes?.[step.scope];
  return known === undefined || known + step.adds > maxScopeBytes - scopeBytesSlack(maxScopeBytes);
}

/**
 * How long a scope stays fenced for a commit over several validated scopes (between its
 * check and its write; a few milliseconds unless the replica died in between).
 */
export const FENCE_TTL_MS = 3000;

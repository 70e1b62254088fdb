import { randomBytes } from 'node:crypto';
import { PushpageError } from '../../errors';
import { guarded, ScriptedClient, StepReply } from './redis-client';
import { RedisLayout } from './redis-layout';
import { needsLimitCheck, ScopeStep, stepArguments, stepsOf } from './redis-steps';
import { CommitRequest, CommitResult } from '../store';

/** How a commit waits for another commit's fence to go: up to the fence's 3 s, and a bit. */
const FENCE_RETRY = { attempts: 140, pauseMs: 25 } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Commits on the per-scope layout: one step script per scope, the other validated scopes
 * fenced first, the main step marking the event done with the plan of the rest, each other
 * step applied once under its own receipt (see docs/architecture.md).
 */
export class RedisCommits {
  constructor(
    private readonly redis: ScriptedClient,
    private readonly keys: RedisLayout,
    /** deletes a scope whose name claim was lost */
    private readonly deleteScope: (scopeId: string) => Promise<void>,
  ) {}

  async commit(request: CommitRequest): Promise<CommitResult> {
    if (request.sessionPage) {
      const { session, pageId, max } = request.sessionPage;
      const placed = await guarded(
        this.redis.ppTakePagePlace(this.keys.sessionPages(session), pageId, max),
      );
      if (placed !== 1) return { ok: false, tooManyPages: true };
    }
    const result = await this.commitWaitingForFences(request);
    if (!result.ok || !request.claim) return result;
    // the scope exists before its name points to it; a claim that loses deletes its scope
    const { name, id } = request.claim;
    const holder = await this.claimName(name, id);
    if (holder === id) return result;
    await this.deleteScope(id);
    return { ok: false, existing: holder };
  }

  private async commitWaitingForFences(request: CommitRequest): Promise<CommitResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.commitSteps(request);
      // a commit that met another commit's fence on a scope it did not read waits for it
      const fenced =
        !result.ok && 'conflict' in result && request.expect?.[result.conflict] === undefined;
      if (!fenced || attempt >= FENCE_RETRY.attempts) return result;
      await sleep(FENCE_RETRY.pauseMs);
    }
  }

  private async claimName(name: string, id: string): Promise<string> {
    const key = this.keys.name(name);
    let gone = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const holder = await guarded(this.redis.ppClaimName(key, id, gone));
      if (holder === id) return id;
      if ((await guarded(this.redis.exists(this.keys.scope(holder).head))) === 1) return holder;
      gone = holder;
    }
    return gone;
  }

  private async commitSteps(request: CommitRequest): Promise<CommitResult> {
    const steps = stepsOf(request);
    if (steps.length === 0) return { ok: true, versions: {} };
    if (steps.length === 1)
      return this.outcome([steps[0]], [await this.step(steps[0], request, 'one', '')]);

    const main =
      steps.find((s) => s.scope === request.receipt?.scope) ??
      steps.find((s) => s.expect !== undefined) ??
      steps[0];
    const others = steps.filter((s) => s !== main);
    const token = randomBytes(9).toString('base64url');
    const fenced: ScopeStep[] = [];
    const release = () =>
      Promise.all(
        fenced.map((s) => this.redis.ppReleaseFence(this.keys.scope(s.scope).head, token)),
      ).catch(() => undefined);
    // the validated scopes are checked and fenced first, the others' limits checked
    for (const step of others) {
      const mode =
        step.expect !== undefined ? 'fence' : needsLimitCheck(step, request) ? 'check' : undefined;
      if (!mode) continue;
      const reply = await this.step(step, request, mode, token).catch(async (error: unknown) => {
        await release();
        throw error;
      });
      if (reply[0] !== 1) {
        await release();
        const receipt = await this.receiptState(request);
        if (receipt === 'lost') return { ok: false, receiptLost: true };
        if (receipt === 'done') return this.replay(others, request, token);
        return this.outcome([step], [reply]);
      }
      if (mode === 'fence') fenced.push(step);
    }
    const plan = request.receipt
      ? JSON.stringify(
          others.map((s) => [s.scope, s.docs, stepArguments(s, request, 'part', token)]),
        )
      : '';
    const first = await this.step(main, request, 'main', token, plan);
    if (first[0] !== 1 && first[0] !== 6) {
      await release();
      return this.outcome([main], [first]);
    }
    const replies = [first];
    for (const step of others) replies.push(await this.part(step, request, token));
    if (plan)
      await guarded(
        this.redis.del(this.keys.scope(main.scope).plan(request.receipt?.eventId ?? '')),
      );
    return this.outcome([main, ...others], replies);
  }

  /**
   * Where this commit's event stands when a check failed before its main step: applied by
   * this very commit before (its answer was lost and it was sent again), no longer held by
   * its owner, or still held (the check's answer stands).
   */
  private async receiptState(request: CommitRequest): Promise<'done' | 'lost' | 'held'> {
    const receipt = request.receipt;
    if (!receipt) return 'held';
    const key = this.keys.scope(receipt.scope).receipt(receipt.eventId);
    const current = await guarded(this.redis.get(key));
    if (current === `done:${receipt.owner}`) return 'done';
    return current === `run:${receipt.owner}` ? 'held' : 'lost';
  }

  /** Applies again the steps of a commit already applied: each scope skips its own once. */
  private async replay(
    parts: ScopeStep[],
    request: CommitRequest,
    token: string,
  ): Promise<CommitResult> {
    for (const step of parts) await this.part(step, request, token);
    return { ok: true, versions: {}, replayed: true };
  }

  /**
   * A step after the main one: the commit is decided, so it must apply. A scope another
   * commit has fenced meanwhile takes it once that commit is done (milliseconds); if it never
   * is, the event's plan finishes the step when the event is sent again.
   */
  private part(step: ScopeStep, request: CommitRequest, token: string): Promise<StepReply> {
    const args = stepArguments(step, request, 'part', token);
    return this.runPart(step.scope, step.docs, request.receipt?.eventId ?? '-', args);
  }

  private async runPart(
    scope: string,
    docs: string[],
    eventId: string,
    args: string[],
  ): Promise<StepReply> {
    for (let attempt = 1; ; attempt++) {
      const reply = await this.runStep(scope, docs, eventId, args);
      if (reply[0] !== 5) return reply;
      if (attempt >= FENCE_RETRY.attempts)
        throw new PushpageError(
          'unavailable',
          `scope ${scope} stayed fenced by another commit; this one completes when sent again`,
        );
      await sleep(FENCE_RETRY.pauseMs);
    }
  }

  private step(
    step: ScopeStep,
    request: CommitRequest,
    mode: 'one' | 'main' | 'part' | 'fence' | 'check',
    token: string,
    plan = '',
  ): Promise<StepReply> {
    return this.runStep(
      step.scope,
      step.docs,
      request.receipt?.eventId ?? '-',
      stepArguments(step, request, mode, token, plan),
    );
  }

  private async runStep(
    scope: string,
    docs: string[],
    eventId: string,
    args: string[],
  ): Promise<StepReply> {
    const k = this.keys.scope(scope);
    const keys = [k.head, k.inside, k.log, k.receipt(eventId), k.plan(eventId)];
    const reply = await guarded(this.redis.ppStep(...keys, ...args));
    // the documents of deleted components go right after, in the same slot (a list left by a
    // replica that died in between holds dead updates only, until its scope is deleted)
    if (reply[0] === 1 && docs.length > 0) await guarded(this.redis.del(...docs.map(k.doc)));
    return reply;
  }

  private outcome(steps: ScopeStep[], replies: StepReply[]): CommitResult {
    const versions: Record<string, number> = {};
    const bytes: Record<string, number> = {};
    let replayed = false;
    for (const [i, [code, value, held]] of replies.entries()) {
      const scope = steps[i].scope;
      if (code === 5) return { ok: false, conflict: scope };
      if (code === 2) return { ok: false, receiptLost: true };
      if (code === 4) return { ok: false, tooManyChildren: String(value) };
      if (code === 8) return { ok: false, tooLarge: scope };
      if (code === 6) replayed = true;
      if (code === 1 && typeof value === 'number' && value >= 0) versions[scope] = value;
      if (code === 1 && typeof held === 'number') bytes[scope] = held;
    }
    return replayed ? { ok: true, versions: {}, replayed: true } : { ok: true, versions, bytes };
  }

  /** Applies the steps a commit over several scopes left undone (its replica died). */
  async finishPlan(scope: string, eventId: string, plan: string): Promise<void> {
    const parts = JSON.parse(plan) as [string, string[], string[]][];
    for (const [partScope, docs, args] of parts) await this.runPart(partScope, docs, eventId, args);
    await guarded(this.redis.del(this.keys.scope(scope).plan(eventId)));
  }
}

/**
 * A token bucket: `rate` tokens a second, holding at most `burst`. Each message takes one;
 * an empty bucket refuses.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number = rate * 2,
  ) {
    this.tokens = burst;
  }

  /** Takes a token if there is one. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether the bucket has been full for a while (safe to forget). */
  idleSince(now: number, ms: number): boolean {
    return now - this.last > ms;
  }
}

/** Token buckets by key (a session), forgetting the ones idle for a minute. */
export class TokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private swept = Date.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number = rate * 2,
  ) {}

  take(key: string, now = Date.now()): boolean {
    if (now - this.swept > 60_000) {
      for (const [k, b] of this.buckets) if (b.idleSince(now, 60_000)) this.buckets.delete(k);
      this.swept = now;
    }
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.rate, this.burst)));
    return bucket.take(now);
  }
}

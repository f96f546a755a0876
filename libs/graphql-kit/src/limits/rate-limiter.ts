/**
 * An in-memory token bucket per key: `capacity` tokens at most, refilled continuously at
 * `refillPerSecond`. Domain-agnostic (the key may be an API key, an account or an address) and
 * process-local: several instances each keep their own buckets.
 */
export interface RateLimitPolicy {
  /** The burst: how many tokens a full bucket holds. A positive integer. */
  capacity: number;
  /** Tokens added per second, fractions allowed (0.5 is one token every two seconds). */
  refillPerSecond: number;
}

export interface RateLimiterOptions extends RateLimitPolicy {
  /** Buckets kept at most (default 100 000); see the eviction note on {@link RateLimiter}. */
  maxKeys?: number;
  /** Milliseconds; only differences matter. Injectable for tests. */
  now?: () => number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** The capacity. */
  readonly limit: number;
  /** Whole tokens left after this take. */
  readonly remaining: number;
  /** Whole seconds until the bucket is full again. */
  readonly resetSeconds: number;
  /** 0 when allowed; otherwise whole seconds (at least 1) until `cost` tokens are available. */
  readonly retryAfterSeconds: number;
}

export const DEFAULT_MAX_KEYS = 100_000;

// A level is kept in thousandths of a token so that a bucket gains `refillPerSecond` units per
// millisecond: with integer rates and an integer clock the arithmetic stays exact, and a refill
// of 0.3 tokens taken ten times makes 3 tokens, not 2.9999999999999996.
const UNITS_PER_TOKEN = 1000;
// Absorbs the rounding left by fractional rates or clocks, a billionth of a token.
const SLACK = 1e-6;
// How many of the least recently used buckets an eviction looks at for full ones: enough to free
// room in batches, few enough that a flood of new keys costs a bounded amount per request.
const EVICTION_SCAN = 32;

interface Bucket {
  /** In units, as of `at`. */
  level: number;
  /** On the limiter's monotonic clock. */
  at: number;
}

/**
 * Refills lazily, on access: no timers. Refused takes spend nothing.
 *
 * Memory is bounded by `maxKeys`. A new key arriving when the limiter is full first drops the full
 * buckets among the least recently used ones (a full bucket is what a new one would be, so dropping
 * it loses nothing), and failing that the least recently used bucket. A key whose bucket was dropped
 * that way starts full again: the accepted cost of bounded memory, which a caller cycling through
 * more than `maxKeys` keys can use to get more than its share; size `maxKeys` above the number of
 * keys that are active within one refill period.
 *
 * A cost above the capacity can never be paid: it is refused without spending, with a
 * `retryAfterSeconds` of the time until the bucket is full (the best it will ever be). Callers that
 * weigh requests should refuse those outright instead (they can tell: `cost > decision.limit`), since
 * retrying will not help.
 */
export class RateLimiter {
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly maxKeys: number;
  private readonly now: () => number;
  private readonly full: number;
  // Insertion order is recency order: every access deletes and re-sets its key, so the first
  // entry is the least recently used.
  private readonly buckets = new Map<string, Bucket>();
  private lastReading: number;
  private elapsed = 0;

  constructor({
    capacity,
    refillPerSecond,
    maxKeys = DEFAULT_MAX_KEYS,
    now = () => performance.now(),
  }: RateLimiterOptions) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, not ${capacity}.`);
    if (!Number.isFinite(refillPerSecond) || refillPerSecond <= 0) {
      throw new RangeError(`refillPerSecond must be a positive number, not ${refillPerSecond}.`);
    }
    if (!Number.isSafeInteger(maxKeys) || maxKeys < 1)
      throw new RangeError(`maxKeys must be a positive integer, not ${maxKeys}.`);
    this.capacity = capacity;
    this.refillPerSecond = refillPerSecond;
    this.maxKeys = maxKeys;
    this.now = now;
    this.full = capacity * UNITS_PER_TOKEN;
    this.lastReading = now();
  }

  /** How many buckets are held. */
  get size(): number {
    return this.buckets.size;
  }

  /** Spends `cost` tokens from `key`'s bucket if it holds that many; a cost of 0 only reads it. */
  take(key: string, cost = 1): RateDecision {
    if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`cost must be a non-negative number, not ${cost}.`);
    const bucket = this.touch(key, this.clock());
    const price = cost * UNITS_PER_TOKEN;
    const allowed = bucket.level + SLACK >= price;
    if (allowed) bucket.level = Math.max(0, bucket.level - price);
    return {
      allowed,
      limit: this.capacity,
      remaining: Math.max(0, Math.floor((bucket.level + SLACK) / UNITS_PER_TOKEN)),
      resetSeconds: this.secondsToGain(this.full - bucket.level),
      retryAfterSeconds: allowed ? 0 : Math.max(1, this.secondsToGain(Math.min(price, this.full) - bucket.level)),
    };
  }

  /**
   * Milliseconds since construction, never decreasing: a wall clock stepped back (NTP, a resumed
   * virtual machine) counts as no time passing, so it neither mints tokens when it steps forward
   * again nor freezes refills until it catches up.
   */
  private clock(): number {
    const reading = this.now();
    if (!Number.isFinite(reading)) return this.elapsed;
    if (reading > this.lastReading) this.elapsed += reading - this.lastReading;
    this.lastReading = reading;
    return this.elapsed;
  }

  /** `key`'s bucket refilled up to `at` and made the most recently used, created full if absent. */
  private touch(key: string, at: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      bucket.level = this.levelAt(bucket, at);
      bucket.at = at;
    } else {
      if (this.buckets.size >= this.maxKeys) this.evict(at);
      bucket = { level: this.full, at };
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  private levelAt(bucket: Bucket, at: number): number {
    const level = bucket.level + (at - bucket.at) * this.refillPerSecond;
    return level + SLACK >= this.full ? this.full : level;
  }

  private evict(at: number): void {
    let scanned = 0;
    let freed = 0;
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [key, bucket] of this.buckets) {
      if (scanned++ >= EVICTION_SCAN) break;
      if (this.levelAt(bucket, at) === this.full) {
        this.buckets.delete(key);
        freed++;
      }
    }
    if (freed > 0) return;
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }

  private secondsToGain(units: number): number {
    return units <= SLACK ? 0 : Math.ceil((units - SLACK) / this.refillPerSecond / 1000);
  }
}

/**
 * The response headers of draft-ietf-httpapi-ratelimit-headers-06 (one field per value; draft 07
 * later folded them into a single `RateLimit` field), plus `Retry-After` (RFC 9110) when refused.
 * All values are delta-seconds or token counts, so no clock is shared with the client.
 */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds);
  return headers;
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** The policy in words, for documentation: "600 requests, refilled at 10 per second". */
export function describePolicy({ capacity, refillPerSecond }: RateLimitPolicy): string {
  const burst = `${number.format(capacity)} ${capacity === 1 ? 'request' : 'requests'}`;
  const period = 1 / refillPerSecond;
  // "1 every 2 seconds" reads better than "0.5 per second".
  if (refillPerSecond < 1 && Number.isInteger(period))
    return `${burst}, refilled at 1 every ${number.format(period)} seconds`;
  return `${burst}, refilled at ${number.format(refillPerSecond)} per second`;
}

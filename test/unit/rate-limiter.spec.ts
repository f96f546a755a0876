import {
  RateLimiter,
  describePolicy,
  rateLimitHeaders,
  type RateDecision,
  type RateLimiterOptions,
} from '@harbour/graphql-kit';
import fc from 'fast-check';

/** A clock the test moves by hand, starting at an arbitrary wall-clock instant. */
function manualClock(start = 1_750_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function limiter(options: Omit<RateLimiterOptions, 'now'>) {
  const clock = manualClock();
  return { clock, limiter: new RateLimiter({ ...options, now: clock.now }) };
}

/** Takes `times` times, returning the decisions. */
function takeTimes(rateLimiter: RateLimiter, key: string, times: number, cost = 1): RateDecision[] {
  return Array.from({ length: times }, () => rateLimiter.take(key, cost));
}

describe(RateLimiter.name, () => {
  describe('a burst', () => {
    it('is allowed up to the capacity, then refused until a token is back', () => {
      const { limiter: rateLimiter } = limiter({ capacity: 5, refillPerSecond: 1 });
      const decisions = takeTimes(rateLimiter, 'k', 5);
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true]);
      expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0]);
      expect(decisions.map((d) => d.resetSeconds)).toEqual([1, 2, 3, 4, 5]);
      expect(decisions.every((d) => d.limit === 5 && d.retryAfterSeconds === 0)).toBe(true);

      expect(rateLimiter.take('k')).toEqual({
        allowed: false,
        limit: 5,
        remaining: 0,
        resetSeconds: 5,
        retryAfterSeconds: 1,
      });
    });

    it('is told to retry after the whole seconds the missing tokens take', () => {
      const { limiter: rateLimiter } = limiter({ capacity: 3, refillPerSecond: 0.25 });
      takeTimes(rateLimiter, 'k', 3);
      expect(rateLimiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 4, resetSeconds: 12 });
    });

    it('rounds a part-refilled wait up, never down to 0', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 10, refillPerSecond: 2 });
      takeTimes(rateLimiter, 'k', 10);
      clock.advance(300); // 0.6 tokens: 0.2 s short of one
      expect(rateLimiter.take('k')).toMatchObject({
        allowed: false,
        remaining: 0,
        retryAfterSeconds: 1,
        resetSeconds: 5,
      });
    });

    it('is allowed again exactly when Retry-After says, not a millisecond before', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 3, refillPerSecond: 0.25 });
      takeTimes(rateLimiter, 'k', 3);
      const { retryAfterSeconds } = rateLimiter.take('k');
      clock.advance(retryAfterSeconds * 1000 - 1);
      expect(rateLimiter.take('k').allowed).toBe(false);
      clock.advance(1);
      expect(rateLimiter.take('k')).toMatchObject({ allowed: true, remaining: 0 });
    });
  });

  describe('refill', () => {
    it('accumulates fractions exactly, however often the bucket is read', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 10, refillPerSecond: 3 });
      takeTimes(rateLimiter, 'k', 10);
      for (let step = 0; step < 10; step++) {
        clock.advance(100); // 0.3 tokens each: floating point would sum them to 2.9999999999999996
        rateLimiter.take('k', 0);
      }
      expect(takeTimes(rateLimiter, 'k', 4).map((d) => d.allowed)).toEqual([true, true, true, false]);
    });

    it('accumulates rates below one token a second', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 1, refillPerSecond: 0.1 });
      rateLimiter.take('k');
      for (let step = 0; step < 9; step++) {
        clock.advance(1000);
        expect(rateLimiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 9 - step });
      }
      clock.advance(1000);
      expect(rateLimiter.take('k').allowed).toBe(true);
    });

    it('absorbs the rounding of a clock with fractional milliseconds', () => {
      let reading = 1234.567; // performance.now() style
      const rateLimiter = new RateLimiter({ capacity: 1, refillPerSecond: 10, now: () => reading });
      rateLimiter.take('k');
      for (let step = 0; step < 1000; step++) {
        reading += 0.1; // a hundred milliseconds in all, give or take the float rounding
        rateLimiter.take('k', 0);
      }
      expect(rateLimiter.take('k')).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 1 });
    });

    it('sustains exactly the refill rate', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 1, refillPerSecond: 10 });
      for (let step = 0; step < 100; step++) {
        expect(rateLimiter.take('k').allowed).toBe(true);
        clock.advance(100);
      }
      rateLimiter.take('k');
      clock.advance(99);
      expect(rateLimiter.take('k').allowed).toBe(false);
    });

    it('stops at the capacity', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 4, refillPerSecond: 2 });
      rateLimiter.take('k', 4);
      clock.advance(60 * 60 * 1000);
      expect(rateLimiter.take('k', 0)).toEqual({
        allowed: true,
        limit: 4,
        remaining: 4,
        resetSeconds: 0,
        retryAfterSeconds: 0,
      });
      expect(takeTimes(rateLimiter, 'k', 5).map((d) => d.allowed)).toEqual([true, true, true, true, false]);
    });
  });

  describe('costs', () => {
    it('spend several tokens at once, and a refusal spends none', () => {
      const { limiter: rateLimiter } = limiter({ capacity: 10, refillPerSecond: 1 });
      expect(rateLimiter.take('k', 4)).toMatchObject({ allowed: true, remaining: 6, resetSeconds: 4 });
      expect(rateLimiter.take('k', 4)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 8 });
      expect(rateLimiter.take('k', 4)).toEqual({
        allowed: false,
        limit: 10,
        remaining: 2,
        resetSeconds: 8,
        retryAfterSeconds: 2,
      });
      expect(rateLimiter.take('k', 2)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('may be fractions, and remaining counts whole tokens only', () => {
      const { limiter: rateLimiter } = limiter({ capacity: 1, refillPerSecond: 1 });
      expect(rateLimiter.take('k', 0.7)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 1 });
      expect(rateLimiter.take('k', 0.7)).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
      expect(rateLimiter.take('k', 0.3)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('of 0 read the bucket without spending', () => {
      const { limiter: rateLimiter } = limiter({ capacity: 2, refillPerSecond: 1 });
      rateLimiter.take('k', 2);
      expect(rateLimiter.take('k', 0)).toEqual({
        allowed: true,
        limit: 2,
        remaining: 0,
        resetSeconds: 2,
        retryAfterSeconds: 0,
      });
    });

    // The decision: a cost above the capacity is refused (never thrown on, never a 500), spends
    // nothing, and names the time until the bucket is full — the best it will ever be. Retrying
    // cannot help; callers recognise it by cost > limit.
    it('above the capacity are always refused, with the time until the bucket is full', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 5, refillPerSecond: 1 });
      expect(rateLimiter.take('k', 6)).toEqual({
        allowed: false,
        limit: 5,
        remaining: 5,
        resetSeconds: 0,
        retryAfterSeconds: 1,
      });
      rateLimiter.take('k', 3);
      expect(rateLimiter.take('k', 6)).toMatchObject({ allowed: false, remaining: 2, retryAfterSeconds: 3 });
      clock.advance(60 * 60 * 1000);
      expect(rateLimiter.take('k', 6)).toMatchObject({ allowed: false, remaining: 5 });
      expect(rateLimiter.take('k', 5)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('of %p are a programming error', (cost) => {
      const { limiter: rateLimiter } = limiter({ capacity: 5, refillPerSecond: 1 });
      expect(() => rateLimiter.take('k', cost)).toThrow(RangeError);
      expect(rateLimiter.size).toBe(0);
    });
  });

  it.each<[string, Omit<RateLimiterOptions, 'now'>]>([
    ['a capacity of 0', { capacity: 0, refillPerSecond: 1 }],
    ['a fractional capacity', { capacity: 2.5, refillPerSecond: 1 }],
    ['a refill of 0', { capacity: 1, refillPerSecond: 0 }],
    ['a negative refill', { capacity: 1, refillPerSecond: -1 }],
    ['an infinite refill', { capacity: 1, refillPerSecond: Number.POSITIVE_INFINITY }],
    ['maxKeys of 0', { capacity: 1, refillPerSecond: 1, maxKeys: 0 }],
    ['fractional maxKeys', { capacity: 1, refillPerSecond: 1, maxKeys: 1.5 }],
  ])('refuses %s', (_what, options) => {
    expect(() => new RateLimiter(options)).toThrow(RangeError);
  });

  it('keeps one bucket per key', () => {
    const { limiter: rateLimiter } = limiter({ capacity: 2, refillPerSecond: 1 });
    takeTimes(rateLimiter, 'alice', 2);
    expect(rateLimiter.take('alice').allowed).toBe(false);
    expect(rateLimiter.take('bob')).toMatchObject({ allowed: true, remaining: 1 });
    expect(rateLimiter.take('alice').allowed).toBe(false);
    expect(rateLimiter.size).toBe(2);
  });

  it('runs on a monotonic clock by default', () => {
    const rateLimiter = new RateLimiter({ capacity: 1, refillPerSecond: 1 });
    expect(rateLimiter.take('k').allowed).toBe(true);
    expect(rateLimiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  describe('memory', () => {
    it('holds at most maxKeys buckets, dropping the least recently used', () => {
      const { limiter: rateLimiter } = limiter({ capacity: 2, refillPerSecond: 1, maxKeys: 3 });
      for (const key of ['a', 'b', 'c']) rateLimiter.take(key, 2);
      rateLimiter.take('a'); // refused, but a use all the same: b is now the least recent
      rateLimiter.take('d', 2);
      expect(rateLimiter.size).toBe(3);

      expect(rateLimiter.take('a').allowed).toBe(false);
      expect(rateLimiter.take('c').allowed).toBe(false);
      expect(rateLimiter.take('d').allowed).toBe(false);
      // b was dropped, and comes back full: the accepted cost of bounded memory. That evicts the
      // least recent of the others, a.
      expect(rateLimiter.take('b')).toMatchObject({ allowed: true, remaining: 1 });
      expect(rateLimiter.size).toBe(3);
      expect(rateLimiter.take('a')).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('drops full buckets first, which lose nothing', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 2, refillPerSecond: 1, maxKeys: 3 });
      rateLimiter.take('a', 2);
      rateLimiter.take('b', 1);
      rateLimiter.take('c', 2);
      clock.advance(1000); // b is full again; a and c hold one token each
      rateLimiter.take('d');
      expect(rateLimiter.take('a')).toMatchObject({ allowed: true, remaining: 0 }); // a kept its state
      expect(rateLimiter.take('c')).toMatchObject({ allowed: true, remaining: 0 });
      expect(rateLimiter.size).toBe(3);
    });

    it('drops every full bucket it finds at once', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 2, refillPerSecond: 1, maxKeys: 3 });
      for (const key of ['a', 'b', 'c']) rateLimiter.take(key);
      clock.advance(1000);
      rateLimiter.take('d');
      expect(rateLimiter.size).toBe(1);
    });

    it('stays bounded under a flood of new keys', () => {
      const { clock, limiter: rateLimiter } = limiter({ capacity: 5, refillPerSecond: 1, maxKeys: 100 });
      for (let i = 0; i < 10_000; i++) {
        rateLimiter.take(`key-${i}`, 5);
        if (i % 1000 === 0) clock.advance(10_000);
        expect(rateLimiter.size).toBeLessThanOrEqual(100);
      }
      expect(rateLimiter.size).toBe(100);
    });
  });

  describe('a clock that steps back', () => {
    it('mints no tokens and counts as no time passing', () => {
      const clock = manualClock();
      const rateLimiter = new RateLimiter({ capacity: 2, refillPerSecond: 1, now: clock.now });
      takeTimes(rateLimiter, 'k', 2);
      clock.advance(-60 * 60 * 1000);
      const decision = rateLimiter.take('k');
      expect(decision).toEqual({ allowed: false, limit: 2, remaining: 0, resetSeconds: 2, retryAfterSeconds: 1 });
      // A bucket created after the jump starts full, like any new one, and no fuller.
      expect(rateLimiter.take('new', 0)).toMatchObject({ remaining: 2, resetSeconds: 0 });
    });

    it('does not freeze refills until it has caught up', () => {
      const clock = manualClock();
      const rateLimiter = new RateLimiter({ capacity: 2, refillPerSecond: 1, now: clock.now });
      takeTimes(rateLimiter, 'k', 2);
      clock.advance(-60 * 60 * 1000);
      rateLimiter.take('k', 0);
      clock.advance(1000);
      expect(rateLimiter.take('k')).toMatchObject({ allowed: true, remaining: 0 });
      expect(rateLimiter.take('k').allowed).toBe(false);
    });

    it('ignores readings that are not numbers', () => {
      let reading = 0;
      const rateLimiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: () => reading });
      rateLimiter.take('k');
      reading = Number.NaN;
      expect(rateLimiter.take('k')).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
      reading = 1000;
      expect(rateLimiter.take('k').allowed).toBe(true);
    });
  });
});

describe(rateLimitHeaders.name, () => {
  it('gives limit, remaining and reset when allowed', () => {
    expect(
      rateLimitHeaders({ allowed: true, limit: 600, remaining: 599, resetSeconds: 1, retryAfterSeconds: 0 }),
    ).toEqual({
      'RateLimit-Limit': '600',
      'RateLimit-Remaining': '599',
      'RateLimit-Reset': '1',
    });
  });

  it('adds Retry-After when refused', () => {
    const { limiter: rateLimiter } = limiter({ capacity: 2, refillPerSecond: 0.5 });
    takeTimes(rateLimiter, 'k', 2);
    expect(rateLimitHeaders(rateLimiter.take('k'))).toEqual({
      'RateLimit-Limit': '2',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '4',
      'Retry-After': '2',
    });
  });
});

describe(describePolicy.name, () => {
  it.each([
    [{ capacity: 600, refillPerSecond: 10 }, '600 requests, refilled at 10 per second'],
    [{ capacity: 100_000, refillPerSecond: 2.5 }, '100,000 requests, refilled at 2.5 per second'],
    [{ capacity: 1, refillPerSecond: 0.5 }, '1 request, refilled at 1 every 2 seconds'],
    [{ capacity: 30, refillPerSecond: 0.3 }, '30 requests, refilled at 0.3 per second'],
  ])('describes %p', (policy, words) => {
    expect(describePolicy(policy)).toBe(words);
  });
});

describe('token bucket properties', () => {
  const policy = fc.record({
    capacity: fc.integer({ min: 1, max: 20 }),
    refillPerSecond: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(0.1, 0.25, 0.3, 1.5, 2.5, 7.3)),
  });
  const KEYS = ['a', 'b', 'c'];
  const operation = (minStep: number) =>
    fc.record({
      step: fc.integer({ min: minStep, max: 3000 }),
      key: fc.constantFrom(...KEYS),
      cost: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 4 })),
    });

  interface Taken {
    /** The sum of forward clock steps so far: the time the limiter may count as passed. */
    forward: number;
    key: string;
    cost: number;
    decision: RateDecision;
  }

  function run(
    capacity: number,
    refillPerSecond: number,
    operations: { step: number; key: string; cost: number }[],
  ): Taken[] {
    const clock = manualClock();
    const rateLimiter = new RateLimiter({ capacity, refillPerSecond, maxKeys: KEYS.length, now: clock.now });
    let forward = 0;
    return operations.map(({ step, key, cost }) => {
      clock.advance(step);
      forward += Math.max(0, step);
      return { forward, key, cost, decision: rateLimiter.take(key, cost) };
    });
  }

  /** Within any window of one key's takes, what was allowed fits the burst plus the refill. */
  function assertBounded(capacity: number, refillPerSecond: number, taken: Taken[]) {
    for (const key of KEYS) {
      const mine = taken.filter((t) => t.key === key);
      for (let first = 0; first < mine.length; first++) {
        let spent = 0;
        for (let last = first; last < mine.length; last++) {
          if (mine[last].decision.allowed) spent += mine[last].cost;
          const earned = (refillPerSecond * (mine[last].forward - mine[first].forward)) / 1000;
          expect(spent).toBeLessThanOrEqual(capacity + earned + 1e-6);
        }
      }
    }
  }

  function assertWellFormed(capacity: number, { decision, cost }: Taken) {
    expect(decision.limit).toBe(capacity);
    expect(Number.isInteger(decision.remaining) && decision.remaining >= 0 && decision.remaining <= capacity).toBe(
      true,
    );
    expect(Number.isInteger(decision.resetSeconds) && decision.resetSeconds >= 0).toBe(true);
    expect(Number.isInteger(decision.retryAfterSeconds)).toBe(true);
    expect(decision.retryAfterSeconds === 0).toBe(decision.allowed);
    if (!decision.allowed && cost <= capacity) expect(decision.remaining).toBeLessThan(cost);
  }

  it('never allows more than the capacity plus the refill over the elapsed time', () => {
    fc.assert(
      fc.property(policy, fc.array(operation(0), { maxLength: 120 }), ({ capacity, refillPerSecond }, operations) => {
        const taken = run(capacity, refillPerSecond, operations);
        taken.forEach((t) => assertWellFormed(capacity, t));
        assertBounded(capacity, refillPerSecond, taken);
      }),
      { numRuns: 300 },
    );
  });

  it('holds when the clock steps back, counting only the time it moved forward', () => {
    fc.assert(
      fc.property(
        policy,
        fc.array(operation(-5000), { maxLength: 120 }),
        ({ capacity, refillPerSecond }, operations) => {
          const taken = run(capacity, refillPerSecond, operations);
          taken.forEach((t) => assertWellFormed(capacity, t));
          assertBounded(capacity, refillPerSecond, taken);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells the truth in Retry-After and RateLimit-Reset', () => {
    fc.assert(
      fc.property(policy, fc.array(operation(0), { maxLength: 40 }), ({ capacity, refillPerSecond }, history) => {
        const clock = manualClock();
        const rateLimiter = new RateLimiter({ capacity, refillPerSecond, now: clock.now });
        for (const { step, cost } of history) {
          clock.advance(step);
          rateLimiter.take('k', cost);
        }
        const cost = Math.min(capacity, 2);
        let first = rateLimiter.take('k', cost);
        while (first.allowed) first = rateLimiter.take('k', cost); // the clock stands still: at most capacity times
        // A second limiter with the same history would be needed to probe both sides; a cost of 0
        // reads without spending, so one is enough.
        clock.advance((first.retryAfterSeconds - 1) * 1000);
        expect(rateLimiter.take('k', 0).remaining).toBeLessThan(cost);
        clock.advance(1000);
        const later = rateLimiter.take('k', 0);
        expect(later.remaining).toBeGreaterThanOrEqual(cost);
        clock.advance((first.resetSeconds - first.retryAfterSeconds) * 1000);
        expect(rateLimiter.take('k', 0)).toMatchObject({ remaining: capacity, resetSeconds: 0 });
      }),
      { numRuns: 300 },
    );
  });
});

import {
  JITTER,
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_SECONDS,
  RETRY_DELAYS_SECONDS,
  nextAttemptAt,
  outcomeOfStatus,
  parseRetryAfter,
} from '@harbour/webhooks';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const middle = () => 0.5;
const lowest = () => 0;
const highest = () => 1 - Number.EPSILON;
const secondsAfterNow = (date: Date | null) => (date === null ? null : (date.getTime() - NOW.getTime()) / 1000);

describe(nextAttemptAt.name, () => {
  it('follows the Standard Webhooks schedule: 10 attempts, at once then 5 s … 24 h', () => {
    expect(MAX_ATTEMPTS).toBe(10);
    expect(RETRY_DELAYS_SECONDS).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]);
  });

  it.each([
    [1, 5],
    [2, 5 * 60],
    [3, 30 * 60],
    [4, 2 * 3600],
    [5, 5 * 3600],
    [6, 10 * 3600],
    [7, 14 * 3600],
    [8, 20 * 3600],
    [9, 24 * 3600],
  ])('after attempt %d fails, waits %d s (no jitter drawn)', (attempt, seconds) => {
    expect(secondsAfterNow(nextAttemptAt(attempt, NOW, undefined, middle))).toBe(seconds);
  });

  it.each([10, 11, 100])('gives up after attempt %d', (attempt) => {
    expect(nextAttemptAt(attempt, NOW, undefined, middle)).toBeNull();
    expect(nextAttemptAt(attempt, NOW, 60, middle)).toBeNull();
  });

  it.each(RETRY_DELAYS_SECONDS.slice(1).map((seconds, i) => [i + 1, seconds]))(
    'varies the wait after attempt %d (%d s) by at most ±10%',
    (attempt, seconds) => {
      expect(secondsAfterNow(nextAttemptAt(attempt, NOW, undefined, lowest))).toBeCloseTo(seconds * (1 - JITTER), 2);
      expect(secondsAfterNow(nextAttemptAt(attempt, NOW, undefined, highest))).toBeCloseTo(seconds * (1 + JITTER), 2);
    },
  );

  it('stays within the jitter with the real random source', () => {
    for (let i = 0; i < 200; i++) {
      const wait = secondsAfterNow(nextAttemptAt(2, NOW))!;
      expect(wait).toBeGreaterThanOrEqual(270);
      expect(wait).toBeLessThanOrEqual(330);
    }
  });

  it('keeps a random source that strays from [0, 1) within the jitter', () => {
    expect(secondsAfterNow(nextAttemptAt(2, NOW, undefined, () => 7))).toBe(330);
    expect(secondsAfterNow(nextAttemptAt(2, NOW, undefined, () => -1))).toBe(270);
  });

  describe('Retry-After', () => {
    it('lengthens a wait shorter than it asks', () => {
      expect(secondsAfterNow(nextAttemptAt(1, NOW, 120, middle))).toBe(120);
      expect(secondsAfterNow(nextAttemptAt(2, NOW, 3600, highest))).toBe(3600);
    });

    it('never shortens the schedule', () => {
      expect(secondsAfterNow(nextAttemptAt(2, NOW, 10, middle))).toBe(300);
      expect(secondsAfterNow(nextAttemptAt(1, NOW, 0, middle))).toBe(5);
      expect(secondsAfterNow(nextAttemptAt(2, NOW, 280, lowest))).toBe(280);
    });

    it('is capped at 24 hours', () => {
      expect(secondsAfterNow(nextAttemptAt(1, NOW, 10 * 86400, middle))).toBe(MAX_RETRY_AFTER_SECONDS);
    });

    it.each([-5, Number.NaN, Number.POSITIVE_INFINITY])('ignores %p', (value) => {
      expect(secondsAfterNow(nextAttemptAt(2, NOW, value, middle))).toBe(300);
    });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt number %p', (attempt) => {
    expect(() => nextAttemptAt(attempt, NOW)).toThrow(RangeError);
  });
});

describe(parseRetryAfter.name, () => {
  const now = NOW.getTime();
  it.each([
    ['120', 120],
    ['0', 0],
    [' 60 ', 60],
    ['86400', 86400],
    ['86401', MAX_RETRY_AFTER_SECONDS],
    ['9'.repeat(40), MAX_RETRY_AFTER_SECONDS],
    ['Sun, 01 Mar 2026 12:01:30 GMT', 90],
    ['Sun, 01 Mar 2026 12:00:00 GMT', 0],
    ['Sat, 28 Feb 2026 12:00:00 GMT', 0],
    ['Wed, 04 Mar 2026 12:00:00 GMT', MAX_RETRY_AFTER_SECONDS],
    ['Sun, 06 Nov 1994 08:49:37 GMT', 0],
  ])('reads %p as %p seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  it('rounds a date up to the next whole second', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:10 GMT', now + 500)).toBe(10);
  });

  it.each([
    undefined,
    '',
    '-5',
    '1.5',
    '1e3',
    '0x10',
    'soon',
    'Sunday, 01-Mar-26 12:01:30 GMT',
    'Sun Mar  1 12:01:30 2026',
    'Sun, 01 Mar 2026 12:01:30 +0000',
    'Sun, 1 Mar 2026 12:01:30 GMT',
    'Mon, 31 Feb 2026 12:00:00 GMT',
    'Sun, 01 Mar 2026 24:00:00 GMT',
    'Sun, 01 Mar 2026 12:60:00 GMT',
  ])('ignores %p', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe(outcomeOfStatus.name, () => {
  const now = NOW.getTime();
  it.each([200, 201, 202, 204, 299])('counts %d as delivered', (status) => {
    expect(outcomeOfStatus(status, '30', now)).toEqual({ ok: true, status });
  });

  it.each([
    [300, 'HTTP_3XX'],
    [301, 'HTTP_3XX'],
    [302, 'HTTP_3XX'],
    [307, 'HTTP_3XX'],
    [308, 'HTTP_3XX'],
    [399, 'HTTP_3XX'],
    [400, 'HTTP_4XX'],
    [401, 'HTTP_4XX'],
    [404, 'HTTP_4XX'],
    [409, 'HTTP_4XX'],
    [499, 'HTTP_4XX'],
    [500, 'HTTP_5XX'],
    [501, 'HTTP_5XX'],
    [599, 'HTTP_5XX'],
    [199, 'PROTOCOL'],
    [600, 'PROTOCOL'],
    [999, 'PROTOCOL'],
  ])('counts %d as %s, without reading Retry-After', (status, errorClass) => {
    expect(outcomeOfStatus(status, '30', now)).toEqual({ ok: false, status, errorClass });
  });

  it('counts 410 as gone', () => {
    expect(outcomeOfStatus(410, '30', now)).toEqual({ ok: false, status: 410, errorClass: 'HTTP_410', gone: true });
  });

  it.each([
    [429, 'HTTP_4XX'],
    [502, 'HTTP_5XX'],
    [503, 'HTTP_5XX'],
    [504, 'HTTP_5XX'],
  ])('reads the Retry-After of a %d', (status, errorClass) => {
    expect(outcomeOfStatus(status, '30', now)).toEqual({ ok: false, status, errorClass, retryAfterSeconds: 30 });
    expect(outcomeOfStatus(status, undefined, now)).toEqual({ ok: false, status, errorClass });
    expect(outcomeOfStatus(status, 'later', now)).toEqual({ ok: false, status, errorClass });
  });
});

/** The webhook rules (src/modules/webhooks/webhook-rules.ts) as tables: attempts, failing, secrets, replays, bodies. */
import type { DeliveryOutcome } from '@harbour/webhooks';
import {
  ATTEMPT_ERRORS,
  FAILING_LIMIT_MS,
  judgeAttempt,
  failingTooLong,
  liveSealedSecrets,
  replayRangeProblems,
  webhookBody,
} from '../../src/modules/webhooks/webhook-rules';
import { WebhookAttemptError, WebhookDeliveryStatus } from '../../src/modules/webhooks/webhook.enums';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const MIDDLE = () => 0.5;
const after = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe(judgeAttempt.name, () => {
  const outcome = (fields: Partial<DeliveryOutcome>): DeliveryOutcome => ({ ok: false, durationMs: 12, ...fields });

  it.each<[string, DeliveryOutcome, number, Partial<ReturnType<typeof judgeAttempt>>]>([
    [
      '2xx succeeds',
      { ok: true, status: 204, durationMs: 3 },
      1,
      { status: WebhookDeliveryStatus.SUCCEEDED, nextAttemptAt: null, succeeded: true },
    ],
    [
      '2xx on the last attempt succeeds',
      { ok: true, status: 200, durationMs: 3 },
      10,
      { status: WebhookDeliveryStatus.SUCCEEDED },
    ],
    [
      '410 fails at once and asks to stop',
      outcome({ status: 410, errorClass: 'HTTP_410', gone: true }),
      1,
      {
        status: WebhookDeliveryStatus.FAILED,
        nextAttemptAt: null,
        gone: true,
        errorClass: WebhookAttemptError.HTTP_410,
      },
    ],
    [
      '500 after the first attempt waits 5 seconds',
      outcome({ status: 500, errorClass: 'HTTP_5XX' }),
      1,
      { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: after(5), errorClass: WebhookAttemptError.HTTP_5XX },
    ],
    [
      'a timeout after the second waits 5 minutes',
      outcome({ errorClass: 'TIMEOUT' }),
      2,
      { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: after(300), errorClass: WebhookAttemptError.TIMEOUT },
    ],
    [
      "429's Retry-After lengthens the wait",
      outcome({ status: 429, errorClass: 'HTTP_4XX', retryAfterSeconds: 3600 }),
      1,
      { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: after(3600) },
    ],
    [
      'a Retry-After never shortens the schedule',
      outcome({ status: 503, errorClass: 'HTTP_5XX', retryAfterSeconds: 1 }),
      3,
      { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: after(1800) },
    ],
    [
      'a redirect is a failure',
      outcome({ status: 302, errorClass: 'HTTP_3XX' }),
      1,
      { status: WebhookDeliveryStatus.PENDING, errorClass: WebhookAttemptError.HTTP_3XX, succeeded: false },
    ],
    [
      'the tenth failure gives up',
      outcome({ status: 500, errorClass: 'HTTP_5XX' }),
      10,
      { status: WebhookDeliveryStatus.FAILED, nextAttemptAt: null, gone: false },
    ],
    [
      'a refused address is retried (the configuration may change)',
      outcome({ errorClass: 'ADDRESS_REFUSED' }),
      1,
      { status: WebhookDeliveryStatus.PENDING, errorClass: WebhookAttemptError.ADDRESS_REFUSED },
    ],
  ])('%s', (_case, given, attempt, expected) => {
    expect(judgeAttempt(given, attempt, NOW, MIDDLE)).toMatchObject(expected);
  });

  it('names every class of error the sender reports, and only those', () => {
    expect(Object.values(ATTEMPT_ERRORS).sort()).toEqual(Object.values(WebhookAttemptError).sort());
    for (const [sent, named] of Object.entries(ATTEMPT_ERRORS)) expect(named).toBe(sent);
  });
});

describe(failingTooLong.name, () => {
  it.each([
    [null, false],
    [new Date(NOW.getTime() - FAILING_LIMIT_MS + 1), false],
    [new Date(NOW.getTime() - FAILING_LIMIT_MS), true],
    [new Date(NOW.getTime() - 6 * 86_400_000), true],
  ])('failing since %p: %p', (since, expected) => {
    expect(failingTooLong(since, NOW)).toBe(expected);
  });

  it('is five days', () => expect(FAILING_LIMIT_MS).toBe(5 * 86_400_000));
});

describe(liveSealedSecrets.name, () => {
  const endpoint = (previousSecretExpiresAt: Date | null) => ({
    secretSealed: 'current',
    previousSecretSealed: previousSecretExpiresAt ? 'previous' : null,
    previousSecretExpiresAt,
  });

  it.each([
    [null, ['current']],
    [new Date(NOW.getTime() + 1), ['current', 'previous']],
    [NOW, ['current']],
    [new Date(NOW.getTime() - 1), ['current']],
  ])('with the previous secret ending at %p: %p', (expires, expected) => {
    expect(liveSealedSecrets(endpoint(expires), NOW)).toEqual(expected);
  });
});

describe(replayRangeProblems.name, () => {
  const day = 86_400_000;
  it.each([
    [0, day, 0],
    [0, 31 * day, 0],
    [0, 31 * day + 1, 1],
    [day, day, 1],
    [2 * day, day, 1],
  ])('from %p to %p: %p problems', (from, to, problems) => {
    expect(replayRangeProblems(new Date(from), new Date(to))).toHaveLength(problems);
  });
});

describe(webhookBody.name, () => {
  it('holds the type, the time in ISO 8601 and the data, and nothing else', () => {
    expect(JSON.parse(webhookBody('referral.sent', NOW, { referralId: 'r1', version: 1 }))).toEqual({
      type: 'referral.sent',
      timestamp: '2026-03-01T12:00:00.000Z',
      data: { referralId: 'r1', version: 1 },
    });
  });
});

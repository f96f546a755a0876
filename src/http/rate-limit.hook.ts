import { AuditCategory, anonymousContext, type AuditTrail } from '@harbour/audit';
import { RateLimiter, rateLimitHeaders, type RateDecision } from '@harbour/graphql-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { bearerToken } from '../auth/request-authenticator';
import type { AppConfig } from '../config/app-config';

/** Keys whose bucket is refusing, so that one exhaustion writes one DENIED event, not one per request. */
const MAX_TRACKED_REFUSALS = 10_000;

type Limit = 'credential' | 'address';

/**
 * Token buckets per credential (a person's session or a partner system's API key) and per source
 * address (the proxy's client address with TRUST_PROXY), checked as each request arrives, before
 * its body is read or its credential looked up. Beyond a bucket the answer is HTTP 429 with
 * `extensions.code: RATE_LIMITED` and the seconds to wait; every answer carries the RateLimit-*
 * headers of the tighter bucket. Health checks are not limited. Sign-in and invitations keep their
 * own, stricter throttles on failures.
 *
 * The buckets live in each server process: with several processes behind a load balancer, a caller
 * spread across them gets up to that many times the limit.
 */
export function limitRequestRates(
  fastify: FastifyInstance,
  limits: AppConfig['rateLimits'],
  audit: AuditTrail,
  logger: Logger,
): void {
  const byCredential = new RateLimiter(limits.perCredential);
  const byAddress = new RateLimiter(limits.perAddress);
  const refusing = new Set<string>();

  const recordFirstRefusal = (request: FastifyRequest, key: string, limit: Limit) => {
    if (refusing.has(key)) return;
    if (refusing.size >= MAX_TRACKED_REFUSALS) refusing.clear();
    refusing.add(key);
    audit
      .recordDenied(anonymousContext({ id: request.id, sourceAddress: request.ip }), {
        action: 'http.rate_limit',
        category: AuditCategory.EXECUTE,
        details: { limit },
      })
      .catch((error: unknown) =>
        logger.error({ err: error, requestId: request.id }, 'could not record a rate-limit refusal'),
      );
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/health/')) return done();
    const token = bearerToken(request.headers.authorization);
    const checks: [string, RateDecision, Limit][] = [];
    const addressKey = `address:${request.ip}`;
    checks.push([addressKey, byAddress.take(addressKey), 'address']);
    if (token !== undefined) {
      const credentialKey = `credential:${createHash('sha256').update(token).digest('base64url')}`;
      checks.push([credentialKey, byCredential.take(credentialKey), 'credential']);
    }
    const refused = checks.find(([, decision]) => !decision.allowed);
    for (const [key, decision] of checks) if (decision.allowed) refusing.delete(key);
    const [, shown] =
      refused ??
      checks.reduce((tightest, check) =>
        check[1].remaining / check[1].limit < tightest[1].remaining / tightest[1].limit ? check : tightest,
      );
    void reply.headers(rateLimitHeaders(shown));
    if (!refused) return done();
    const [key, decision, limit] = refused;
    recordFirstRefusal(request, key, limit);
    const wait = decision.retryAfterSeconds;
    void reply
      .code(429)
      .type('application/json; charset=utf-8')
      .send({
        errors: [
          {
            message: `Too many requests ${limit === 'credential' ? 'with this credential' : 'from this address'}: wait ${wait} second${wait === 1 ? '' : 's'} before trying again.`,
            extensions: { code: 'RATE_LIMITED', retryAfter: wait, requestId: request.id },
          },
        ],
      });
  });
}

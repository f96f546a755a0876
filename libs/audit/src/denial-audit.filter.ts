import { ArgumentsHost, Catch } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GqlArgumentsHost, GqlExceptionFilter } from '@nestjs/graphql';
import type { Actor } from '@harbour/authz';
import {
  DomainError,
  DomainErrorCode,
  NotFoundError,
  StateConflictError,
  StateRefusedError,
  httpStatusOf,
} from '@harbour/graphql-kit';
import type { GraphQLResolveInfo } from 'graphql';
import { anonymousContext, auditContextOf } from './audit-context';
import { AuditTrail } from './audit-trail.service';
import { AuditCategory, type AuditContext } from './audit.types';

const DENIALS = new Set<DomainErrorCode>([
  DomainErrorCode.Unauthenticated,
  DomainErrorCode.Forbidden,
  DomainErrorCode.NotFound,
]);
const alreadyRecorded = new WeakSet<DomainError>();

/** For use cases that record their own, more specific denial (a failed sign-in). */
export function markDenialRecorded<E extends DomainError>(error: E): E {
  alreadyRecorded.add(error);
  return error;
}

interface RequestLike {
  user?: Actor;
  id: string;
  ip: string;
}

/**
 * Every refused attempt — no or a bad credential, a missing permission, an object that does not
 * exist or belongs to another organization (one code path), an action its state does not allow —
 * writes a DENIED event. Filters run
 * after the failed use case has rolled back; the event gets a small transaction of its own.
 * Outside GraphQL (the CSV downloads) the error is answered here, with its HTTP status and the same
 * `{ errors: [{ message, extensions: { code } }] }` body as GraphQL errors.
 */
@Catch(DomainError)
export class DenialAuditFilter implements GqlExceptionFilter {
  constructor(
    private readonly audit: AuditTrail,
    private readonly adapter: HttpAdapterHost,
  ) {}

  async catch(error: DomainError, host: ArgumentsHost): Promise<void> {
    const refused =
      DENIALS.has(error.code) || error instanceof StateRefusedError || error instanceof StateConflictError;
    if (host.getType<string>() === 'http') return this.answerHttp(error, host, refused);
    if (host.getType<string>() === 'graphql' && refused && !alreadyRecorded.has(error)) {
      const gql = GqlArgumentsHost.create(host);
      const request = gql.getContext<{ req: RequestLike }>().req;
      const info = gql.getInfo<GraphQLResolveInfo>();
      await this.audit.recordDenied(contextOf(request), {
        action: `graphql.${info.fieldName}`,
        category: AuditCategory.EXECUTE,
        entityType: error instanceof NotFoundError ? error.entity : null,
        entityId: error instanceof NotFoundError ? (error.id ?? null) : null,
        details: {
          code: error.code,
          operation: info.operation.operation,
          // Why, when the refusal says (TRAINING_REQUIRED): a code, never personal data.
          ...(typeof error.details.reason === 'string' ? { reason: error.details.reason } : {}),
        },
      });
    }
    throw error;
  }

  private async answerHttp(error: DomainError, host: ArgumentsHost, refused: boolean): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestLike & { method: string; routeOptions?: { url?: string } }>();
    if (refused && !alreadyRecorded.has(error)) {
      await this.audit.recordDenied(contextOf(request), {
        action: `http.${request.method} ${request.routeOptions?.url ?? 'unknown'}`,
        category: AuditCategory.EXECUTE,
        details: { code: error.code },
      });
    }
    const body = {
      errors: [{ message: error.message, extensions: { ...error.details, code: error.code, requestId: request.id } }],
    };
    this.adapter.httpAdapter.reply(http.getResponse(), body, httpStatusOf(error.code));
  }
}

function contextOf(request: RequestLike): AuditContext {
  return request.user ? auditContextOf(request.user) : anonymousContext({ id: request.id, sourceAddress: request.ip });
}

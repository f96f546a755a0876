import { AuditTrail, auditContextOf, type AuditEventInput } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { type ReadBatcher, RequestReadBatchers } from '@harbour/graphql-kit';
import { Injectable } from '@nestjs/common';

/** The same look at the same data for the same purpose, seen twice in one request, is one READ event. */
const readKeyOf = (read: AuditEventInput): string =>
  JSON.stringify([read.action, read.entityType, read.entityId, read.subjectClientId, read.purpose, read.details]);

/**
 * The READ events of the field resolvers of one GraphQL request, gathered by one batcher per
 * request: the reads of a round of resolution are appended by one `AuditTrail.recordReads`
 * statement, committed before any resolver that waits for them returns the data (no event, no
 * data). Resolvers whose loads lead to more reads run those loads through the batcher's `hold`.
 */
@Injectable()
export class RequestReads {
  private readonly batchers = new RequestReadBatchers<AuditEventInput>(readKeyOf);

  constructor(private readonly audit: AuditTrail) {}

  /** The request's batcher (`context`: its GraphQL context), writing in the actor's chain. */
  of(context: object, actor: Actor): ReadBatcher<AuditEventInput> {
    return this.batchers.of(context, (reads) => this.audit.recordReads(auditContextOf(actor), [...reads]));
  }
}

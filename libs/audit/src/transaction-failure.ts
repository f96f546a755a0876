import type { Knex } from '@mikro-orm/postgresql';

/** knex's message for a statement run in a transaction that has already ended. */
const ENDED = 'Transaction query already complete';

/**
 * Why a transaction failed. When BEGIN itself fails — the pooled connection died just before, as
 * it does while PostgreSQL restarts — knex still hands the transaction to its caller, already
 * ended, and the first statement fails with "Transaction query already complete", which says
 * nothing of the outage (it was answered as an internal error). The transaction's own rejection
 * holds the real reason: a connection error, answered as a retryable SERVICE_UNAVAILABLE. Any other
 * error, and that one on a transaction that ended without a reason (a statement after COMMIT, a
 * bug), is returned as it is.
 */
export async function transactionFailure(error: unknown, transaction: Knex.Transaction | undefined): Promise<unknown> {
  if (!transaction || !(error instanceof Error) || !error.message.includes(ENDED)) return error;
  const reason = await transaction.executionPromise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  return reason ?? error;
}

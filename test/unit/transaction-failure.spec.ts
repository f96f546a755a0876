import { isDatabaseUnavailable } from '@harbour/graphql-kit';
import { transactionFailure } from '@harbour/audit';
import type { Knex } from '@mikro-orm/postgresql';

/**
 * A mutation's transaction whose BEGIN failed (its pooled connection died during a PostgreSQL
 * restart) is handed over already ended, and its first statement fails with knex's "Transaction
 * query already complete". The fault benchmark (`npm run bench:faults`) met it in about one run out
 * of two as an INTERNAL_SERVER_ERROR among the 503s; test/e2e/transaction-failure.e2e-spec.ts
 * reproduces it on a real PostgreSQL. Here, every branch, with knex's transaction as far as
 * `transactionFailure` reads it: the promise that carries why the transaction ended.
 */
function endedTransaction(reason: Error | undefined): Knex.Transaction {
  const executionPromise = reason === undefined ? Promise.resolve() : Promise.reject(reason);
  executionPromise.catch(() => undefined);
  return { executionPromise } as unknown as Knex.Transaction;
}

const ENDED = new Error('Transaction query already complete, run with DEBUG=knex:tx for more info');

describe('why a transaction failed', () => {
  it("is the transaction's own reason when a statement found it already ended: the outage, answered as SERVICE_UNAVAILABLE", async () => {
    const dropped = new Error('Connection terminated unexpectedly');
    expect(isDatabaseUnavailable(ENDED)).toBe(false);
    const failure = await transactionFailure(ENDED, endedTransaction(dropped));
    expect(failure).toBe(dropped);
    expect(isDatabaseUnavailable(failure)).toBe(true);
  });

  it('is the error itself when the transaction ended without a reason (a statement after COMMIT: a bug, not an outage)', async () => {
    expect(await transactionFailure(ENDED, endedTransaction(undefined))).toBe(ENDED);
  });

  it('is the error itself for any other failure, or before a transaction was opened', async () => {
    const conflict = new Error('duplicate key value violates unique constraint');
    expect(await transactionFailure(conflict, endedTransaction(new Error('Connection terminated')))).toBe(conflict);
    expect(await transactionFailure(ENDED, undefined)).toBe(ENDED);
    expect(await transactionFailure('not an error', endedTransaction(new Error('x')))).toBe('not an error');
  });
});

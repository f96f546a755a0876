/**
 * Group commit: concurrent appends to one chain share one statement. The first append of a chain
 * is written at once; while it is in flight, the appends that arrive wait, and the next statement
 * writes all of them (up to a bound) — one chain-head lock, one WAL flush for the lot instead of
 * one each. Each caller's promise settles only when the statement holding its events has
 * committed, or failed (then every caller of that statement fails; the next statement is tried
 * afresh). One statement per chain is in flight in this process; other processes batch their own,
 * and the chain head's row lock orders them.
 */

interface Waiting<E> {
  readonly events: readonly E[];
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit<E> {
  private readonly queues = new Map<string, Waiting<E>[]>();

  /**
   * @param write appends the events to the chain in one statement and resolves once it committed.
   * @param maxEvents the most events one statement takes (a caller with more is written alone).
   */
  constructor(
    private readonly write: (chainId: string, events: E[]) => Promise<void>,
    private readonly maxEvents: number,
  ) {}

  append(chainId: string, events: readonly E[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiting = { events, resolve, reject };
      const queue = this.queues.get(chainId);
      if (queue) {
        queue.push(waiting);
        return;
      }
      this.queues.set(chainId, [waiting]);
      void this.drain(chainId);
    });
  }

  /** Writes the chain's queue, batch after batch, until nobody waits; then forgets the chain. */
  private async drain(chainId: string): Promise<void> {
    const queue = this.queues.get(chainId)!;
    while (queue.length > 0) {
      const batch = takeBatch(queue, this.maxEvents);
      try {
        await this.write(
          chainId,
          batch.flatMap((waiting) => waiting.events),
        );
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    // Nothing runs between the empty check and this line: an append that comes later starts a new drain.
    this.queues.delete(chainId);
  }
}

/** The callers at the head of the queue whose events fit in one statement (at least one caller). */
function takeBatch<E>(queue: Waiting<E>[], maxEvents: number): Waiting<E>[] {
  let count = queue[0].events.length;
  let take = 1;
  while (take < queue.length && count + queue[take].events.length <= maxEvents) {
    count += queue[take].events.length;
    take++;
  }
  return queue.splice(0, take);
}

import { PerRequest } from './per-request';
import { ReadGate } from './read-gate';

/**
 * Writes one batch of reads, in one transaction: it resolves once they are committed and rejects
 * when they are not. The batcher decides when a batch is written; its flush decides how.
 */
export type ReadFlush<R> = (reads: readonly R[]) => Promise<void>;

/** What two registrations of the same read share: a read with a key is written once per request. */
export type ReadKey<R> = (read: R) => string;

interface Batch<R> {
  readonly reads: R[];
  readonly committed: Promise<void>;
}

/**
 * The reads of one request, written in batches before anything read is returned. A resolver
 * registers its read with the data it shows (`after`): when the request has a ReadGate, it gets
 * the data back at once and the response waits for the batches; otherwise it gets a promise that
 * resolves once the batch holding the read was flushed and committed. A failed flush rejects
 * every read of that batch and fails the gate (no record, no data).
 *
 * A batch gathers the reads of one round of resolution, like a DataLoader batch, but a longer one:
 * it is flushed in the event loop's next turn (after the ticks and promise jobs in which loaders
 * dispatch and resolvers continue), and only once the work `hold` was given has settled, so that
 * the reads that work leads to (a resolver that shows what it loaded) join the same batch. A read
 * registered while a batch is being flushed starts the next one.
 */
export class ReadBatcher<R> {
  private open: Batch<R> | null = null;
  /** Work in flight whose outcome may register reads, and the flushes waiting for it to settle. */
  private held = 0;
  private readonly waitingForHeld: (() => void)[] = [];
  /** The batch promise of every keyed read registered so far, until its flush fails. */
  private readonly registered = new Map<string, Promise<void>>();

  constructor(
    private readonly flush: ReadFlush<R>,
    private readonly keyOf?: ReadKey<R>,
    private readonly gate?: ReadGate,
  ) {}

  /** `value`, to be shown once `read` is committed: at once when the response waits at the gate, else once its batch commits. */
  after<T>(read: R, value: T): T | Promise<T> {
    const committed = this.read(read);
    return this.gate ? value : committed.then(() => value);
  }

  /** Resolves once `read` is committed; a read with a key already registered waits for that one instead. */
  read(read: R): Promise<void> {
    const key = this.keyOf?.(read);
    const known = key === undefined ? undefined : this.registered.get(key);
    if (known) return known;
    const batch = (this.open ??= this.openBatch());
    batch.reads.push(read);
    if (key !== undefined) {
      this.registered.set(key, batch.committed);
      // A failed read is not remembered: registering it again tries again (and waits again).
      batch.committed.catch(() => this.registered.delete(key));
    }
    return batch.committed;
  }

  /** Runs `work`; no batch is flushed while it is in flight, so that the reads it leads to join the waiting batch. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.held += 1;
    try {
      return await work();
    } finally {
      this.held -= 1;
      if (this.held === 0) for (const resume of this.waitingForHeld.splice(0)) resume();
    }
  }

  private openBatch(): Batch<R> {
    const reads: R[] = [];
    const committed = new Promise<void>((dispatch) =>
      this.afterRound(() => {
        this.open = null;
        dispatch();
      }),
    ).then(() => this.flush(reads));
    this.gate?.track(committed);
    return { reads, committed };
  }

  /** Runs `dispatch` in the next turn of the event loop in which no held work is in flight. */
  private afterRound(dispatch: () => void): void {
    setImmediate(() => {
      if (this.held === 0) dispatch();
      else this.waitingForHeld.push(() => this.afterRound(dispatch));
    });
  }
}

/**
 * One ReadBatcher per request, made on its first use in that request (with the request's
 * ReadGate, if it has one) and dropped with it: reads of separate requests never share a batch
 * (nor a key).
 */
export class RequestReadBatchers<R> {
  private readonly batchers = new PerRequest<ReadBatcher<R>>();

  constructor(private readonly keyOf?: ReadKey<R>) {}

  /** The request's batcher; `flush` is the one it is made with (the request's first use gives it). */
  of(context: object, flush: ReadFlush<R>): ReadBatcher<R> {
    return this.batchers.of(context, () => new ReadBatcher(flush, this.keyOf, ReadGate.of(context)));
  }
}

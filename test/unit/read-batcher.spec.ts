import { ReadBatcher, ReadGate, RequestReadBatchers } from '@harbour/graphql-kit';
import { stateOf, turns } from '../support/promise-state';

/** A flush that records its batches and commits each only when the test says so. */
function controlledFlush() {
  const batches: string[][] = [];
  const commits: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const flush = (reads: readonly string[]) => {
    batches.push([...reads]);
    return new Promise<void>((resolve, reject) => commits.push({ resolve, reject }));
  };
  return { flush, batches, commits };
}

/** A flush that commits at once. */
function committingFlush() {
  const batches: string[][] = [];
  const flush = (reads: readonly string[]) => {
    batches.push([...reads]);
    return Promise.resolve();
  };
  return { flush, batches };
}

/** A promise the test settles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ReadBatcher', () => {
  it('writes the reads registered in one turn of the event loop in one flush, its ticks and promise jobs included', async () => {
    const { flush, batches } = committingFlush();
    const batcher = new ReadBatcher(flush);
    const later = new Promise<void>((resolve) =>
      process.nextTick(() => process.nextTick(() => resolve(Promise.resolve().then(() => batcher.read('d'))))),
    );
    await Promise.all([batcher.read('a'), batcher.read('b'), Promise.resolve().then(() => batcher.read('c')), later]);
    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('returns nothing before the flush has committed', async () => {
    const { flush, batches, commits } = controlledFlush();
    const batcher = new ReadBatcher(flush);
    const a = batcher.read('a');
    const b = batcher.read('b');
    await turns();
    expect(batches).toEqual([['a', 'b']]);
    expect([await stateOf(a), await stateOf(b)]).toEqual(['pending', 'pending']);
    commits[0].resolve();
    expect([await stateOf(a), await stateOf(b)]).toEqual(['resolved', 'resolved']);
  });

  it('starts a new batch for a later tick, and for reads registered while a batch is being flushed', async () => {
    const { flush, batches, commits } = controlledFlush();
    const batcher = new ReadBatcher(flush);
    const first = batcher.read('a');
    await turns();
    const second = batcher.read('b');
    await turns();
    expect(batches).toEqual([['a'], ['b']]);
    commits[1].resolve();
    expect([await stateOf(first), await stateOf(second)]).toEqual(['pending', 'resolved']);
    commits[0].resolve();
    expect(await stateOf(first)).toBe('resolved');
  });

  it('rejects every read of a batch whose flush fails, and only those', async () => {
    const { flush, batches, commits } = controlledFlush();
    const batcher = new ReadBatcher(flush);
    const a = batcher.read('a');
    const b = batcher.read('b');
    await turns();
    commits[0].reject(new Error('append failed'));
    expect([await stateOf(a), await stateOf(b)]).toEqual(['rejected: append failed', 'rejected: append failed']);

    const c = batcher.read('c');
    await turns();
    expect(batches).toEqual([['a', 'b'], ['c']]);
    commits[1].resolve();
    expect(await stateOf(c)).toBe('resolved');
  });

  it('rejects the reads of a batch whose flush throws', async () => {
    const batcher = new ReadBatcher<string>(() => {
      throw new Error('no connection');
    });
    await expect(batcher.read('a')).rejects.toThrow('no connection');
  });

  it('writes a keyed read once per request, and again after its flush failed', async () => {
    const { flush, batches, commits } = controlledFlush();
    const batcher = new ReadBatcher(flush, (read: string) => read.split(':')[0]);
    const first = batcher.read('x:first');
    const again = batcher.read('x:again');
    await turns();
    commits[0].resolve();
    await first;
    await again;
    await batcher.read('x:later');
    expect(batches).toEqual([['x:first']]);

    const failing = batcher.read('y:first');
    await turns();
    commits[1].reject(new Error('append failed'));
    expect(await stateOf(failing)).toBe('rejected: append failed');
    const retried = batcher.read('y:retried');
    await turns();
    commits[2].resolve();
    expect(await stateOf(retried)).toBe('resolved');
    expect(batches).toEqual([['x:first'], ['y:first'], ['y:retried']]);
  });

  it('waits for held work, so that the reads it leads to join the batch', async () => {
    const { flush, batches } = committingFlush();
    const batcher = new ReadBatcher(flush);
    const load = deferred<string>();
    const shown = batcher.hold(() => load.promise).then((loaded) => batcher.read(loaded));
    const direct = batcher.read('direct');
    await turns();
    expect(batches).toEqual([]);
    expect(await stateOf(direct)).toBe('pending');

    load.resolve('loaded');
    await Promise.all([shown, direct]);
    expect(batches).toEqual([['direct', 'loaded']]);
  });

  it('passes on what held work returns or throws', async () => {
    const batcher = new ReadBatcher<string>(() => Promise.resolve());
    await expect(batcher.hold(() => Promise.resolve(42))).resolves.toBe(42);
    await expect(batcher.hold(() => Promise.reject(new Error('load failed')))).rejects.toThrow('load failed');
    const { flush, batches } = committingFlush();
    const released = new ReadBatcher(flush);
    await released.hold(() => Promise.reject(new Error('load failed'))).catch(() => undefined);
    await released.read('a');
    expect(batches).toEqual([['a']]);
  });
});

describe('ReadBatcher.after', () => {
  it('without a gate, gives the value only once its read is committed', async () => {
    const { flush, commits } = controlledFlush();
    const shown = new ReadBatcher(flush).after('a', 'the data');
    if (!(shown instanceof Promise)) throw new Error('without a gate, after() must wait for the commit');
    await turns();
    expect(await stateOf(shown)).toBe('pending');
    commits[0].resolve();
    await expect(shown).resolves.toBe('the data');
  });

  it('with a gate, gives the value at once and holds the gate until every batch, later ones included, is committed', async () => {
    const { flush, batches, commits } = controlledFlush();
    const gate = new ReadGate();
    const batcher = new ReadBatcher(flush, undefined, gate);
    expect(batcher.after('a', 'first')).toBe('first');
    await turns();
    const settled = gate.settled();
    // A read registered while the gate waits (a resolver that ran later) is waited for too.
    expect(batcher.after('b', 'second')).toBe('second');
    await turns();
    expect(batches).toEqual([['a'], ['b']]);
    commits[0].resolve();
    expect(await stateOf(settled)).toBe('pending');
    commits[1].resolve();
    expect(await stateOf(settled)).toBe('resolved');
  });

  it('with a gate, fails it when a batch fails, without an unhandled rejection', async () => {
    const { flush, commits } = controlledFlush();
    const gate = new ReadGate();
    const batcher = new ReadBatcher(flush, undefined, gate);
    expect([batcher.after('a', 'first'), batcher.after('b', 'second')]).toEqual(['first', 'second']);
    await turns();
    commits[0].reject(new Error('append failed'));
    await expect(gate.settled()).rejects.toThrow('append failed');
  });

  it('a gate with nothing to wait for lets the response through', async () => {
    await expect(new ReadGate().settled()).resolves.toBeUndefined();
  });
});

describe('RequestReadBatchers', () => {
  it("gives a request's batcher the request's gate", async () => {
    const batchers = new RequestReadBatchers<string>();
    const { flush, commits } = controlledFlush();
    const gated = {};
    const gate = ReadGate.open(gated);
    expect(batchers.of(gated, flush).after('a', 'data')).toBe('data');
    const ungated = batchers.of({}, flush).after('b', 'data');
    expect(ungated).toBeInstanceOf(Promise);
    await turns();
    const settled = gate.settled();
    commits[0].resolve();
    await expect(settled).resolves.toBeUndefined();
    commits[1].resolve();
    await expect(ungated).resolves.toBe('data');
  });

  it('gives each request its own batcher, so that reads of separate requests never share a batch', async () => {
    const batchers = new RequestReadBatchers<string>((read) => read);
    const one = committingFlush();
    const other = committingFlush();
    const first = {};
    const second = {};
    expect(batchers.of(first, one.flush)).toBe(batchers.of(first, other.flush));
    expect(batchers.of(first, one.flush)).not.toBe(batchers.of(second, other.flush));

    await Promise.all([
      batchers.of(first, one.flush).read('a'),
      batchers.of(second, other.flush).read('a'),
      batchers.of(second, other.flush).read('b'),
    ]);
    expect(one.batches).toEqual([['a']]);
    expect(other.batches).toEqual([['a', 'b']]);
  });
});

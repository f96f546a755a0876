import { GroupCommit } from './group-commit';

/** A write that records each statement and commits it only when the test says so. */
function controlledWrite() {
  const statements: { chainId: string; events: string[] }[] = [];
  const commits: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const write = (chainId: string, events: string[]) => {
    statements.push({ chainId, events: [...events] });
    return new Promise<void>((resolve, reject) => commits.push({ resolve, reject }));
  };
  return { write, statements, commits };
}

/** Lets a few turns of the event loop pass. */
async function turns(count = 3): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** 'pending', 'resolved' or 'rejected: <message>', once the promise jobs queued so far have run. */
async function stateOf(promise: Promise<unknown>): Promise<string> {
  const pending = Symbol('pending');
  try {
    const value = await Promise.race([promise, turns(1).then(() => pending)]);
    return value === pending ? 'pending' : 'resolved';
  } catch (error) {
    return `rejected: ${(error as Error).message}`;
  }
}

describe(GroupCommit.name, () => {
  it('writes the first append at once, and everything that arrives meanwhile in the next statement', async () => {
    const { write, statements, commits } = controlledWrite();
    const group = new GroupCommit(write, 100);
    const first = group.append('chain', ['a']);
    expect(statements).toEqual([{ chainId: 'chain', events: ['a'] }]);
    const later = [group.append('chain', ['b', 'c']), group.append('chain', ['d']), group.append('chain', ['e'])];
    await turns();
    expect(statements).toHaveLength(1);

    commits[0].resolve();
    expect(await stateOf(first)).toBe('resolved');
    await turns();
    expect(statements[1]).toEqual({ chainId: 'chain', events: ['b', 'c', 'd', 'e'] });
    // Nobody returns before the statement holding their events has committed.
    for (const promise of later) expect(await stateOf(promise)).toBe('pending');
    commits[1].resolve();
    for (const promise of later) expect(await stateOf(promise)).toBe('resolved');
    expect(statements).toHaveLength(2);
  });

  it('bounds a statement, keeps order, and writes a caller bigger than the bound alone', async () => {
    const { write, statements, commits } = controlledWrite();
    const group = new GroupCommit(write, 3);
    const all = [
      group.append('chain', ['a']),
      group.append('chain', ['b', 'c']),
      group.append('chain', ['d']),
      group.append('chain', ['e', 'f', 'g', 'h']),
      group.append('chain', ['i']),
    ];
    for (let i = 0; i < 4; i++) {
      await turns();
      commits[i].resolve();
    }
    await Promise.all(all);
    expect(statements.map((s) => s.events)).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f', 'g', 'h'], ['i']]);
  });

  it('fails every caller of a failed statement, and only them; the next statement is tried afresh', async () => {
    const { write, statements, commits } = controlledWrite();
    const group = new GroupCommit(write, 100);
    const first = group.append('chain', ['a']);
    const second = [group.append('chain', ['b']), group.append('chain', ['c'])];
    commits[0].resolve();
    await turns();
    const third = group.append('chain', ['d']);
    commits[1].reject(new Error('database down'));
    for (const promise of second) expect(await stateOf(promise)).toBe('rejected: database down');
    expect(await stateOf(first)).toBe('resolved');
    await turns();
    expect(statements[2].events).toEqual(['d']);
    commits[2].resolve();
    expect(await stateOf(third)).toBe('resolved');
  });

  it('runs one statement per chain at a time, and chains side by side', async () => {
    const { write, statements, commits } = controlledWrite();
    const group = new GroupCommit(write, 100);
    const a = group.append('one', ['a']);
    const b = group.append('two', ['b']);
    const c = group.append('one', ['c']);
    expect(statements.map((s) => s.chainId)).toEqual(['one', 'two']);
    commits[1].resolve();
    expect(await stateOf(b)).toBe('resolved');
    expect(await stateOf(a)).toBe('pending');
    commits[0].resolve();
    await turns();
    expect(statements[2]).toEqual({ chainId: 'one', events: ['c'] });
    commits[2].resolve();
    await Promise.all([a, c]);
    // An idle chain starts again at once.
    void group.append('one', ['d']);
    expect(statements[3]).toEqual({ chainId: 'one', events: ['d'] });
  });
});

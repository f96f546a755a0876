/** Watching promises settle, for unit tests of code that batches and waits on commits. */

/** Lets `count` turns of the event loop pass (each after the promise jobs of the one before). */
export async function turns(count = 3): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** 'pending', 'resolved' or 'rejected: <message>', once the promise jobs queued so far have run. */
export async function stateOf(promise: Promise<unknown>): Promise<string> {
  const pending = Symbol('pending');
  try {
    const value = await Promise.race([promise, turns(1).then(() => pending)]);
    return value === pending ? 'pending' : 'resolved';
  } catch (error) {
    return `rejected: ${(error as Error).message}`;
  }
}

/** Watching promises settle and waiting for conditions, for tests of code that batches, waits on commits or runs elsewhere. */

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

/** Waits until `condition` holds (polling every 10 ms; it may ask asynchronously), or fails after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

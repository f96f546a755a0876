/** Jest globalTeardown: undoes global-setup.ts — no server, folder or database is left behind. */
import { cleanUp, TEST_RUN_STATE, type TestRunState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { [TEST_RUN_STATE]?: TestRunState };
  const state = holder[TEST_RUN_STATE];
  if (!state) return;
  delete holder[TEST_RUN_STATE];
  await cleanUp(state);
}

/** Reading GraphQL answers in tests: the data of a success, the code of a failure. */
import type { GraphQLResponse } from './test-app';

/** The data of a response that must have succeeded (the errors are shown when it did not). */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** The `extensions.code` of a response's first error. */
export function codeOf(response: GraphQLResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

// What a refusal must look like to the person reading it, and bounded polling for rules that hold "within" a time.
import type { GraphQLResponse } from './api';

/** Words that only leak from internals: driver errors, JS exceptions, stack frames. */
export const INTERNALS = /stacktrace|\n\s+at | {4}at |duplicate key|violates|constraint|QueryFailedError|ZodError|TypeError|Cannot read prop|undefined|Something went wrong/i;

/** No server error, no stack trace, nothing Apollo reports as internal. */
export function expectNoInternals(status: number, body: unknown): void {
  expect(status).toBeLessThan(500);
  const text = JSON.stringify(body);
  expect(text).not.toContain('stacktrace');
  expect(text).not.toContain('    at ');
  expect(text).not.toContain('INTERNAL_SERVER_ERROR');
}

/** The response carries exactly one error, with this code (and field), a message written for a person, and no internals. */
export function expectError(response: GraphQLResponse<unknown>, code: string, field?: string): string {
  expectNoInternals(response.status, response);
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect(error.extensions?.code).toBe(code);
  if (field !== undefined) expect(error.extensions?.field).toBe(field);
  expect(error.message).toMatch(/^["`$A-Z]/);
  expect(error.message).not.toMatch(INTERNALS);
  return error.message;
}

/** The response succeeded: no errors at all. */
export function expectOk<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  expect(response.data).toBeTruthy();
  return response.data as T;
}

/** The codes of a response's errors, in order. */
export const codes = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => response.errors?.map((e) => e.extensions?.code);

/**
 * Repeats `attempt` until `done` holds of its result, for at most `timeoutMs`, and returns the last result: the
 * caller then asserts on it, so a rule that never comes true fails with the response that broke it.
 */
export async function eventually<T>(attempt: () => Promise<T>, done: (result: T) => boolean, timeoutMs = 5000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (done(result) || Date.now() >= deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

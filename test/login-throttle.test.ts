// Failed log-ins are throttled per email and per client address, and the answers never tell which emails have accounts.
// Every request here comes from 127.0.0.1, so the failures of all tests in a graph share one per-address count
// (limit 50): the tests below stay well under it, and the per-address limit gets a graph of its own.
import { attemptLogIn, expectError, expectOk, signUp, startGraph, unique, type AuthPayload, type GraphQLResponse, type TestGraph } from './harness';

const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_ADDRESS = 50;
const INCORRECT = 'The email or password is incorrect.';

type LogInResponse = GraphQLResponse<{ logIn: AuthPayload }>;

/** The error a person reads, without the seconds left, which tick down between two requests. */
const shownError = (response: LogInResponse) => {
  const { retryAfterSeconds: _seconds, ...extensions } = response.errors?.[0]?.extensions ?? {};
  return { message: response.errors?.[0]?.message, extensions };
};

function expectRateLimited(response: LogInResponse): void {
  expect(response.data).toBeNull();
  expect(expectError(response, 'RATE_LIMITED')).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ minute/);
  expect(response.errors![0].extensions?.retryAfterSeconds).toEqual(expect.any(Number));
  expect(response.errors![0].extensions?.retryAfterSeconds as number).toBeGreaterThan(0);
}

/** Fails to log in as `email` as many times as it takes to block it, checking each refusal is the plain one. */
async function failUntilBlocked(graph: TestGraph, email: string): Promise<LogInResponse[]> {
  const responses: LogInResponse[] = [];
  for (let attempt = 0; attempt < MAX_FAILURES_PER_EMAIL; attempt++) {
    const response = await attemptLogIn(graph, email, 'not the password');
    expect(expectError(response, 'UNAUTHENTICATED')).toBe(INCORRECT);
    responses.push(response);
  }
  return responses;
}

describe('failed log-ins for one email', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startGraph();
  });
  afterAll(() => graph?.stop());

  it(`are refused as incorrect ${MAX_FAILURES_PER_EMAIL} times, then RATE_LIMITED even with the right password`, async () => {
    const user = await signUp(graph);
    await failUntilBlocked(graph, user.email);
    expectRateLimited(await attemptLogIn(graph, user.email, user.password));
  });

  it('are answered the same for an email that has no account, so nobody learns which emails do', async () => {
    const user = await signUp(graph);
    const nobody = `${unique('nobody')}@example.com`;
    const [known, unknown] = await Promise.all([failUntilBlocked(graph, user.email), failUntilBlocked(graph, nobody)]);
    expect(unknown.map(shownError)).toEqual(known.map(shownError));

    const [knownBlocked, unknownBlocked] = await Promise.all([attemptLogIn(graph, user.email, user.password), attemptLogIn(graph, nobody, user.password)]);
    expectRateLimited(knownBlocked);
    expectRateLimited(unknownBlocked);
    expect(shownError(unknownBlocked)).toEqual(shownError(knownBlocked));
  });

  it('do not stop another email from the same address logging in', async () => {
    const blocked = await signUp(graph);
    const neighbour = await signUp(graph);
    await failUntilBlocked(graph, blocked.email);
    expectRateLimited(await attemptLogIn(graph, blocked.email, blocked.password));

    expect(expectOk(await attemptLogIn(graph, neighbour.email, neighbour.password)).logIn.user.id).toBe(neighbour.id);
    // A mistyped password of the neighbour is still just incorrect.
    expect(expectError(await attemptLogIn(graph, neighbour.email, 'not the password'), 'UNAUTHENTICATED')).toBe(INCORRECT);
  });

  it('are forgotten after a successful log-in', async () => {
    const user = await signUp(graph);
    for (let attempt = 0; attempt < MAX_FAILURES_PER_EMAIL - 1; attempt++) expectError(await attemptLogIn(graph, user.email, 'not the password'), 'UNAUTHENTICATED');
    expectOk(await attemptLogIn(graph, user.email, user.password));
    // Four more failures would have blocked the email, had the earlier ones still counted.
    for (let attempt = 0; attempt < 2; attempt++) expectError(await attemptLogIn(graph, user.email, 'not the password'), 'UNAUTHENTICATED');
    expectOk(await attemptLogIn(graph, user.email, user.password));
  });
});

describe('failed log-ins from one address', () => {
  // A graph of its own: once the address is blocked, nobody else in it can log in from 127.0.0.1.
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startGraph();
  });
  afterAll(() => graph?.stop());

  it(`block the address after ${MAX_FAILURES_PER_ADDRESS}, across any emails, even for a fresh email and a right password`, async () => {
    const user = await signUp(graph);
    // Distinct unknown emails, so no single email is slowed down or blocked; a few at a time.
    for (let batch = 0; batch < MAX_FAILURES_PER_ADDRESS / 10; batch++) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => attemptLogIn(graph, `${unique('guess')}@example.com`, 'not the password')));
      for (const response of responses) expect(expectError(response, 'UNAUTHENTICATED')).toBe(INCORRECT);
    }

    expectRateLimited(await attemptLogIn(graph, `${unique('fresh')}@example.com`, 'not the password'));
    expectRateLimited(await attemptLogIn(graph, user.email, user.password));
  });
});

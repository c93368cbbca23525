// The bound on answers: measured as JSON.stringify would write them, without writing them.
import { ApolloServer } from '@apollo/server';
import { exceedsJsonBytes, responseSizeLimit } from './response-size-limit';

describe('measuring an answer', () => {
  const answers: unknown[] = [
    null,
    true,
    42,
    -1.5,
    'plain text',
    '',
    [],
    {},
    [1, 'two', null, [3]],
    { data: { organization: { id: 'org_1', projects: { nodes: [{ id: 'prj_1', creditUsage: { total: 0, byDay: [] } }] } } } },
    { errors: [{ message: 'Not found.', path: ['organization', 0], extensions: { code: 'NOT_FOUND' } }] },
    { a: {}, b: [[], [{}]], c: '' },
  ];

  it.each(answers.map((answer) => [JSON.stringify(answer), answer]))('counts %s exactly as JSON.stringify writes it', (json, answer) => {
    expect(exceedsJsonBytes(answer, json.length)).toBe(false);
    expect(exceedsJsonBytes(answer, json.length - 1)).toBe(true);
  });

  it('leaves out fields that JSON leaves out, and writes undefined in a list as null', () => {
    const answer = { kept: 1, dropped: undefined, list: [undefined] };
    expect(exceedsJsonBytes(answer, JSON.stringify(answer).length)).toBe(false);
    expect(exceedsJsonBytes(answer, JSON.stringify(answer).length - 1)).toBe(true);
  });

  it('stops as soon as the answer is over the limit', () => {
    const visited: string[] = [];
    const nodes = Array.from({ length: 1_000 }, (_, i) => ({
      get id() {
        visited.push(String(i));
        return `node ${i}`;
      },
    }));
    expect(exceedsJsonBytes({ nodes }, 100)).toBe(true);
    expect(visited.length).toBeLessThan(20);
  });
});

describe('an answer over the limit', () => {
  const server = new ApolloServer({
    typeDefs: 'type Query { items(count: Int!): [String!]! }',
    resolvers: { Query: { items: (_: unknown, { count }: { count: number }) => Array.from({ length: count }, () => 'an item of text') } },
    plugins: [responseSizeLimit({ maxResponseBytes: 1_000 })],
  });
  afterAll(() => server.stop());

  it('becomes one RESPONSE_TOO_LARGE error with HTTP 400', async () => {
    const response = await server.executeOperation({ query: '{ items(count: 100) }' });
    expect(response.http.status).toBe(400);
    expect(response.body).toEqual({
      kind: 'single',
      singleResult: {
        errors: [
          {
            message: 'The answer to this request is larger than this service sends (1000 bytes). Ask for fewer items or fields.',
            extensions: { code: 'RESPONSE_TOO_LARGE', maxResponseBytes: 1_000 },
          },
        ],
      },
    });
  });

  it('is sent as it is when within the limit', async () => {
    const response = await server.executeOperation({ query: '{ items(count: 10) }' });
    expect(response.http.status).toBeUndefined();
    expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({ items: Array(10).fill('an item of text') });
  });
});

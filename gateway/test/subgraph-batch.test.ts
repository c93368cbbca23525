// One client request's simultaneous fetches to a subgraph go as one batch; different callers' never do.
import type { Fetcher, FetcherResponse } from '../src/fetcher';
import { batchingFetcher, MAX_BATCH_OPERATIONS } from '../src/subgraph-batch';

interface Sent {
  url: string;
  body: string;
}

/** A subgraph that answers every operation of a batch with its own body echoed as data, with `status`. */
function subgraph(status = 200, answer?: (bodies: unknown[]) => unknown[] | string) {
  const sent: Sent[] = [];
  const send: Fetcher = async (url, init = {}) => {
    const body = String(init.body);
    sent.push({ url, body });
    const parsed = JSON.parse(body) as unknown;
    const bodies = Array.isArray(parsed) ? parsed : [parsed];
    const result = answer ? answer(bodies) : bodies.map((body) => ({ data: { echo: body } }));
    const text = typeof result === 'string' ? result : JSON.stringify(Array.isArray(parsed) ? result : result[0]);
    return {
      status,
      statusText: '',
      ok: status < 300,
      url,
      redirected: false,
      bodyUsed: false,
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () => text,
      json: async () => JSON.parse(text),
    } as unknown as FetcherResponse;
  };
  return { send, sent };
}

// As the data source sends them (subgraph-data-source.ts): the body encoded once.
const post = (query: string, authorization = 'Bearer a') => ({ method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ query })) });

describe('batchingFetcher', () => {
  it('sends one client request\'s simultaneous fetches to one subgraph as one batch, and hands each its own answer', async () => {
    const { send, sent } = subgraph();
    const fetch = batchingFetcher(send);
    const [first, second] = await Promise.all([fetch('http://billing/graphql', post('{ a }')), fetch('http://billing/graphql', post('{ b }'))]);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0].body)).toEqual([{ query: '{ a }' }, { query: '{ b }' }]);
    expect(await first.json()).toEqual({ data: { echo: { query: '{ a }' } } });
    expect(await second.json()).toEqual({ data: { echo: { query: '{ b }' } } });
  });

  it('hands each fetch its own answer, already parsed and not shared with another reader', async () => {
    const { send } = subgraph();
    const fetch = batchingFetcher(send);
    const [first, second] = await Promise.all([fetch('http://billing/graphql', post('{ a }')), fetch('http://billing/graphql', post('{ b }'))]);
    const copy = first.clone();
    const answer = (await first.json()) as { data: { echo: unknown } };
    answer.data.echo = 'changed by a reader';
    expect(await copy.json()).toEqual({ data: { echo: { query: '{ a }' } } });
    expect(await second.text()).toBe(JSON.stringify({ data: { echo: { query: '{ b }' } } }));
    await expect(first.text()).rejects.toThrow(/already been read/);
  });

  it('batches string bodies as it batches buffers, the non-ASCII text intact', async () => {
    const { send, sent } = subgraph();
    const fetch = batchingFetcher(send);
    const asText = { ...post('{ a }'), body: JSON.stringify({ query: '{ a(name: "Zoë 東京") }' }) };
    const [first] = await Promise.all([fetch('http://billing/graphql', asText), fetch('http://billing/graphql', post('{ b }'))]);
    expect(sent).toHaveLength(1);
    expect(await first.json()).toEqual({ data: { echo: { query: '{ a(name: "Zoë 東京") }' } } });
  });

  it('never puts two callers (different headers) or two subgraphs in one batch, and sends a fetch alone as it is', async () => {
    const { send, sent } = subgraph();
    const fetch = batchingFetcher(send);
    await Promise.all([
      fetch('http://billing/graphql', post('{ a }', 'Bearer alice')),
      fetch('http://billing/graphql', post('{ b }', 'Bearer bob')),
      fetch('http://identity/graphql', post('{ c }', 'Bearer alice')),
    ]);
    expect(sent.map((request) => JSON.parse(request.body))).toEqual([{ query: '{ a }' }, { query: '{ b }' }, { query: '{ c }' }]);
  });

  it(`splits more than ${MAX_BATCH_OPERATIONS} fetches into several batches`, async () => {
    const { send, sent } = subgraph();
    const fetch = batchingFetcher(send);
    await Promise.all(Array.from({ length: MAX_BATCH_OPERATIONS + 1 }, (_, i) => fetch('http://billing/graphql', post(`{ f${i} }`))));
    const sizes = sent.map((request) => {
      const body = JSON.parse(request.body) as unknown;
      return Array.isArray(body) ? body.length : 1;
    });
    expect(sizes).toEqual([MAX_BATCH_OPERATIONS, 1]);
  });

  it('answers an operation that has data as it would have alone, though another made the batch a 413', async () => {
    const { send } = subgraph(413, (bodies) => bodies.map((_, i) => (i === 0 ? { data: { ok: true } } : { errors: [{ message: 'too many representations' }] })));
    const fetch = batchingFetcher(send);
    const [first, second] = await Promise.all([fetch('http://billing/graphql', post('{ a }')), fetch('http://billing/graphql', post('{ b }'))]);
    expect([first.status, second.status]).toEqual([200, 413]);
    expect(await first.json()).toEqual({ data: { ok: true } });
  });

  it('gives every fetch of a batch the whole answer when it is not a batch\'s, and the failure when it failed', async () => {
    const refused = batchingFetcher(subgraph(401, () => '{"errors":[{"message":"refused"}]}').send);
    const answers = await Promise.all([refused('http://billing/graphql', post('{ a }')), refused('http://billing/graphql', post('{ b }'))]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401]);
    expect(await answers[1].json()).toEqual({ errors: [{ message: 'refused' }] });

    const down = batchingFetcher(async () => {
      throw new Error('connection refused');
    });
    const results = await Promise.allSettled([down('http://billing/graphql', post('{ a }')), down('http://billing/graphql', post('{ b }'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});

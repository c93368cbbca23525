// The subgraphs run operations compiled by graphql-jit (shared/src/compiled-execution.ts). graphql-js, which
// COMPILED_EXECUTION=false brings back, answers every request of the same story with the same JSON: data, lazy fields
// (totalCount), nested entities across subgraphs, and errors with their codes and paths.
import { SUBGRAPHS } from '@orgapi/shared';
import { addMember, createOrganization, createProject, grantCredits, recordUsage, signUp, startGraph, type TestGraph } from './harness';

const OVERVIEW = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
  organization(id: $id) {
    name viewerRole
    members(first: 10) { totalCount pageInfo { hasNextPage } nodes { role user { name } } }
    projects(first: 1) { totalCount pageInfo { hasNextPage } nodes { name environments { mode } creditUsage(from: $from, to: $to) { total byMeter { meter quantity amount } } } }
    creditBalance { available granted used }
    creditUsage(from: $from, to: $to) { total byDay { date amount } byProject { amount project { name } } byEnvironmentMode { mode amount } }
  }
}`;
const PERIOD = { from: '2026-11-01T00:00:00Z', to: '2026-11-03T00:00:00Z' };

/** The same story on a graph, and every answer it got: an owner's overview, a viewer's, and refusals. */
async function story(graph: TestGraph): Promise<unknown[]> {
  const owner = await signUp(graph, 'Olga Owner');
  const viewer = await signUp(graph, 'Viktor Viewer');
  const outsider = await signUp(graph, 'Otto Outsider');
  const org = await createOrganization(graph, owner, 'Compiled Co');
  await addMember(graph, org.id, viewer, 'VIEWER');
  const alpha = await createProject(graph, owner, org.id, 'Alpha');
  await createProject(graph, owner, org.id, 'Beta');
  await grantCredits(graph, org.id, 500);
  await recordUsage(graph, { organizationId: org.id, projectId: alpha.id, environmentId: alpha.environments[1].id, amount: 6, quantity: 6, at: new Date('2026-11-01T10:00:00Z') });
  await recordUsage(graph, { organizationId: org.id, projectId: alpha.id, environmentId: alpha.environments[0].id, amount: 0, quantity: 4, mode: 'SANDBOX', at: new Date('2026-11-02T10:00:00Z') });
  const ask = (token: string, variables: Record<string, unknown> = {}) => graph.request(OVERVIEW, { id: org.id, ...PERIOD, ...variables }, token);
  return [
    await ask(owner.token),
    await ask(viewer.token),
    await ask(outsider.token),
    await ask(owner.token, { from: 'yesterday' }),
    await graph.request('{ viewer { name organizations { nodes { name } } } }', {}, viewer.token),
  ];
}

describe('compiled execution', () => {
  let compiled: TestGraph;
  let interpreted: TestGraph;
  beforeAll(async () => {
    compiled = await startGraph();
    interpreted = await startGraph({ serviceEnv: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, { COMPILED_EXECUTION: 'false' }])) });
  });
  afterAll(async () => {
    await compiled?.stop();
    await interpreted?.stop();
  });

  it('answers as graphql-js does, field for field, error for error', async () => {
    const [withJit, withGraphqlJs] = [await story(compiled), await story(interpreted)];
    expect(withJit).toEqual(withGraphqlJs);
    // The story means something: data for the owner, less for the viewer, nothing for the outsider, a bad variable.
    expect(JSON.stringify(withJit[0])).toContain('"totalCount":2');
    expect(JSON.stringify(withJit[0])).toContain('"byMeter":[{"meter":"requests","quantity":10,"amount":6}]');
    expect(JSON.stringify(withJit[1])).toContain('FORBIDDEN');
    expect(JSON.stringify(withJit[2])).toContain('"organization":null');
    expect(JSON.stringify(withJit[3])).toContain('BAD_USER_INPUT');
  });
});

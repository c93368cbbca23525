// The query plans of the committed supergraph: organizations' signed claims ride along in fetches the plan makes anyway, never adding a hop.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { OVERVIEW } from './harness';

const supergraph = Supergraph.build(readFileSync(path.resolve(__dirname, '../schema/supergraph.graphql'), 'utf8'));
const planner = new QueryPlanner(supergraph);

function planOf(document: string): PlanNode | undefined {
  const { node } = planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(document)));
  if (node?.kind === 'Subscription') throw new Error('The API has no subscriptions.');
  return node;
}

/** A plan as the services it calls: a name per fetch, `then` for what runs in sequence, sorted lists for what runs in parallel. */
function shape(node: PlanNode | undefined): unknown {
  if (!node) return null;
  switch (node.kind) {
    case 'Fetch':
      return node.serviceName;
    case 'Flatten':
      return shape(node.node);
    case 'Sequence':
      return { then: node.nodes.map(shape) };
    case 'Parallel':
      return node.nodes.map(shape).sort();
    default:
      return node.kind;
  }
}

function fetches(node: PlanNode | undefined): FetchNode[] {
  if (!node) return [];
  if (node.kind === 'Fetch') return [node];
  if (node.kind === 'Flatten') return fetches(node.node);
  if (node.kind === 'Sequence' || node.kind === 'Parallel') return node.nodes.flatMap(fetches);
  return [];
}

describe('the overview', () => {
  const plan = planOf(OVERVIEW);

  it('takes one fetch to organizations, then billing and identity in parallel', () => {
    expect(shape(plan)).toEqual({ then: ['organizations', ['billing', 'billing', 'identity']] });
  });

  it("fetches the claims from organizations with the rest, and hands each to the subgraph whose fields require it", () => {
    const [organizations, ...others] = fetches(plan);
    expect(organizations.operation.match(/viewerPermissionsClaim/g)).toHaveLength(3);
    for (const fetch of others) expect(JSON.stringify(fetch.requires)).toContain('viewerPermissionsClaim');
  });
});

describe("the caller's own user", () => {
  it.each([
    ['viewer', '{ viewer { id email name createdAt sessions { id } personalAccessTokens { id } } }'],
    ['logIn', 'mutation { logIn(input: { email: "a@example.com", password: "p" }) { accessToken user { id email name } } }'],
    ['signUp', 'mutation { signUp(input: { email: "a@example.com", password: "p", name: "A" }) { user { email } } }'],
    ['refreshSession', 'mutation { refreshSession(refreshToken: "r") { user { email } } }'],
    ['changePassword', 'mutation { changePassword(input: { currentPassword: "p", newPassword: "q" }) { email name } }'],
    ['verifyEmail', 'mutation { verifyEmail(input: { token: "t" }) { id email emailVerified emailVerifiedAt } }'],
    ['resetPassword', 'mutation { resetPassword(input: { token: "t", newPassword: "q" }) { id email name emailVerified } }'],
  ])('is one fetch to identity through %s: identity provides the claim field itself', (_field, document) => {
    expect(shape(planOf(document))).toBe('identity');
  });
});

// The public schema's contract: schema/ holds what the code produces, and a change that breaks clients fails until it is accepted.
import { Kind, parse, print, visit, type ObjectTypeDefinitionNode } from 'graphql';
import { parseAcceptedBreakingChanges } from '../scripts/src/breaking-changes';
import { checkSchema, formatCheck, passed, type SchemaCheck, type SchemaSources } from '../scripts/src/schema-contract';
import { readSchemaSources } from '../scripts/src/schema-files';

let sources: SchemaSources;
let current: SchemaCheck;
beforeAll(async () => {
  sources = await readSchemaSources();
  current = await checkSchema(sources);
});

/** The sources with one type of one subgraph's SDL rewritten, as if its code had changed. */
function withType(subgraph: string, type: string, rewrite: (node: ObjectTypeDefinitionNode) => ObjectTypeDefinitionNode): SchemaSources {
  const edit = (sdl: string) => print(visit(parse(sdl), { ObjectTypeDefinition: (node) => (node.name.value === type ? rewrite(node) : undefined) }));
  return { ...sources, subgraphs: sources.subgraphs.map((s) => (s.name === subgraph ? { ...s, sdl: edit(s.sdl) } : s)) };
}

const withoutField = (subgraph: string, type: string, field: string) =>
  withType(subgraph, type, (node) => ({ ...node, fields: node.fields?.filter((f) => f.name.value !== field) }));

const messages = (check: SchemaCheck) => check.breaking.map((change) => `${change.path}: ${change.message}`);

describe('on the current code', () => {
  it('the subgraphs compose', () => expect(current.compositionErrors).toEqual([]));

  it('schema/ holds the current subgraph, supergraph and client-facing SDL (run `npm run schema` after changing the API)', () => {
    expect(current.staleFiles).toEqual([]);
    expect(Object.keys(current.files)).toEqual(['identity.graphql', 'organizations.graphql', 'billing.graphql', 'supergraph.graphql', 'api.graphql']);
  });

  it('describes every type, field, argument, input field and enum value clients see', () => expect(current.undocumented).toEqual([]));

  it('breaks no client of the committed api.graphql', () => {
    expect(messages(current)).toEqual([]);
    expect(passed(current)).toBe(true);
  });

  it('api.graphql carries no federation machinery', () => {
    expect(current.files['api.graphql']).not.toMatch(/@join__|@link|_entities|_Service|_Any|join__Graph/);
  });
});

describe('a change that breaks clients fails the check, listing each change', () => {
  it('a removed field', async () => {
    const check = await checkSchema(withoutField('billing', 'CreditBalance', 'used'));
    expect(messages(check)).toEqual(["CreditBalance.used: Field 'used' was removed from object type 'CreditBalance'"]);
    expect(passed(check)).toBe(false);
    const report = formatCheck(check);
    expect(report).toContain("  - CreditBalance.used: Field 'used' was removed from object type 'CreditBalance'");
    expect(report).toContain('  - schema/api.graphql differs from what the code produces');
    expect(report).toContain('schema/breaking-changes.json');
  });

  it('an argument made required', async () => {
    const check = await checkSchema(
      withType('organizations', 'Organization', (node) => ({
        ...node,
        fields: node.fields?.map((field) =>
          field.name.value !== 'projects'
            ? field
            : { ...field, arguments: field.arguments?.map((arg) => (arg.name.value === 'first' && arg.type.kind !== Kind.NON_NULL_TYPE ? { ...arg, type: { kind: Kind.NON_NULL_TYPE, type: arg.type } } : arg)) },
        ),
      })),
    );
    expect(messages(check)).toEqual(["Organization.projects.first: Type for argument 'first' on field 'Organization.projects' changed from 'Int' to 'Int!'"]);
    expect(passed(check)).toBe(false);
  });

  it('an accepted change passes once listed with its reason, and api.graphql is then regenerated', async () => {
    const accepted = [{ path: 'CreditBalance.used', message: "Field 'used' was removed from object type 'CreditBalance'", reason: 'Clients read `available`.' }];
    const check = await checkSchema({ ...withoutField('billing', 'CreditBalance', 'used'), accepted });
    expect(check.breaking).toEqual([]);
    expect(check.accepted.map((change) => change.path)).toEqual(['CreditBalance.used']);
    // The override lets the change through, not a stale schema/: `npm run schema` still has to write it.
    expect(check.staleFiles).toContain('schema/api.graphql differs from what the code produces');
  });

  it('an override needs a written reason', () => {
    const entry = { path: 'CreditBalance.used', message: "Field 'used' was removed from object type 'CreditBalance'" };
    expect(() => parseAcceptedBreakingChanges(JSON.stringify([entry]), 'breaking-changes.json')).toThrow('entry 0');
    expect(() => parseAcceptedBreakingChanges(JSON.stringify([{ ...entry, reason: '<why clients can take this>' }]), 'breaking-changes.json')).toThrow('written "reason"');
  });
});

it('a type without a description fails the check, named', async () => {
  const check = await checkSchema(withType('billing', 'CreditUsageDay', (node) => ({ ...node, description: undefined })));
  expect(check.undocumented).toEqual(['CreditUsageDay']);
  expect(check.breaking).toEqual([]);
  expect(formatCheck(check)).toContain('  - CreditUsageDay');
  expect(passed(check)).toBe(false);
});

it('subgraphs that do not compose fail the check with composition errors', async () => {
  const billing = sources.subgraphs.find((s) => s.name === 'billing')!;
  const clash = { ...billing, sdl: `${billing.sdl}\nextend type Query { viewer: String }\n` };
  const check = await checkSchema({ ...sources, subgraphs: sources.subgraphs.map((s) => (s === billing ? clash : s)) });
  expect(check.compositionErrors).toContain(
    '[INVALID_FIELD_SHARING] Non-shareable field "Query.viewer" is resolved from multiple subgraphs: it is resolved from subgraphs "billing" and "identity" and defined as non-shareable in all of them',
  );
  expect(formatCheck(check)).toMatch(/^The subgraphs do not compose:\n {2}- \[\w+\] /);
  expect(passed(check)).toBe(false);
});

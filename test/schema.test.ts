// The committed SDL in schema/ is what the code composes, and the API documents itself.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { composeSchemas } from '../scripts/src/supergraph';
import { Supergraph } from '@apollo/federation-internals';

const SCHEMA_DIR = path.resolve(__dirname, '../schema');
const read = (file: string) => readFile(path.join(SCHEMA_DIR, file), 'utf8');

let composed: Awaited<ReturnType<typeof composeSchemas>>;
beforeAll(async () => {
  composed = await composeSchemas();
});

it('schema/ holds the current subgraph and supergraph SDL (run `npm run schema` after changing the API)', async () => {
  for (const { name, sdl } of composed.subgraphs) expect(await read(`${name}.graphql`)).toBe(`${sdl.trim()}\n`);
  expect(await read('supergraph.graphql')).toBe(`${composed.supergraph.trim()}\n`);
});

const BUILT_IN = new Set(['String', 'Boolean', 'Int', 'Float', 'ID']);

function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const roots = new Set([schema.getQueryType(), schema.getMutationType()].map((type) => type?.name));
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('_') || BUILT_IN.has(type.name)) continue;
    if (!type.description && !roots.has(type.name)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
  }
  return missing;
}

it('describes every type, field, argument and enum value clients see', () => {
  const apiSchema = Supergraph.build(composed.supergraph).apiSchema().toGraphQLJSSchema();
  expect(undocumented(apiSchema)).toEqual([]);
});

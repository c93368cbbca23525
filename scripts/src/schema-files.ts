// schema/ on disk: what the contract check reads from it, and what `npm run schema` writes to it.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAcceptedBreakingChanges } from './breaking-changes';
import { BREAKING_CHANGES_FILE, type SchemaSources } from './schema-contract';
import { printSubgraphs } from './supergraph';

export const SCHEMA_DIR = path.resolve(__dirname, '../../schema');

const isSchemaFile = (name: string) => name.endsWith('.graphql');

// A missing schema/ or override file is a fresh start, not an error.
function absentAs<T>(fallback: T) {
  return (error: NodeJS.ErrnoException): T => {
    if (error.code === 'ENOENT') return fallback;
    throw error;
  };
}

/** The subgraphs as the code prints them, the committed `.graphql` files and the accepted breaking changes. */
export async function readSchemaSources(dir = SCHEMA_DIR): Promise<SchemaSources> {
  const names = (await readdir(dir).catch(absentAs<string[]>([]))).filter(isSchemaFile);
  const committed = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name), 'utf8')])));
  const overrides = path.join(dir, BREAKING_CHANGES_FILE);
  const accepted = parseAcceptedBreakingChanges(await readFile(overrides, 'utf8').catch(absentAs('[]')), path.relative(process.cwd(), overrides));
  return { subgraphs: await printSubgraphs(), committed, accepted };
}

/** Makes schema/'s `.graphql` files exactly `files`: writes each, removes those the code no longer produces. */
export async function writeSchemaFiles(files: Record<string, string>, dir = SCHEMA_DIR): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of (await readdir(dir)).filter(isSchemaFile)) if (!(name in files)) await rm(path.join(dir, name));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
}

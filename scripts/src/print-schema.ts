// `npm run schema`: writes each subgraph's SDL and the composed supergraph to schema/ for registry tools.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { composeSchemas } from './supergraph';

export const SCHEMA_DIR = path.resolve(__dirname, '../../schema');

async function main(): Promise<void> {
  const { subgraphs, supergraph } = await composeSchemas();
  await mkdir(SCHEMA_DIR, { recursive: true });
  for (const { name, sdl } of subgraphs) await writeFile(path.join(SCHEMA_DIR, `${name}.graphql`), `${sdl.trim()}\n`);
  await writeFile(path.join(SCHEMA_DIR, 'supergraph.graphql'), `${supergraph.trim()}\n`);
  process.stdout.write(`Wrote ${subgraphs.length} subgraph schemas and supergraph.graphql to ${path.relative(process.cwd(), SCHEMA_DIR)}/\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

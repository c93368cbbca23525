// `npm run schema`: writes each subgraph's SDL, the composed supergraph and the client-facing api.graphql to schema/.
import path from 'node:path';
import { checkSchema, formatCheck } from './schema-contract';
import { readSchemaSources, SCHEMA_DIR, writeSchemaFiles } from './schema-files';

async function main(): Promise<void> {
  const check = await checkSchema(await readSchemaSources());
  // Stale files are what this command fixes; everything else the check says still applies.
  const report = formatCheck({ ...check, staleFiles: [] });
  // api.graphql is the contract clients rely on: it moves past a breaking change only when the override file accepts it.
  if (check.compositionErrors.length || check.breaking.length) {
    process.stderr.write(`${report}\n\nNothing written.\n`);
    process.exit(1);
  }
  await writeSchemaFiles(check.files);
  if (report) process.stdout.write(`${report}\n\n`);
  process.stdout.write(`Wrote ${Object.keys(check.files).join(', ')} to ${path.relative(process.cwd(), SCHEMA_DIR)}/\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

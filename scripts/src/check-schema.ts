// `npm run schema:check`: fails, listing each problem, when schema/ is stale, the subgraphs do not compose,
// an element lacks a description, or the client-facing schema breaks clients without an accepted override.
import { checkSchema, formatCheck, passed } from './schema-contract';
import { readSchemaSources } from './schema-files';

async function main(): Promise<void> {
  const check = await checkSchema(await readSchemaSources());
  const report = formatCheck(check);
  if (!passed(check)) {
    process.stderr.write(`${report}\n\nSchema check failed.\n`);
    process.exit(1);
  }
  process.stdout.write(`${report ? `${report}\n\n` : ''}Schema check passed: schema/ matches the code, and clients of api.graphql keep working.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

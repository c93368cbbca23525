// `DATABASE_URL=<admin URL> npm run provision-database`: creates one role per subgraph that owns its schema and can
// reach nothing else, and prints each subgraph's DATABASE_URL. Run it again to issue new passwords.
import { provisionSchemaOwners, SUBGRAPH_NAMES } from '@orgapi/shared';

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('Set DATABASE_URL to a URL of the database as a user that may create roles and schemas.');
  const prefix = process.env.ROLE_PREFIX ?? 'orgapi';
  const urls = await provisionSchemaOwners(adminUrl, prefix, SUBGRAPH_NAMES);
  for (const [schema, url] of Object.entries(urls)) process.stdout.write(`${schema.padEnd(14)} DATABASE_URL=${url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

// Gives each subgraph its own PostgreSQL login role that owns its schema and can reach nothing else, so "a subgraph
// owns its tables" holds in the database itself, not only by convention.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a safe PostgreSQL identifier: ${name}`);
  return `"${name}"`;
}

/**
 * As an administrator of the database at `adminUrl`: creates (or re-keys) the role `<prefix>_<schema>` for each
 * schema, makes it the owner of that schema and of everything already in it, and returns each schema's connection
 * URL for its role. Other roles get no access to the schema: PostgreSQL grants none by default.
 */
export async function provisionSchemaOwners(adminUrl: string, prefix: string, schemas: readonly string[]): Promise<Record<string, string>> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  const urls: Record<string, string> = {};
  try {
    for (const schema of schemas) {
      const role = `${prefix}_${schema}`;
      // base64url has no quote characters, so it is safe inside the SQL string literal below.
      const password = randomBytes(24).toString('base64url');
      await client.query('BEGIN');
      await client.query(`DO $$ BEGIN CREATE ROLE ${identifier(role)} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await client.query(`ALTER ROLE ${identifier(role)} LOGIN PASSWORD '${password}'`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${identifier(schema)} AUTHORIZATION ${identifier(role)}`);
      await client.query(`ALTER SCHEMA ${identifier(schema)} OWNER TO ${identifier(role)}`);
      // Tables made before the role existed (an older database) change hands too; their indexes and the sequences
      // of their serial columns follow them.
      const { rows } = await client.query<{ name: string; kind: string }>(
        `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
          WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'S', 'v', 'm') AND pg_get_userbyid(c.relowner) <> $2
            AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
          ORDER BY c.relkind = 'S'`,
        [schema, role],
      );
      for (const { name, kind } of rows) {
        const what = kind === 'S' ? 'SEQUENCE' : kind === 'v' ? 'VIEW' : kind === 'm' ? 'MATERIALIZED VIEW' : 'TABLE';
        await client.query(`ALTER ${what} ${identifier(schema)}.${identifier(name)} OWNER TO ${identifier(role)}`);
      }
      await client.query('COMMIT');
      const url = new URL(adminUrl);
      url.username = role;
      url.password = password;
      urls[schema] = url.toString();
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return urls;
}

/**
 * As an administrator: creates (or re-keys) the login role `<prefix>_<name>` with no privileges beyond connecting,
 * for a process that only listens for notifications (the gateway hearing revocations), and returns its URL.
 */
export async function provisionListenerRole(adminUrl: string, prefix: string, name: string): Promise<string> {
  const role = `${prefix}_${name}`;
  const password = randomBytes(24).toString('base64url');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DO $$ BEGIN CREATE ROLE ${identifier(role)} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await client.query(`ALTER ROLE ${identifier(role)} LOGIN PASSWORD '${password}'`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

/** Drops the roles provisionSchemaOwners made, once their database is gone (a role that owns objects can't be dropped). */
export async function dropSchemaOwners(adminUrl: string, prefix: string, schemas: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP ROLE IF EXISTS ${identifier(`${prefix}_${schema}`)}`);
  } finally {
    await client.end();
  }
}

// The benchmark's data, written in bulk: the rows the services and the demo seed write, a few statements per organization.
//
// A measured organization (projects with their two environments, members, usage events over `days` days, a ledger
// that pays for them), a small one with the same members, and other organizations of the measured one's size so that
// every index holds many tenants. Each organization is one transaction of INSERT … SELECT statements whose random
// data PostgreSQL makes itself (generate_series), IDs included, the usage rollups filled by billing's own statement
// triggers. verifyBenchSeed then checks in SQL that the ledger, the balance, the grants, the rollups and the raw
// events agree.
//
// Measured with `DATABASE_URL=<superuser URL> node scripts/dist/bench-seed.js [--quick]` on the bench's server (the
// embedded PostgreSQL 17: 128 MB of shared buffers, autovacuum on) and 2 cores: the full seed (52 organizations,
// 10,220 projects, 5,050 users, 5.1 million events, 8 GB) in 257 s, the quick one (4 organizations) in 18 s; the full
// one in 320 s while another test suite ran on the same cores.
import { Client } from 'pg';
import { dropSchemaOwners, openDatabase, provisionSchemaOwners, SUBGRAPH_NAMES, type Role } from '@orgapi/shared';
import { hashPassword, identitySubgraph } from '@orgapi/identity';
import { organizationsSubgraph } from '@orgapi/organizations';
import { billingSubgraph, DEMO_METERS, type Meter } from '@orgapi/billing';

export interface BenchSeedOptions {
  /** The measured organization: projects (2 environments each, SANDBOX and LIVE), members, usage events over `days` days up to now. */
  projects: number; // full: 200
  members: number; // full: 100
  events: number; // full: 100_000
  days: number; // 90
  /** Organizations of the same size as the measured one, so indexes matter. */
  otherOrganizations: number; // full: 50, quick: 2
  /** A second, small organization the bench compares with: same members, `smallProjects` projects, `smallEvents` events. */
  smallProjects: number; // 10
  smallEvents: number; // 10_000
  /**
   * An organization of the demo's size, the size the performance issue's targets were set on: `demoProjects`
   * projects, the owner and `demoMembers - 1` of the measured one's members, `demoEvents` events.
   */
  demoProjects: number; // 3
  demoMembers: number; // 5
  demoEvents: number; // 1_000
  /** Organizations seeded at once, each on its own connection: DEFAULT_CONNECTIONS unless given. */
  connections?: number;
}

export interface BenchOrganization {
  id: string;
  slug: string;
  projects: number;
  events: number;
}

export interface BenchData {
  email: string;
  password: string;
  big: BenchOrganization;
  small: BenchOrganization;
  /** The measured organization's projects and members with the small one's events: reports at two sizes of usage, one shape. */
  quiet: BenchOrganization;
  /** The demo's size: 3 projects, 5 members. */
  demo: BenchOrganization;
  others: number;
  seconds: number;
}

/** The one user who logs in: OWNER of every seeded organization. */
export const BENCH_EMAIL = 'bench@bench.example';
export const BENCH_PASSWORD = 'bench-seed-password';
/** What the usage was recorded with, as the demo's `demo`: a key ID the ledger names as the actor, not a stored key. */
const BENCH_KEY_ID = 'bench-seed';

/** Two organizations at once: the bench machine's two cores, each with a PostgreSQL backend busy inserting. */
const DEFAULT_CONNECTIONS = 2;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Usage stops this long before the seed starts: a late event is still "now" for the bench's 30-day overview. */
const LATEST_EVENT_AGE_MS = 5 * MINUTE_MS;
/** A batch of usage holds the events of a minute, and reaches the service up to 30 s later (its events' created_at). */
const BATCH_MS = MINUTE_MS;
const MAX_DELIVERY_DELAY_MS = 30_000;
/** The most events a batch holds (1 + random()² × 8: 3.2 on average). */
const MAX_BATCH_SIZE = 8;
/** LIVE environments carry three quarters of the usage, as production traffic outweighs testing. */
const LIVE_SHARE = 0.75;
/** The credits granted exceed the usage by this share, so the balance ends positive (alert state OK). */
const GRANT_HEADROOM = 0.25;
/** The memberships after the owner, by position modulo 10: a few admins and billing managers, some viewers, mostly members. */
const MEMBER_ROLES: Role[] = ['MEMBER', 'ADMIN', 'BILLING', 'VIEWER', 'MEMBER', 'VIEWER', 'MEMBER', 'MEMBER', 'MEMBER', 'MEMBER'];

// A TypeID (shared/src/ids.ts) is its prefix and a UUIDv7 in Crockford's base32: 26 characters for 130 bits, two of
// them zero, so the first 10 characters are exactly the 48-bit millisecond time and the last 16 the version (7), the
// variant (0b10) and 74 random bits, here as two 40-bit halves. One SQL expression PostgreSQL inlines: 3 µs an ID,
// where substr() costs 5 µs and a call it cannot inline 20 µs (measured, PostgreSQL 15). It inlines only when the
// arguments are plain columns, so every query below draws `hi` and `lo` (RANDOM_HALVES) in a subquery under OFFSET 0.
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const base32 = (bits: string, characters: number) =>
  Array.from({ length: characters }, (_, i) => `('{${[...CROCKFORD].join(',')}}'::text[])[((${bits} >> ${5 * (characters - 1 - i)}) & 31)::int + 1]`).join(' || ');
const TYPE_ID_FUNCTION = `
  CREATE FUNCTION pg_temp.type_id(prefix text, ms bigint, hi bigint, lo bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT prefix || '_' || ${base32('ms', 10)} || ${base32('hi', 8)} || ${base32('lo', 8)}
  $$`;
const RANDOM_HALVES = `(7::bigint << 36) | (floor(random() * 4096)::bigint << 24) | (2::bigint << 22) | floor(random() * 4194304)::bigint AS hi,
  floor(random() * 1099511627776)::bigint AS lo`;
/** SQL: the timestamptz of a millisecond count, exactly (the services' times come from JavaScript dates, in milliseconds). */
const time = (ms: string) => `(timestamptz 'epoch' + (${ms}) * interval '1 millisecond')`;

/** When things happen: the bench user signs up a day before the usage window, which ends a few minutes before now. */
interface Clock {
  now: number;
  opened: number;
  firstEvent: number;
  lastEvent: number;
}

interface OrganizationSpec {
  slug: string;
  name: string;
  /** When it was created, its members joined and its projects were made, a second apart. */
  opened: number;
  projects: number;
  events: number;
  /** New members to create (the owner aside), or the members of an organization seeded before, with the same roles. */
  members: number | (() => Member[]);
}

interface Member {
  userId: string;
  role: Role;
}

interface SeededOrganization {
  organization: BenchOrganization;
  members: Member[];
}

interface SeededEnvironment {
  id: string;
  project_id: string;
  mode: 'SANDBOX' | 'LIVE';
}

/**
 * Seeds a fresh database (the stack started, its migrations run) as its superuser: the bench user, the measured
 * organization (`bench`), `otherOrganizations` more (`bench-other-<n>`), the small one (`bench-small`), the quiet one
 * (`bench-quiet`: the measured one's projects, the small one's events) and one of the demo's size (`bench-demo`), vacuumed
 * and analyzed. Refuses a database that has the bench user already.
 */
export async function seedBench(adminUrl: string, options: BenchSeedOptions, meters: readonly Meter[]): Promise<BenchData> {
  checkOptions(options, meters);
  const started = performance.now();
  const connect = async () => {
    const client = new Client({ connectionString: adminUrl, application_name: 'bench-seed' });
    await client.connect();
    return client;
  };
  const clients = [await connect()];
  try {
    const [first] = clients;
    const { rowCount } = await first.query('SELECT 1 FROM identity.users WHERE email = $1', [BENCH_EMAIL]);
    if (rowCount) throw new Error(`seedBench needs a fresh database: ${BENCH_EMAIL} exists already.`);
    while (clients.length < (options.connections ?? DEFAULT_CONNECTIONS)) clients.push(await connect());
    for (const client of clients) await client.query(TYPE_ID_FUNCTION);
    const now = Date.now();
    const lastEvent = now - LATEST_EVENT_AGE_MS;
    const firstEvent = lastEvent - options.days * DAY_MS;
    const clock: Clock = { now, opened: firstEvent - DAY_MS, firstEvent, lastEvent };
    // argon2id at identity's cost takes tens of milliseconds: once, for every user.
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const ownerId = await insertOwner(first, passwordHash, clock);
    const context = { ownerId, passwordHash, clock, meters };

    const sized = (slug: string, name: string) => ({ slug, name, projects: options.projects, events: options.events, members: options.members - 1 });
    // The small organization, the quiet one (the measured one's projects, the small one's events) and the demo-sized
    // one have the measured one's members (the demo-sized one its first few): seeded last, in rounds of their own,
    // when those members exist.
    const withMembers = () => seeded[0].members;
    const small = { slug: 'bench-small', name: 'Bench Small', projects: options.smallProjects, events: options.smallEvents, members: withMembers };
    const quiet = { slug: 'bench-quiet', name: 'Bench Quiet', projects: options.projects, events: options.smallEvents, members: withMembers };
    const demo = { slug: 'bench-demo', name: 'Bench Demo', projects: options.demoProjects, events: options.demoEvents, members: () => withMembers().slice(0, options.demoMembers - 1) };
    const later = [small, quiet, demo];
    const all = [sized('bench', 'Bench'), ...Array.from({ length: options.otherOrganizations }, (_, i) => sized(`bench-other-${i + 1}`, `Bench Other ${i + 1}`)), ...later];
    // One after another over the first half of the day before the usage: each organization's IDs (its projects',
    // environments', rollup keys) sort after the previous one's, so each INSERT adds to the end of the indexes
    // rather than all over them. With every organization's projects made at the same times, seeding an organization
    // took twice as long at the end of a full seed as at the start.
    const specs: OrganizationSpec[] = all.map((spec, i) => ({ ...spec, opened: clock.opened + Math.floor((i * DAY_MS) / 2 / all.length) }));
    const inRounds = (list: OrganizationSpec[]) => Array.from({ length: Math.ceil(list.length / clients.length) }, (_, i) => list.slice(i * clients.length, (i + 1) * clients.length));
    const rounds = [...inRounds(specs.slice(0, -later.length)), ...inRounds(specs.slice(-later.length))];
    const seeded: SeededOrganization[] = [];
    // In rounds of one organization per connection, each round's rows vacuumed before the next: while no seeding
    // transaction runs, so that every page comes out all-visible, and while the pages are still cached. Autovacuum,
    // left to itself, went over pages that a running seed transaction kept from being all-visible again and again:
    // it read 10 GB and wrote 5 GB during a full seed (PostgreSQL 17, the bench's embedded server).
    for (const [i, round] of rounds.entries()) {
      seeded.push(...(await Promise.all(round.map((spec, k) => seedOrganization(clients[k], spec, context)))));
      await vacuum(clients, i === rounds.length - 1);
    }
    return {
      email: BENCH_EMAIL,
      password: BENCH_PASSWORD,
      big: seeded[0].organization,
      small: seeded.at(-3)!.organization,
      quiet: seeded.at(-2)!.organization,
      demo: seeded.at(-1)!.organization,
      others: options.otherOrganizations,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** What the seed writes, largest first (vacuum() deals them out to the connections in turn). */
const SEEDED_TABLES = [
  'billing.usage_events',
  'billing.ledger_entries',
  'billing.usage_totals',
  'billing.ledger_draws',
  'billing.usage_project_totals',
  'billing.usage_meter_totals',
  'billing.usage_hourly',
  'billing.usage_daily',
  'billing.usage_idempotency_keys',
  'billing.credit_grants',
  'billing.billing_accounts',
  'identity.users',
  'organizations.organizations',
  'organizations.organization_slugs',
  'organizations.memberships',
  'organizations.projects',
  'organizations.environments',
  'organizations.configuration_versions',
];

/**
 * VACUUM of the seeded tables, split between the connections: what the seed wrote becomes all-visible (reports read
 * rollups from the index alone) and autovacuum finds nothing left to do; the last one ANALYZEs too, so the bench's
 * first queries are planned on what is there.
 */
async function vacuum(clients: Client[], last: boolean): Promise<void> {
  const shares = clients.map((): string[] => []);
  SEEDED_TABLES.forEach((table, i) => shares[i % clients.length].push(table));
  // TRUNCATE false: no trailing empty pages to give back, and no wait for the lock that would take.
  const options = last ? '(ANALYZE, TRUNCATE false)' : '(TRUNCATE false)';
  await Promise.all(shares.map((tables, i) => (tables.length > 0 ? clients[i].query(`VACUUM ${options} ${tables.join(', ')}`) : undefined)));
}

function checkOptions(options: BenchSeedOptions, meters: readonly Meter[]): void {
  for (const [name, value] of Object.entries(options)) {
    const least = ['events', 'smallEvents', 'demoEvents', 'otherOrganizations'].includes(name) ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < least) throw new Error(`seedBench: ${name} must be a whole number of at least ${least}, not ${value}.`);
  }
  if (options.demoMembers > options.members) throw new Error(`seedBench: demoMembers (${options.demoMembers}) are among the measured organization's ${options.members} members.`);
  if (meters.length === 0) throw new Error('seedBench needs at least one meter.');
}

async function insertOwner(client: Client, passwordHash: string, clock: Clock): Promise<string> {
  const { rows } = await client.query(
    `INSERT INTO identity.users (id, email, name, password_hash, email_verified_at, created_at, updated_at)
     SELECT pg_temp.type_id('usr', $1::bigint, hi, lo), $2, 'Bench Owner', $3, ${time('$1::bigint')}, ${time('$1::bigint')}, ${time('$1::bigint')}
       FROM (SELECT ${RANDOM_HALVES} OFFSET 0) r
     RETURNING id`,
    [clock.opened, BENCH_EMAIL, passwordHash],
  );
  return rows[0].id;
}

/** One organization in one transaction: its members in identity, its projects in organizations, its usage and ledger in billing. */
async function seedOrganization(
  client: Client,
  spec: OrganizationSpec,
  context: { ownerId: string; passwordHash: string; clock: Clock; meters: readonly Meter[] },
): Promise<SeededOrganization> {
  await client.query('BEGIN');
  try {
    // The seed is redone from nothing if the server crashes: no commit needs to wait for its WAL to reach the disk.
    await client.query('SET LOCAL synchronous_commit = off');
    // The rollup triggers group 100,000 events (600,000 rows for the totals alone) in one statement: in memory, not on disk.
    await client.query("SET LOCAL work_mem = '128MB'");
    const members = typeof spec.members === 'number' ? await insertMembers(client, spec, spec.members, context.passwordHash) : spec.members();
    const { organizationId, environments } = await insertOrganization(client, spec, [{ userId: context.ownerId, role: 'OWNER' }, ...members]);
    const events = await insertBilling(client, organizationId, spec, environments, context.meters, context.clock);
    await client.query('COMMIT');
    return { organization: { id: organizationId, slug: spec.slug, projects: spec.projects, events }, members };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Members as users of their own, addresses verified (as the demo's), all with the bench password's hash. */
async function insertMembers(client: Client, spec: OrganizationSpec, count: number, passwordHash: string): Promise<Member[]> {
  const { rows } = await client.query<{ id: string; n: string }>(
    `WITH new AS (
       SELECT n, ms, pg_temp.type_id('usr', ms, hi, lo) AS id
         FROM (SELECT n, $2::bigint + n * 1000 AS ms, ${RANDOM_HALVES} FROM generate_series(1, $1::int) n OFFSET 0) r
     ), inserted AS (
       INSERT INTO identity.users (id, email, name, password_hash, email_verified_at, created_at, updated_at)
       SELECT id, $3 || '-member-' || n || '@bench.example', 'Member ' || n || ' of ' || $4, $5, ${time('ms')}, ${time('ms')}, ${time('ms')} FROM new
     )
     SELECT id, n FROM new ORDER BY n`,
    [count, spec.opened, spec.slug, spec.name, passwordHash],
  );
  return rows.map((row) => ({ userId: row.id, role: MEMBER_ROLES[Number(row.n) % MEMBER_ROLES.length] }));
}

/**
 * The organization as the demo seed writes it (subgraphs/organizations/src/demo.ts): its row and slug claim, the
 * memberships, each project with a SANDBOX and a LIVE environment whose configuration names its mode, and each
 * environment's first configuration version (recordFirstVersions' statement, for every project at once).
 */
async function insertOrganization(client: Client, spec: OrganizationSpec, members: Member[]): Promise<{ organizationId: string; environments: SeededEnvironment[] }> {
  // The triggers of organizations' tables (the deferred check that a project has both environments) name their
  // tables without a schema: they find them through the search path.
  await client.query('SET LOCAL search_path = organizations');
  const {
    rows: [{ id: organizationId }],
  } = await client.query(
    `INSERT INTO organizations.organizations (id, slug, name, created_at, updated_at)
     SELECT pg_temp.type_id('org', $3::bigint, hi, lo), $1, $2, ${time('$3::bigint')}, ${time('$3::bigint')} FROM (SELECT ${RANDOM_HALVES} OFFSET 0) r
     RETURNING id`,
    [spec.slug, spec.name, spec.opened],
  );
  await client.query(`INSERT INTO organizations.organization_slugs (slug, organization_id, claimed_at) VALUES ($1, $2, ${time('$3::bigint')})`, [spec.slug, organizationId, spec.opened]);
  // A second apart, in the order they joined, the owner first.
  await client.query(
    `INSERT INTO organizations.memberships (id, organization_id, user_id, role, created_at, updated_at)
     SELECT pg_temp.type_id('mem', ms, hi, lo), $1, user_id, role, ${time('ms')}, ${time('ms')}
       FROM (SELECT user_id, role, $2::bigint + n * 1000 AS ms, ${RANDOM_HALVES} FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS m(user_id, role, n) OFFSET 0) r`,
    [organizationId, spec.opened, members.map((m) => m.userId), members.map((m) => m.role)],
  );
  // In the order of their numbers, so their IDs (and pages) follow them.
  await client.query(
    `INSERT INTO organizations.projects (id, organization_id, name, created_at, updated_at)
     SELECT pg_temp.type_id('prj', ms, hi, lo), $1, 'Project ' || n, ${time('ms')}, ${time('ms')}
       FROM (SELECT n, $2::bigint + n * 1000 AS ms, ${RANDOM_HALVES} FROM generate_series(1, $3::int) n OFFSET 0) r`,
    [organizationId, spec.opened, spec.projects],
  );
  await client.query(
    `INSERT INTO organizations.environments (id, organization_id, project_id, mode, configuration, created_at, updated_at)
     SELECT pg_temp.type_id('env', ms, hi, lo), $1, project_id, mode,
            jsonb_build_object('webhookUrl', 'https://' || host || '/webhooks', 'allowedOrigins', jsonb_build_array('https://' || host), 'mode', lower(mode)),
            ${time('ms')}, ${time('ms')}
       FROM (SELECT p.id AS project_id, m.mode, lower(replace(p.name, ' ', '-')) || '.' || $2 || '.bench.example' AS host,
                    (extract(epoch FROM p.created_at) * 1000)::bigint + m.k AS ms, ${RANDOM_HALVES}
               FROM organizations.projects p CROSS JOIN (VALUES ('SANDBOX', 1), ('LIVE', 2)) AS m(mode, k)
              WHERE p.organization_id = $1 OFFSET 0) r`,
    [organizationId, spec.slug],
  );
  await client.query(
    `INSERT INTO organizations.configuration_versions (id, environment_id, organization_id, version, configuration, diff, source, created_at)
     SELECT 'cfv_' || substr(id, 5), id, organization_id, 1, configuration, '[]'::jsonb, 'CREATED', created_at FROM organizations.environments WHERE organization_id = $1`,
    [organizationId],
  );
  // Now, while the search path finds organizations' tables, rather than at COMMIT.
  await client.query('SET CONSTRAINTS ALL IMMEDIATE');
  // In project order, SANDBOX before LIVE: the slots the usage below picks from.
  const { rows: environments } = await client.query<SeededEnvironment>(
    'SELECT id, project_id, mode FROM organizations.environments WHERE organization_id = $1 ORDER BY project_id, mode DESC',
    [organizationId],
  );
  return { organizationId, environments };
}

/**
 * Usage and the ledger that paid for it, as MeteringService and LockedAccount write them: events (LIVE ones cost
 * quantity × the meter's price, SANDBOX ones nothing), whose INSERT fills the rollups through billing's statement
 * triggers; one PURCHASED grant (GRANT entry, sequence 1) a quarter larger than the usage; one USAGE entry per
 * charged event in the order they were recorded, each with the balance it left and its draw on the grant; the account
 * with its totals; and the idempotency keys of the last 24 hours (older ones the billing sweep has forgotten).
 * Returns the number of events.
 */
async function insertBilling(client: Client, organizationId: string, spec: OrganizationSpec, environments: SeededEnvironment[], meters: readonly Meter[], clock: Clock): Promise<number> {
  const count = spec.events;
  // Billing's rollup triggers name their tables (usage_daily, usage_hourly, usage_totals…) without a schema.
  await client.query('SET LOCAL search_path = billing');
  // Each event's meter is a slot of this wheel: the first meter most often (requests), each next one less.
  const wheel = meters.flatMap((meter, i) => Array.from({ length: Math.max(1, Math.round(12 / (i + 1))) }, () => meter));
  const projects = environments.length / 2;
  // The events' IDs carry the time the seed writes them, as the demo seed's do (its IDs are newId()'s, its times
  // simulated): with each event's own time, every organization's events would land all over the primary key's 90 days
  // instead of at its end, and one organization's INSERT wrote 36,000 full-page images and 270 MB of WAL instead of
  // 1,500 and 65 MB (an 11 GB database, PostgreSQL 15).
  //
  // Usage comes in batches, as clients send it: a batch is one environment's events of the minute after its start,
  // recorded together up to 30 s after that minute (all with one created_at, as recordUsageBatch writes them), 1 to
  // 8 events, about 3 on average. Batches thicken towards now (density 1 + x over the window, as the demo's trend
  // doubles); the first 2 × projects go one to each environment, so none is empty, and the rest favour the first
  // projects (random()²) and LIVE. Each event has its meter (the wheel) and a quantity, mostly small, up to 100.
  // Batched rather than one by one, 100,000 events fill 180,000 rollup rows instead of 360,000, and the triggers that
  // fill them take 3.0 s instead of 4.0 (of 5.5 and 6.1 s for the whole INSERT, PostgreSQL 17).
  const {
    rows: [usage],
  } = await client.query<{ used: string; charged: number }>(
    `WITH batches AS (
       SELECT start_ms, recorded_ms, slot, size, sum(size) OVER (ORDER BY b ROWS UNBOUNDED PRECEDING) - size AS before
         FROM (SELECT b,
                      $3::bigint + floor($4::bigint * (sqrt(1 + 3 * random()) - 1))::bigint AS start_ms,
                      ${BATCH_MS} + floor(random() * ${MAX_DELIVERY_DELAY_MS})::bigint AS recorded_ms,
                      CASE WHEN b <= $6::int * 2 THEN b ELSE 2 * floor($6::int * random() ^ 2)::int + (random() < ${LIVE_SHARE})::int + 1 END AS slot,
                      1 + floor(random() ^ 2 * ${MAX_BATCH_SIZE})::int AS size
                 FROM generate_series(1, $5::int) b OFFSET 0) r
     ), events AS (
       SELECT b.before + i AS n, b.slot, b.start_ms + floor(random() * ${BATCH_MS})::bigint AS occurred_ms, b.start_ms + b.recorded_ms AS created_ms,
              floor(random() * $7)::int + 1 AS wheel, 1 + floor(random() ^ 3 * 100)::bigint AS quantity, ${RANDOM_HALVES}
         FROM batches b CROSS JOIN LATERAL generate_series(1, b.size) i
        WHERE b.before + i <= $5::int
       OFFSET 0
     ), inserted AS (
       INSERT INTO billing.usage_events (id, organization_id, project_id, environment_id, mode, meter, quantity, amount, idempotency_key, occurred_at, metadata, api_key_id, created_at)
       SELECT pg_temp.type_id('use', $13::bigint, e.hi, e.lo), $1, env.project_id, env.id, env.mode, m.meter, e.quantity,
              CASE env.mode WHEN 'LIVE' THEN e.quantity * m.price ELSE 0 END,
              'bench-' || e.n, ${time('e.occurred_ms')}, NULL, $2, ${time('e.created_ms')}
         FROM events e
         JOIN unnest($8::text[], $9::text[], $10::text[]) WITH ORDINALITY AS env(id, project_id, mode, slot) ON env.slot = e.slot
         JOIN unnest($11::text[], $12::bigint[]) WITH ORDINALITY AS m(meter, price, wheel) ON m.wheel = e.wheel
        ORDER BY e.created_ms, e.n
       RETURNING amount
     )
     SELECT coalesce(sum(amount), 0)::text AS used, (count(*) FILTER (WHERE amount > 0))::int AS charged FROM inserted`,
    [
      organizationId,
      BENCH_KEY_ID,
      clock.firstEvent,
      clock.lastEvent - BATCH_MS - clock.firstEvent,
      count,
      projects,
      wheel.length,
      environments.map((e) => e.id),
      environments.map((e) => e.project_id),
      environments.map((e) => e.mode),
      wheel.map((m) => m.name),
      wheel.map((m) => m.creditsPerUnit),
      Date.now(),
    ],
  );
  const used = Number(usage.used);
  const granted = Math.max(1_000, Math.ceil((used * (1 + GRANT_HEADROOM)) / 1_000) * 1_000);
  // Half a day after the organization opened, before any usage.
  const grantedAt = spec.opened + DAY_MS / 2;
  const {
    rows: [{ id: grantId }],
  } = await client.query(
    `INSERT INTO billing.credit_grants (id, organization_id, amount, remaining, category, priority, expires_at, granted_at, created_at, reference, description, actor_type, actor_id)
     SELECT pg_temp.type_id('grt', $4::bigint, hi, lo), $1, $2::bigint, $2::bigint - $3::bigint, 'PURCHASED', 50, NULL, ${time('$4::bigint')}, ${time('$4::bigint')},
            'BENCH-SEED', 'Purchased credits', 'SYSTEM', NULL
       FROM (SELECT ${RANDOM_HALVES} OFFSET 0) r
     RETURNING id`,
    [organizationId, granted, used, grantedAt],
  );
  // Ledger entry IDs are their source's with the ledger's prefix, as the Ledger migration made them: unique, and in
  // their sources' order.
  await client.query(
    `INSERT INTO billing.ledger_entries (id, organization_id, sequence, kind, amount, balance_after, grant_id, actor_type, actor_id, reference, description, created_at)
     SELECT 'led_' || substr(id, 5), organization_id, 1, 'GRANT', amount, amount, id, 'SYSTEM', NULL, reference, description, granted_at FROM billing.credit_grants WHERE id = $1`,
    [grantId],
  );
  await client.query(
    `WITH entries AS (
       INSERT INTO billing.ledger_entries (id, organization_id, sequence, kind, amount, balance_after, grant_id, usage_event_id, project_id, environment_id,
                                           actor_type, actor_id, reference, description, created_at)
       SELECT 'led_' || substr(id, 5), organization_id, 1 + row_number() OVER w, 'USAGE', -amount, $2::bigint - sum(amount) OVER w, NULL, id, project_id, environment_id,
              'API_KEY', api_key_id, idempotency_key, meter || ' × ' || quantity, created_at
         FROM billing.usage_events WHERE organization_id = $1 AND amount > 0
       WINDOW w AS (ORDER BY created_at, id ROWS UNBOUNDED PRECEDING)
        ORDER BY created_at, id
       RETURNING id, amount
     )
     INSERT INTO billing.ledger_draws (ledger_entry_id, grant_id, amount) SELECT id, $3, -amount FROM entries`,
    [organizationId, granted, grantId],
  );
  const balance = granted - used;
  await client.query(
    `INSERT INTO billing.billing_accounts (organization_id, balance, granted, used, last_sequence, alert_state, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, ${time('$7::bigint')})`,
    [organizationId, balance, granted, used, 1 + usage.charged, balance > 0 ? 'OK' : 'DEPLETED', grantedAt],
  );
  // The request hash is usage-event-rules.ts's fingerprint: SHA-256 of the body sent, keys sorted, in base64url.
  await client.query(
    `INSERT INTO billing.usage_idempotency_keys (environment_id, idempotency_key, usage_event_id, request_hash, created_at)
     SELECT environment_id, idempotency_key, id,
            rtrim(translate(encode(sha256(convert_to(format('{"metadata":null,"meter":"%s","occurredAt":"%s","quantity":%s}',
                                                            meter, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), quantity), 'UTF8')), 'base64'), '+/', '-_'), '='),
            created_at
       FROM billing.usage_events
      WHERE organization_id = $1 AND occurred_at > ${time('$2::bigint')} - interval '${BATCH_MS + MAX_DELIVERY_DELAY_MS} milliseconds' AND created_at > ${time('$2::bigint')}`,
    [organizationId, clock.now - DAY_MS],
  );
  return count;
}

/** What verifyBenchSeed reads: every way billing counts one organization's credits. */
interface Counts {
  balance: string;
  granted: string;
  used: string;
  expired: string;
  adjusted: string;
  last_sequence: string;
  ledger_sum: string;
  last_balance_after: string | null;
  entries: string;
  first_sequence: string | null;
  granted_by_ledger: string;
  adjusted_by_ledger: string;
  expired_by_ledger: string;
  used_by_ledger: string;
  drawn: string;
  grants_remaining: string;
  used_by_daily_rollups: string;
  used_by_hourly_rollups: string;
  used_by_daily_totals: string;
  used_by_hourly_totals: string;
  used_by_project_totals: string;
  used_by_environment_totals: string;
  used_by_daily_project_rollups: string;
  used_by_hourly_meter_rollups: string;
  used_by_events: string;
  used_by_sandbox_events: string;
  charged_events: string;
  usage_entries: string;
}

/**
 * Throws, naming each disagreement, unless the organization's billing reconciles in SQL: the stored balance = the
 * ledger's sum = its last balance_after, and the account's totals = the ledger's by kind, with sequences 1…n; the
 * grants' remaining = max(balance, 0); LIVE usage as the ledger's USAGE entries (one per charged event) = their draws
 * = the daily and hourly rollups = the organization's, projects' and environments' totals = the raw events.
 * (test/harness/billing.ts's expectReconciled checks the same, and the statements, through the API.)
 */
export async function verifyBenchSeed(adminUrl: string, organizationId: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl, application_name: 'bench-seed' });
  await client.connect();
  let counts: Counts | undefined;
  try {
    // One snapshot, so usage recorded meanwhile cannot make the counts disagree.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<Counts>(
      `WITH ledger AS (SELECT kind, amount, sequence, balance_after, id FROM billing.ledger_entries WHERE organization_id = $1),
            keys AS (SELECT DISTINCT project_id, environment_id FROM billing.usage_daily WHERE organization_id = $1)
       SELECT a.balance, a.granted, a.used, a.expired, a.adjusted, a.last_sequence,
              (SELECT coalesce(sum(amount), 0) FROM ledger) AS ledger_sum,
              (SELECT balance_after FROM ledger ORDER BY sequence DESC LIMIT 1) AS last_balance_after,
              (SELECT count(*) FROM ledger) AS entries,
              (SELECT min(sequence) FROM ledger) AS first_sequence,
              (SELECT coalesce(sum(amount) FILTER (WHERE kind = 'GRANT'), 0) FROM ledger) AS granted_by_ledger,
              (SELECT coalesce(sum(amount) FILTER (WHERE kind IN ('ADJUSTMENT', 'REVERSAL')), 0) FROM ledger) AS adjusted_by_ledger,
              (SELECT coalesce(-sum(amount) FILTER (WHERE kind = 'EXPIRY'), 0) FROM ledger) AS expired_by_ledger,
              (SELECT coalesce(-sum(amount) FILTER (WHERE kind = 'USAGE'), 0) FROM ledger) AS used_by_ledger,
              (SELECT count(*) FILTER (WHERE kind = 'USAGE') FROM ledger) AS usage_entries,
              (SELECT coalesce(sum(d.amount), 0) FROM billing.ledger_draws d JOIN ledger l ON l.id = d.ledger_entry_id WHERE l.kind = 'USAGE') AS drawn,
              (SELECT coalesce(sum(remaining), 0) FROM billing.credit_grants WHERE organization_id = $1) AS grants_remaining,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_daily WHERE organization_id = $1) AS used_by_daily_rollups,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_hourly WHERE organization_id = $1) AS used_by_hourly_rollups,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_totals WHERE key = $1 AND NOT hourly) AS used_by_daily_totals,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_totals WHERE key = $1 AND hourly) AS used_by_hourly_totals,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_totals WHERE key IN (SELECT project_id FROM keys) AND NOT hourly) AS used_by_project_totals,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_totals WHERE key IN (SELECT environment_id FROM keys) AND hourly) AS used_by_environment_totals,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_project_totals WHERE organization_id = $1 AND NOT hourly) AS used_by_daily_project_rollups,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_meter_totals WHERE organization_id = $1 AND hourly) AS used_by_hourly_meter_rollups,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_events WHERE organization_id = $1) AS used_by_events,
              (SELECT coalesce(sum(amount), 0) FROM billing.usage_events WHERE organization_id = $1 AND mode = 'SANDBOX') AS used_by_sandbox_events,
              (SELECT count(*) FROM billing.usage_events WHERE organization_id = $1 AND amount > 0) AS charged_events
         FROM billing.billing_accounts a WHERE a.organization_id = $1`,
      [organizationId],
    );
    counts = rows[0];
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
  if (!counts) throw new Error(`verifyBenchSeed: organization ${organizationId} has no billing account.`);
  const problems = reconciliationProblems(counts);
  if (problems.length > 0) throw new Error(`The billing data of organization ${organizationId} does not reconcile: ${problems.join('; ')}.`);
}

/** Each pair that should be equal and is not, as "what = a, but other = b". */
function reconciliationProblems(c: Counts): string[] {
  const n = (value: string | null) => (value === null ? null : Number(value));
  const balance = n(c.balance)!;
  const usedByLedger = n(c.used_by_ledger);
  const expected: [string, number | null, string, number | null][] = [
    ['the stored balance', balance, 'the sum of the ledger', n(c.ledger_sum)],
    ['the stored balance', balance, 'the last entry’s balance_after', n(c.last_balance_after)],
    ['granted + adjusted − used − expired', n(c.granted)! + n(c.adjusted)! - n(c.used)! - n(c.expired)!, 'the stored balance', balance],
    ['the account’s granted', n(c.granted), 'the GRANT entries', n(c.granted_by_ledger)],
    ['the account’s adjusted', n(c.adjusted), 'the ADJUSTMENT and REVERSAL entries', n(c.adjusted_by_ledger)],
    ['the account’s expired', n(c.expired), 'the EXPIRY entries', n(c.expired_by_ledger)],
    ['the account’s used', n(c.used), 'the USAGE entries', usedByLedger],
    ['the account’s last sequence', n(c.last_sequence), 'the number of entries', n(c.entries)],
    ['the first sequence', n(c.first_sequence) ?? 1, 'one', 1],
    ['the grants’ remaining credits', n(c.grants_remaining), 'the positive part of the balance', Math.max(0, balance)],
    ['the USAGE entries', n(c.usage_entries), 'the charged events', n(c.charged_events)],
    ['the usage in the ledger', usedByLedger, 'the draws on grants', n(c.drawn)],
    ['the usage in the ledger', usedByLedger, 'the daily rollups', n(c.used_by_daily_rollups)],
    ['the usage in the ledger', usedByLedger, 'the hourly rollups', n(c.used_by_hourly_rollups)],
    ['the usage in the ledger', usedByLedger, 'the organization’s daily totals', n(c.used_by_daily_totals)],
    ['the usage in the ledger', usedByLedger, 'the organization’s hourly totals', n(c.used_by_hourly_totals)],
    ['the usage in the ledger', usedByLedger, 'the projects’ daily totals', n(c.used_by_project_totals)],
    ['the usage in the ledger', usedByLedger, 'the environments’ hourly totals', n(c.used_by_environment_totals)],
    ['the usage in the ledger', usedByLedger, 'the daily rollups per project', n(c.used_by_daily_project_rollups)],
    ['the usage in the ledger', usedByLedger, 'the hourly rollups per meter and mode', n(c.used_by_hourly_meter_rollups)],
    ['the usage in the ledger', usedByLedger, 'the raw events', n(c.used_by_events)],
    ['the SANDBOX events’ cost', n(c.used_by_sandbox_events), 'zero', 0],
  ];
  return expected.filter(([, a, , b]) => a !== b).map(([what, a, other, b]) => `${what} = ${a}, but ${other} = ${b}`);
}

/** The full seed, as `npm run bench` runs it (`--quick`: 2 other organizations). */
const FULL_SEED: BenchSeedOptions = { projects: 200, members: 100, events: 100_000, days: 90, otherOrganizations: 50, smallProjects: 10, smallEvents: 10_000, demoProjects: 3, demoMembers: 5, demoEvents: 1_000 };

/**
 * `DATABASE_URL=<superuser URL> node scripts/dist/bench-seed.js [--quick]`: times the seed on a throwaway database,
 * which it creates, migrates as the services do at start, seeds, verifies and drops.
 */
async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('Set DATABASE_URL to a superuser URL of a PostgreSQL server (a database is created there and dropped).');
  const options = process.argv.includes('--quick') ? { ...FULL_SEED, otherOrganizations: 2 } : FULL_SEED;
  const database = `bench_seed_check_${process.pid}`;
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    const urls = await provisionSchemaOwners(url.toString(), database, SUBGRAPH_NAMES);
    // As each service does at start; TypeORM runs the migrations on a second connection while the first holds the lock.
    for (const subgraph of [identitySubgraph, organizationsSubgraph, billingSubgraph]) {
      const db = await openDatabase({ ...subgraph.database, url: urls[subgraph.database.schema], poolSize: 2 });
      await db.destroy();
    }
    const data = await seedBench(url.toString(), options, DEMO_METERS);
    const verifying = performance.now();
    for (const organization of [data.big, data.small, data.demo]) await verifyBenchSeed(url.toString(), organization.id);
    const { rows } = await admin.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size($1)) AS size', [database]);
    process.stdout.write(
      `Seeded ${data.others + 4} organizations in ${data.seconds.toFixed(1)} s (${rows[0].size}); verified in ${((performance.now() - verifying) / 1000).toFixed(1)} s.\n`,
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await dropSchemaOwners(adminUrl, database, SUBGRAPH_NAMES);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

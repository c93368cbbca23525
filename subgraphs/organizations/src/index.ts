// Starts the organizations service: config → database → schema → server.
import { z } from 'zod';
import {
  API_KEY_TOKEN,
  badInput,
  BILLING_ALERT,
  ClaimIssuer,
  eventsRoute,
  findUnsafeText,
  identityEndpoints,
  jwksRoute,
  KeyVault,
  mailEnv,
  port,
  readBody,
  runService,
  sendJson,
  signingKeyEnv,
  SigningKeys,
  startOutboxWorker,
  startSubgraph,
  subgraphEnv,
  subgraphService,
  type RunningSubgraph,
  type SubgraphDefinition,
  USER_EMAIL_VERIFIED,
} from '@orgapi/shared';
import { ApiKeyService } from './api-keys/api-key.service';
import { billingAlertPayload } from './billing-alerts/billing-alert.input';
import { BillingAlertService } from './billing-alerts/billing-alert.service';
import { organizationsContext } from './context';
import { InvitationService } from './invitations/invitation.service';
import { remoteUserEmails, remoteUserLookup } from './invitations/user-lookup';
import { MembershipService } from './memberships/membership.service';
import { dnsEnv, dnsResolver } from './domains/dns';
import { memberPermissionsRoute } from './memberships/member-permissions';
import { remoteMemberSearch } from './memberships/member-search';
import { migrations } from './migrations';
import { quotaEnv, quotasOf } from './quotas';
import { buildOrganizationsSchema } from './schema';

// What identity says when a user verifies their address (shared/src/event-outbox.ts).
const userEmailVerified = z.object({ userId: z.string().min(1).max(100), email: z.string().min(3).max(320) });

// This service's entry in the one list of services: its name (also its PostgreSQL schema) and default port.
const service = subgraphService('organizations');

export const organizationsEnv = z.object({
  ...subgraphEnv,
  ...signingKeyEnv,
  ...mailEnv,
  PORT: port(service.port),
  ...quotaEnv,
  ...dnsEnv,
  USER_SEARCH_URL: z.url('USER_SEARCH_URL must be the URL of the identity service user search endpoint').default(identityEndpoints().USER_SEARCH_URL),
  USER_LOOKUP_URL: z.url('USER_LOOKUP_URL must be the URL of the identity service user lookup endpoint').default(identityEndpoints().USER_LOOKUP_URL),
});
export type OrganizationsConfig = z.infer<typeof organizationsEnv>;

export const organizationsSubgraph = {
  name: service.name,
  // Writes are SQL in the services and reads SQL in the loaders, so TypeORM maps no entities here.
  database: { schema: service.name, entities: [], migrations },
  buildSchema: buildOrganizationsSchema,
  async setup(db, config, changes) {
    // The keys that sign what organizations vouches for to the other subgraphs: the caller's permissions, per entity.
    const keys = await SigningKeys.load(db, config.SIGNING_KEY_ROTATION_DAYS, new KeyVault(config.SIGNING_KEY_SECRET, service.name));
    // Sends what invitations queue in this schema's outbox, on every replica.
    const outbox = startOutboxWorker(db, config);
    const quotas = quotasOf(config);
    const userLookup = remoteUserLookup(config.USER_LOOKUP_URL, config.ROUTER_SECRET);
    // Identity's events, relayed from its outbox at least once: a verified address may bring automatic invitations.
    const invitations = new InvitationService(db, new MembershipService(db, quotas), userLookup, { appUrl: config.APP_URL, quotas });
    const userEvents = eventsRoute({
      [USER_EMAIL_VERIFIED]: async (event) => {
        const payload = userEmailVerified.safeParse(event.payload);
        // Malformed is final (400: the relay does not retry it); a failure while inviting is retried (500).
        if (!payload.success) throw badInput('A user.email_verified event carries {"userId", "email"}.');
        await invitations.inviteByDomain(payload.data.userId, payload.data.email);
      },
    });
    // Billing's alerts, relayed from its outbox at least once: an audit event and an email to each billing manager.
    const billingAlerts = new BillingAlertService(db, remoteUserEmails(config.USER_LOOKUP_URL, config.ROUTER_SECRET), { appUrl: config.APP_URL });
    const billingEvents = eventsRoute({
      [BILLING_ALERT]: async (event) => {
        const payload = billingAlertPayload.safeParse(event.payload);
        if (!payload.success) throw badInput('A billing.alert event carries {"alertId", "organizationId", "kind", "balance", "threshold"}.');
        // A deleted organization answers 204 too, doing nothing: retrying would never find it.
        await billingAlerts.record(payload.data);
      },
    });
    // Organizations owns API keys: it answers about them from its own tables, uncached, and tells the other services.
    const apiKeys = new ApiKeyService(db);
    const introspectKey = (secret: string) => apiKeys.introspect(secret);
    return {
      introspectKey,
      perRequest: organizationsContext(
        db,
        quotas,
        new ClaimIssuer(keys, service.name),
        remoteMemberSearch(config.USER_SEARCH_URL, config.ROUTER_SECRET),
        { userLookup, appUrl: config.APP_URL },
        dnsResolver(config.DNS_SERVERS),
        changes,
      ),
      routes: { '/.well-known/jwks.json': jwksRoute(keys) },
      internalRoutes: {
        '/internal/user-events': userEvents,
        '/internal/billing-events': billingEvents,
        // Billing asks what a caller may do in an organization, for root mutations that carry no permissions claim.
        '/internal/member-permissions': memberPermissionsRoute(db),
        // The other services ask whether an API key works (RFC 7662-style, as identity's /internal/introspect).
        '/internal/introspect-key': async (req, res) => {
          let body: { token?: unknown } | null;
          try {
            body = JSON.parse(await readBody(req, 4096)) as typeof body;
          } catch {
            body = null;
          }
          if (typeof body?.token !== 'string' || findUnsafeText(body.token)) throw badInput('Send {"token": "sk_…"}.');
          sendJson(res, 200, API_KEY_TOKEN.test(body.token) ? await introspectKey(body.token) : { active: false, reason: 'invalid' });
        },
      },
      async stop() {
        keys.stop();
        await outbox.stop();
      },
    };
  },
} satisfies SubgraphDefinition<OrganizationsConfig, object>;

export function startOrganizations(config: OrganizationsConfig): Promise<RunningSubgraph> {
  return startSubgraph(organizationsSubgraph, config);
}

if (require.main === module) runService(service.name, organizationsEnv, startOrganizations);
export * from './demo';
// Every way into an organization goes through it, so its quotas hold; tests reach it here.
export { MembershipService } from './memberships/membership.service';
// What the invitations' side asks when a user at a verified domain signs up or verifies their address.
export { organizationsInvitingByDomain } from './domains/domain.service';

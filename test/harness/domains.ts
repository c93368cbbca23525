// A real DNS server the test starts (dns2, on UDP and TCP) answering the TXT records a test publishes, and verified
// domains, verified users and join requests arranged through the API.
import dns2 from 'dns2';
import type { Api } from './api';
import { logIn, PASSWORD, attemptSignUp, type SignedInUser } from './accounts';
import { expectOk } from './expect';
import type { TestGraph } from './graph';
import { freePort } from './ports';
import { unique } from './unique';

const { Packet } = dns2;

/** A nameserver on 127.0.0.1 that answers only for the names a test published. */
export interface DnsServer {
  /** `127.0.0.1:<port>`, as DNS_SERVERS takes it. */
  address: string;
  /** Publishes these TXT records at `name`, replacing any there; an empty list keeps the name with no TXT record. */
  publishTxt(name: string, values: string[]): void;
  /** Removes the name: it answers NXDOMAIN again. */
  unpublish(name: string): void;
  /** Makes the server fail every question about `name` (SERVFAIL), as a broken nameserver does. */
  failFor(name: string): void;
  stop(): Promise<void>;
}

const SERVFAIL = 2;
const NXDOMAIN = 3;

export async function startDnsServer(): Promise<DnsServer> {
  const records = new Map<string, string[]>();
  const failing = new Set<string>();
  const server = dns2.createServer({
    udp: true,
    tcp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const values = question ? records.get(question.name.toLowerCase()) : undefined;
      if (question && failing.has(question.name.toLowerCase())) response.header.rcode = SERVFAIL;
      else if (!values) response.header.rcode = NXDOMAIN;
      else if (question.type === Packet.TYPE.TXT) {
        // dns2's type asks for a class instance; its encoder takes the plain record, as its own examples push.
        for (const data of values) response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data } as unknown as (typeof response.answers)[number]);
      }
      void send(response);
    },
  });
  const port = await freePort();
  await server.listen({ udp: { port, address: '127.0.0.1' }, tcp: { port, address: '127.0.0.1' } });
  return {
    address: `127.0.0.1:${port}`,
    publishTxt: (name, values) => void records.set(name.toLowerCase(), values),
    unpublish: (name) => void records.delete(name.toLowerCase()),
    failFor: (name) => void failing.add(name.toLowerCase()),
    stop: async () => void (await server.close()),
  };
}

export interface ClaimedDomain {
  id: string;
  domain: string;
  status: string;
  verificationRecord: { name: string; value: string };
}

const ADD_DOMAIN = 'mutation($input: AddDomainInput!) { addDomain(input: $input) { id domain status verificationRecord { name value } } }';
const VERIFY_DOMAIN = 'mutation($input: VerifyDomainInput!) { verifyDomain(input: $input) { id domain status verifiedAt } }';

/** Asks, as `user`, to claim a domain; the answer may be a refusal. */
export const attemptAddDomain = (api: Api, user: { token: string }, organizationId: string, domain: string) =>
  api.request<{ addDomain: ClaimedDomain }>(ADD_DOMAIN, { input: { organizationId, domain } }, user.token);

/** Asks, as `user`, to verify a domain now; the answer may be a refusal. */
export const attemptVerifyDomain = (api: Api, user: { token: string }, domainId: string) =>
  api.request<{ verifyDomain: { id: string; domain: string; status: string; verifiedAt: string | null } }>(VERIFY_DOMAIN, { input: { domainId } }, user.token);

/** A domain `user` claimed for the organization, pending. */
export async function addDomain(api: Api, user: { token: string }, organizationId: string, domain = `${unique('corp')}.test`): Promise<ClaimedDomain> {
  return expectOk(await attemptAddDomain(api, user, organizationId, domain)).addDomain;
}

/** A domain `user` claimed for the organization and proved through `dns`: VERIFIED. */
export async function verifiedDomain(api: Api, dns: DnsServer, user: { token: string }, organizationId: string, domain = `${unique('corp')}.test`): Promise<ClaimedDomain> {
  const claimed = await addDomain(api, user, organizationId, domain);
  dns.publishTxt(claimed.verificationRecord.name, [claimed.verificationRecord.value]);
  expectOk(await attemptVerifyDomain(api, user, claimed.id));
  return { ...claimed, status: 'VERIFIED' };
}

/** Sets how people at the organization's verified domains join it. */
export async function setEnrollmentMode(api: Api, owner: { token: string }, organizationId: string, enrollmentMode: 'MANUAL' | 'AUTOMATIC_INVITATION' | 'AUTOMATIC_SUGGESTION'): Promise<void> {
  expectOk(await api.request('mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id } }', { input: { organizationId, settings: { enrollmentMode } } }, owner.token));
}

/** A new account with an address at `domain`, signed in, its address not verified. */
export async function signUpAt(api: Api, domain: string, name = 'Domain User'): Promise<SignedInUser> {
  const input = { email: `${unique('user')}@${domain}`, password: PASSWORD, name };
  const { signUp } = expectOk(await attemptSignUp(api, input));
  return { id: signUp.user.id, email: signUp.user.email, password: PASSWORD, token: signUp.accessToken, refreshToken: signUp.refreshToken };
}

/**
 * Marks the user's address verified in identity's schema, as following the emailed link does (email.test.ts tests
 * the link), and signs in anew: the new session's credential carries the verified address.
 */
export async function markEmailVerified(graph: TestGraph, user: SignedInUser): Promise<SignedInUser> {
  await graph.subgraphs.identity.db.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [user.id]);
  return logIn(graph, user);
}

/** A new account with a verified address at `domain`, signed in. */
export async function verifiedUserAt(graph: TestGraph, domain: string, name = 'Domain User'): Promise<SignedInUser> {
  return markEmailVerified(graph, await signUpAt(graph, domain, name));
}

/** Asks, as `user`, to join the organization; the answer may be a refusal. */
export const attemptRequestToJoin = (api: Api, user: { token: string }, organizationId: string) =>
  api.request<{ requestToJoin: { id: string; status: string; email: string } }>('mutation($input: RequestToJoinInput!) { requestToJoin(input: $input) { id status email } }', { input: { organizationId } }, user.token);

/** The ID of `user`'s pending request to join the organization. */
export async function requestToJoin(api: Api, user: { token: string }, organizationId: string): Promise<string> {
  return expectOk(await attemptRequestToJoin(api, user, organizationId)).requestToJoin.id;
}

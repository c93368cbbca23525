// The test harness: start the graph, arrange data through the API, and say what a refusal must look like.
// A helper named for an action (`signUp`, `createProject`) arranges it and fails the test if it is refused;
// `attempt…` sends the same request and hands back the answer, for tests about refusals.
export { apiAt, postGraphQL, type Api, type GraphQLResponse } from './api';
export { asRouter, countStatements, forgetKeptReads, identityReplicaEnv, startGatewayReplica, startGraph, startIdentityReplica, startReplica, subgraphUrls, type GraphOptions, type TestGraph } from './graph';
export {
  attemptLogIn,
  attemptSignUp,
  currentSessionId,
  logIn,
  logOut,
  PASSWORD,
  refresh,
  revokeSession,
  SESSIONS,
  sessionsOf,
  signUp,
  signUpAs,
  type AuthPayload,
  type ListedSession,
  type SignedInUser,
} from './accounts';
export {
  addMember,
  attemptCreateOrganization,
  attemptCreateProject,
  createOrganization,
  createProject,
  grantCredits,
  membershipIdOf,
  recordUsage,
  type CreatedOrganization,
  type CreatedProject,
} from './organizations';
export { assignRole, attemptAssignRole, attemptCreateRole, createRole } from './roles';
export {
  addDomain,
  attemptAddDomain,
  attemptRequestToJoin,
  attemptVerifyDomain,
  markEmailVerified,
  requestToJoin,
  setEnrollmentMode,
  signUpAt,
  startDnsServer,
  verifiedDomain,
  verifiedUserAt,
  type ClaimedDomain,
  type DnsServer,
} from './domains';
export { attemptCreateToken, createToken, listTokens, revokeToken, type ListedToken } from './tokens';
export { askGateway, organization, untilRefused, viewer } from './credentials';
export { codes, eventually, expectError, expectNoInternals, expectOk, INTERNALS } from './expect';
export { withConnection } from './database';
export { freePort } from './ports';
export { startMailbox, tokenIn, type DeliveredEmail, type Mailbox } from './mailbox';
export { committedApiSchema } from './schema';
export { OVERVIEW, type Overview } from './queries';
export { unique } from './unique';
export { createKey, expectReconciled, GRANT, grantThroughApi, reconcile, RECORD, RECORD_BATCH, signUpPlatformOperator, type GrantTerms, type Reconciliation } from './billing';

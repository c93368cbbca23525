// The public surface of @orgapi/shared, by name: what a service may import from here, and nothing else.
import 'reflect-metadata';

// Who is asking, and what they may do.
export {
  API_KEY_TOKEN,
  CredentialVerifier,
  hashSecret,
  PERSONAL_ACCESS_TOKEN_PREFIX,
  remoteIntrospection,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type ApiKeyCaller,
  type Caller,
  type CredentialStatus,
  type Introspect,
  type Principal,
} from './auth';
export { clientOf, requireSession, requireViewer, type BaseRequestContext, type RequestReads } from './context';
export { callerPartPayload, ClaimIssuer, ClaimVerifier, type ClaimedEntity } from './permission-claims';
export { utf8 } from './utf8';
export { useSharedShapeRequestContext } from './gateway-request-context';
export { inMatrixOrder, isPermission, PERMISSIONS, permissionsOf, roleHas, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from './permissions';
export { ROUTER_SECRET_HEADER } from './router-secret';

// Errors and input.
export { AppError, badInput, conflict, ErrorCode, forbidden, formatError, notFound, unauthenticated } from './errors';

// What an operation costs, and the limits on it.
export { CostModel, DEFAULT_MAX_QUERY_COST, tooComplex, type CostRequest } from './cost';
export { costLimit, type CostLimitOptions } from './cost-limit';
export { displayName, emailAddress, isUniqueViolation, parseInput, text } from './validation';
export { findUnsafeText } from './input-text';
export { containsPattern } from './like-pattern';
export { RevocationListener, REVOCATION_CHANNEL } from './revocation-listener';
export { operationChecks } from './operation-checks';
export { stringifyInChunks } from './chunked-results';

// The API's building blocks.
export { enumOf } from './enums';
export { ENVIRONMENT_MODE_DESCRIPTIONS, ENVIRONMENT_MODE_ENUM_DESCRIPTION, ENVIRONMENT_MODES, type EnvironmentMode } from './environment-modes';
export { buildFederatedSchema, type FederatedSchema } from './federation';
export { Cost, ConnectionSize, ListSize } from './cost-directives';
export { isId, newId } from './ids';
// PageInfo too: the declaration of every ConnectionType names it.
export { ConnectionArgs, ConnectionType, pageRequest, toConnection, type Connection, type PageInfo, type PageRequest } from './pagination';
export { DateScalar, DateTime, JSONObject, JSONScalar, SafeInt } from './scalars';

// Reading rows.
export { childCountLoader, childPageLoader, columnLoader, groupLoader, loaderFamily, rowLoader, type Queryable } from './loaders';
export { lazyLoaders, type LoadersOf } from './lazy-loaders';

// Running a service.
export {
  GATEWAY_PORT,
  subgraphService,
  identityEndpoints,
  localGraphQLUrl,
  organizationsEndpoints,
  SUBGRAPH_NAMES,
  SUBGRAPHS,
  type SubgraphName,
  type SubgraphService,
} from './services';
export { claimVerifierEnv, host, keyIntrospectionUrl, mailEnv, maxQueryCost, port, signingKeyEnv, subgraphEnv, verifierEnv, type MailConfig } from './config';
export { openDatabase, type DatabaseOptions } from './database';
export { KeyVault } from './key-vault';
export { ensureSigningKey, SIGNING_ALGORITHM } from './signing-key-rotation';
export { jwksRoute, SIGNING_DELAY_MS, SigningKeys, type ActiveKey } from './signing-keys';
export { dropSchemaOwners, provisionListenerRole, provisionSchemaOwners } from './provision';
export { runService, startSubgraph, type RunningSubgraph, type SubgraphDefinition } from './service';
export { serve, type Route, type RunningServer } from './server';
export { readBody } from './request-body';
export { requestIdOf } from './request-id';
export { sendJson } from './responses';
export { logger } from './logger';
export { derivedOnce, preparedReads, PreparedReads, type ReadCacheSwitch } from './prepared-reads';
export { dataChangeChannel, dataChangeTrigger, notifyDataChanges, stopNotifyingDataChanges, UNWATCHED_TABLES } from './data-change-triggers';
export { countStatementsPerRequest, sqlStatementsFor } from './sql-statements';

// Sending email: templates rendered to text and HTML, queued in the changing transaction, delivered by a worker.
export { appLink, describeDuration, renderEmail, type Email, type EmailAction, type EmailContent } from './email';
export { createOutboxTable, queueEmail } from './outbox';
export { OutboxWorker, startOutboxWorker, type OutboxWorkerOptions } from './outbox-worker';
export { Relay, retryDelaySeconds, type RelayOptions } from './relay';
export { eventsRoute, type EventHandlers } from './event-route';
export {
  BILLING_ALERT,
  createEventOutboxTable,
  EventRelay,
  eventChannel,
  postEvent,
  publishEvent,
  USER_EMAIL_VERIFIED,
  type BillingAlert,
  type PublishedEvent,
  type UserEmailVerified,
} from './event-outbox';
export { logTransport, mailTransport, smtpTransport, type MailTransport, type OutgoingEmail } from './mail-transport';
export { startEmbeddedPostgres } from './embedded-postgres';
export { MAX_BATCH_OPERATIONS } from './graphql-request';

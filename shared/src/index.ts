// The public surface of @orgapi/shared, by name: what a service may import from here, and nothing else.
import 'reflect-metadata';

// Who is asking, and what they may do.
export {
  CredentialVerifier,
  hashSecret,
  PERSONAL_ACCESS_TOKEN_PREFIX,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type CredentialStatus,
  type Introspect,
  type Principal,
} from './auth';
export { clientOf, requireSession, requireViewer, type BaseRequestContext } from './context';
export { ClaimIssuer, ClaimVerifier, type ClaimedEntity } from './permission-claims';
export { PERMISSIONS, permissionsOf, roleHas, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from './permissions';
export { ROUTER_SECRET_HEADER } from './router-secret';

// Errors and input.
export { AppError, badInput, conflict, ErrorCode, forbidden, formatError, notFound } from './errors';
export { displayName, isUniqueViolation, parseInput, text } from './validation';

// The API's building blocks.
export { ENVIRONMENT_MODES, type EnvironmentMode } from './environment-modes';
export { buildFederatedSchema, type FederatedSchema } from './federation';
export { isId, newId } from './ids';
// PageInfo too: the declaration of every ConnectionType names it.
export { ConnectionArgs, ConnectionType, pageRequest, toConnection, type Connection, type PageInfo, type PageRequest } from './pagination';
export { DateScalar, DateTime, JSONObject, SafeInt } from './scalars';

// Reading rows.
export { childCountLoader, childPageLoader, columnLoader, groupLoader, loaderFamily, rowLoader, type Queryable } from './loaders';

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
export { claimVerifierEnv, port, signingKeyEnv, subgraphEnv, verifierEnv } from './config';
export { openDatabase, type DatabaseOptions } from './database';
export { KeyVault } from './key-vault';
export { ensureSigningKey, SIGNING_ALGORITHM } from './signing-key-rotation';
export { jwksRoute, SIGNING_DELAY_MS, SigningKeys, type ActiveKey } from './signing-keys';
export { dropSchemaOwners, provisionSchemaOwners } from './provision';
export { runService, startSubgraph, type RunningSubgraph, type SubgraphDefinition } from './service';
export { serve, type Route, type RunningServer } from './server';
export { readBody } from './request-body';
export { requestIdOf } from './request-id';
export { sendJson } from './responses';
export { logger } from './logger';
export { sqlStatementsFor } from './sql-statements';
export { startEmbeddedPostgres } from './embedded-postgres';

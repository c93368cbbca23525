// Refuses, before anything runs, a request no service can run: unacceptable text, no operation to pick, an absent root type.
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { AppError, ErrorCode } from './errors';
import { findUnsafeText, readDocumentText, type DocumentText, type TextPath, type UnsafeText } from './input-text';

type Request = GraphQLRequestContextDidResolveOperation<BaseContext>;
/** How many of a document's operation names a refusal lists: enough to spot a typo, not a wall of text. */
const MAX_NAMES_SHOWN = 10;

// Apollo Server keeps parsed documents in its cache, so each one is read once, not on every request.
const documentTexts = new WeakMap<DocumentNode, DocumentText>();

/**
 * The Apollo Server plugin every service runs (gateway and subgraphs): the refusals are 400s with a code and a
 * message for a person, where Apollo would otherwise fail deeper down with a 500 or reach the database.
 */
export function operationChecks<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          refuseUnsafeText(request);
          refuseUnresolvedOperation(request);
        },
      };
    },
  };
}

/** NUL characters and lone surrogates anywhere a client can put text: BAD_USER_INPUT, naming where. */
function refuseUnsafeText({ request, document }: Request): void {
  let text = documentTexts.get(document);
  if (!text) documentTexts.set(document, (text = readDocumentText(document)));
  if (text.unsafeLiteral) throw unsafe(`The argument ${text.unsafeLiteral.path.join('.')}`, text.unsafeLiteral, fieldOf(text.unsafeLiteral.path));

  const inVariables = findUnsafeText(request.variables ?? {});
  if (inVariables) {
    const [variable, ...inside] = inVariables.path;
    if (variable === undefined) throw unsafe('The variables', inVariables, 'variables');
    const argument = text.variableArguments.get(String(variable));
    const where = `$${inVariables.path.join('.')}`;
    throw unsafe(`Variable ${where}`, inVariables, argument ? fieldOf([...argument, ...inside]) : where);
  }
  if (request.operationName !== undefined && request.operationName !== null) {
    const inName = findUnsafeText(request.operationName);
    if (inName) throw unsafe('The operationName', inName, 'operationName');
  }
  const inExtensions = findUnsafeText(request.extensions ?? {}, ['extensions']);
  if (inExtensions) throw unsafe(`The request's ${inExtensions.path.join('.')}`, inExtensions, inExtensions.path.join('.'));
}

// Fields are named as the API's own input checks name them: the argument, or the path inside a mutation's `input`.
const fieldOf = (path: TextPath) => (path[0] === 'input' && path.length > 1 ? path.slice(1) : path).join('.');

const unsafe = (where: string, { problem }: UnsafeText, field: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, `${where} contains ${problem}: text sent to this API must be Unicode, without NUL characters.`, { field, http: { status: 400 } });

/**
 * Several operations without an operationName, a name the document does not hold, or a subscription (this API has
 * none): graphql-js validation lets these through, and the gateway would fail on them while planning.
 */
function refuseUnresolvedOperation({ request, document, operation, schema }: Request): void {
  if (!operation) {
    const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? '(unnamed)'] : []));
    const listed = names.length > MAX_NAMES_SHOWN ? [...names.slice(0, MAX_NAMES_SHOWN), '…'] : names;
    const holds = `${names.length === 1 ? 'one operation' : `${names.length} operations`} (${listed.join(', ')})`;
    const message = request.operationName
      ? `The document holds no operation named "${request.operationName.slice(0, 100)}"; it holds ${holds}.`
      : `The document holds ${holds}: say which one to run with operationName.`;
    throw new GraphQLError(message, { extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });
  }
  if (!schema.getRootType(operation.operation)) {
    throw new GraphQLError(`This API has no ${operation.operation} operations: send a query or a mutation.`, {
      nodes: operation,
      extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
    });
  }
}

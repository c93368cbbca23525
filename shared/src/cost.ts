// What an operation costs, from the @cost and @listSize directives its schema declares: the one cost model of the graph.
//
// The model is IBM's GraphQL cost specification, which federation 2.9 adopted as `@cost` and `@listSize` and which
// Apollo Router's and Hive Gateway's demand control read, so any router enforces the same numbers as ours:
// - an object costs 1 (or its type's or field's @cost weight), a scalar or enum 0 (unless weighted);
// - a list multiplies what each item costs by its size: the value of its slicing argument (`first`), else its
//   `assumedSize`, else DEFAULT_LIST_SIZE; a connection's `first` sizes its `edges` and `nodes` (`sizedFields`);
// - nesting multiplies: `projects(first: 50) { nodes { organization { projects(first: 50) … } } }` costs 50 × 50 × …;
// - `_entities` at a subgraph costs, per representation, its type's selection: what a router sends is counted as the
//   list it is.
//
// The walk is graphql-query-complexity's (maintained, handles fragments, @skip/@include, variables and abstract types,
// and bounds fragment expansion); this module adds the estimator that reads the directives. The library sums a
// field's children into one number, so the estimator also records each field's cost, to multiply only a connection's
// sized fields (not its `pageInfo` or `totalCount`) and to price `_entities` per representation type.
//
// Measured on this graph (cost.test.ts, against schema/supergraph.graphql): the README's overview query (100 members,
// 100 projects with their environments and credit usage, the organization's usage by day) costs 1,914; issue 8's
// finding 2, three levels of 50 projects, costs 132,652, and 50 × 50 projects with a year of usage by day 1,027,652;
// GraphiQL's introspection query about 13,600. DEFAULT_MAX_QUERY_COST sits between: thirteen overviews, a fifth of
// three levels of 50. Three levels of 20, the default page size, cost 9,263; 100 members with their 100 memberships
// each, 20,302. A report's `byDay` is priced as the longest period, 400 days, whatever `from` and `to` say.
// Pricing the overview takes 73–77 µs (NODE_ENV=production, 2,000 documents parsed anew); a price is then kept per
// document by the variables it reads (cost-key.ts), and the same request again costs 1.4–2.5 µs, its variables still
// checked against their types.
import {
  buildSchema,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type ConstArgumentNode,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  ValidationContext,
} from 'graphql';
import { createComplexityRule, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { costKey } from './cost-key';
import { AppError, ErrorCode } from './errors';

/** The per-operation budget every service applies unless MAX_QUERY_COST says otherwise. */
export const DEFAULT_MAX_QUERY_COST = 25_000;
/** The size of a list whose field declares none: our schema declares every list of objects, introspection does not. */
export const DEFAULT_LIST_SIZE = 10;
// Fields evaluated once fragments are expanded: fragments that spread each other can multiply a 5,000-token
// document into millions of fields, so the walk stops here and the operation is refused as too complex.
const MAX_EVALUATED_FIELDS = 10_000;
/** Prices kept per document (cost-key.ts: by the variables a price reads); past this many the document's are dropped. */
const PRICES_PER_DOCUMENT = 64;

/** An operation to price: its document, variables and the operation to run when the document holds several. */
export interface CostRequest {
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

interface ListSize {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
}

/** The cost directives of one schema, read once; `costOf` prices operations against it. */
export class CostModel {
  private readonly weights = new Map<object, number>();
  private readonly listSizes = new Map<object, ListSize>();
  /** Lists a parent's @listSize(sizedFields) sizes: they count their items once, the parent multiplies. */
  private readonly sizedByParent = new Set<object>();
  /** The field arguments a price reads: every slicing argument, and `_entities`' representations. */
  private readonly costArguments = new Set<string>(['representations']);
  private readonly prices = new WeakMap<DocumentNode, Map<string, number>>();

  constructor(readonly schema: GraphQLSchema) {
    for (const type of Object.values(schema.getTypeMap())) {
      const typeWeight = weightOf(type.astNode?.directives);
      if (typeWeight !== undefined) this.weights.set(type, typeWeight);
      if (!('getFields' in type) || !isCompositeType(type)) continue;
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const weight = weightOf(field.astNode?.directives);
        if (weight !== undefined) this.weights.set(field, weight);
        const listSize = listSizeOf(field.astNode?.directives);
        if (!listSize) continue;
        this.listSizes.set(field, listSize);
        for (const name of listSize.slicingArguments) this.costArguments.add(name);
        const returned = getNamedType(field.type);
        if (!('getFields' in returned)) continue;
        const fields = returned.getFields();
        for (const name of listSize.sizedFields) if (fields[name]) this.sizedByParent.add(fields[name]);
      }
    }
    for (const [typeName, fieldName, assumedSize] of introspectionListSizes(schema)) {
      const field = (schema.getType(typeName) as GraphQLObjectType | undefined)?.getFields()[fieldName];
      if (field) this.listSizes.set(field, { assumedSize, slicingArguments: [], sizedFields: [] });
    }
  }

  /** Lists of objects that declare no size, so are priced at DEFAULT_LIST_SIZE: `Type.field` coordinates. */
  unsizedLists(): string[] {
    return Object.values(this.schema.getTypeMap())
      .filter((type) => (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__'))
      .flatMap((type) => Object.values((type as GraphQLObjectType).getFields()).map((field) => ({ type, field })))
      .filter(({ field }) => isListType(getNullableType(field.type)) && isCompositeType(getNamedType(field.type)))
      .filter(({ field }) => !this.listSizes.has(field) && !this.sizedByParent.has(field) && field.name !== '_entities')
      .map(({ type, field }) => `${type.name}.${field.name}`);
  }

  /** The model of a supergraph: federation's API schema drops the cost directives, the supergraph keeps them. */
  static fromSupergraph(supergraphSdl: string): CostModel {
    return new CostModel(buildSchema(supergraphSdl, { assumeValidSDL: true }));
  }

  /**
   * The cost of the request's operation. Invalid variables are the caller's mistake (BAD_USER_INPUT); an operation
   * whose fragments expand beyond what is worth pricing costs Infinity.
   */
  costOf(request: CostRequest): number {
    const operation = getOperationAST(request.document, request.operationName);
    if (!operation) throw callerMistake('The document has no operation of that name; pass `operationName` when it holds several.');
    const key = costKey(request.document, this.costArguments, request.operationName, request.variables);
    let prices = this.prices.get(request.document);
    const known = key === undefined ? undefined : prices?.get(key);
    if (known !== undefined) {
      // The same price, and the same refusal of variables that do not fit their types as the walk would give.
      const { errors } = getVariableValues(this.schema, operation.variableDefinitions ?? [], request.variables ?? {});
      if (errors?.length) throw callerMistake(errors[0].message);
      return known;
    }
    const cost = this.walk(request, operation);
    if (key !== undefined) {
      if (!prices || prices.size >= PRICES_PER_DOCUMENT) this.prices.set(request.document, (prices = new Map()));
      prices.set(key, cost);
    }
    return cost;
  }

  private walk(request: CostRequest, operation: OperationDefinitionNode): number {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of request.document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const costs = new Map<FieldNode, number>();
    const estimate = (args: ComplexityEstimatorArgs): number => {
      const cost = this.fieldCost(args, costs, fragments);
      costs.set(args.node, cost);
      return cost;
    };
    const errors: GraphQLError[] = [];
    const context = new ValidationContext(this.schema, request.document, new TypeInfo(this.schema), (error) => errors.push(error));
    const walk = createComplexityRule({ maximumComplexity: Infinity, variables: request.variables ?? {}, estimators: [estimate], maxQueryNodes: MAX_EVALUATED_FIELDS })(context);
    try {
      // The walk starts at the operation: getComplexity would first visit the whole document with type information
      // for nothing, which tripled the time.
      walk.onOperationDefinitionEnter(operation);
    } catch (error) {
      if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return Infinity;
      throw error;
    }
    // Variables that do not fit their types: the operation would fail on them anyway.
    if (errors.length) throw callerMistake(errors[0].message);
    return walk.complexity;
  }

  private fieldCost({ field, node, args, childComplexity }: ComplexityEstimatorArgs, costs: Map<FieldNode, number>, fragments: Map<string, FragmentDefinitionNode>): number {
    const type = getNamedType(field.type);
    const weight = this.weights.get(field) ?? this.weights.get(type) ?? (isCompositeType(type) ? 1 : 0);
    if (field.name === '_entities' && Array.isArray(args.representations)) {
      return this.entitiesCost(args.representations, node.selectionSet, costs, fragments);
    }
    const listSize = this.listSizes.get(field);
    if (listSize?.sizedFields.length) {
      // A connection: its page size multiplies the sized fields (edges, nodes), not pageInfo or totalCount.
      const sized = fieldsOf(node.selectionSet, fragments, (child) => listSize.sizedFields.includes(child.name.value)).reduce((sum, child) => sum + (costs.get(child) ?? 0), 0);
      return weight + sizeOf(listSize, args) * sized + (childComplexity - sized);
    }
    if (!isListType(getNullableType(field.type)) || this.sizedByParent.has(field)) return weight + childComplexity;
    return (listSize ? sizeOf(listSize, args) : DEFAULT_LIST_SIZE) * (weight + childComplexity);
  }

  /** `_entities(representations)`: each representation costs its type's weight plus what is selected on that type. */
  private entitiesCost(representations: unknown[], selectionSet: SelectionSetNode | undefined, costs: Map<FieldNode, number>, fragments: Map<string, FragmentDefinitionNode>): number {
    const counts = new Map<string, number>();
    for (const representation of representations) {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      const key = typeof typename === 'string' ? typename : '';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let total = 0;
    for (const [typename, count] of counts) {
      const type = this.schema.getType(typename);
      const selected = fieldsOf(selectionSet, fragments, () => true, type ?? undefined, this.schema).reduce((sum, child) => sum + (costs.get(child) ?? 0), 0);
      total += count * ((type && this.weights.get(type)) ?? 1) + count * selected;
    }
    return total;
  }
}

/**
 * Introspection's lists, priced at their average size in this schema: the standard introspection query (GraphiQL's,
 * a registry's) then costs about the objects it returns (a flat 10 a list would price it at 16,000), while
 * `fields { type { fields …` still multiplies at each level.
 */
function introspectionListSizes(schema: GraphQLSchema): [string, string, number][] {
  const types = Object.values(schema.getTypeMap());
  const fields = types.flatMap((type) => (isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : []));
  const directives = schema.getDirectives();
  const average = (total: number, count: number) => Math.max(1, Math.ceil(total / Math.max(1, count)));
  const perType = (count: (type: GraphQLNamedType) => number) => average(types.reduce((sum, type) => sum + count(type), 0), types.length);
  return [
    ['__Schema', 'types', types.length],
    ['__Schema', 'directives', directives.length],
    ['__Type', 'fields', perType((type) => (isObjectType(type) || isInterfaceType(type) ? Object.keys(type.getFields()).length : 0))],
    ['__Type', 'inputFields', perType((type) => (isInputObjectType(type) ? Object.keys(type.getFields()).length : 0))],
    ['__Type', 'enumValues', perType((type) => (isEnumType(type) ? type.getValues().length : 0))],
    ['__Type', 'interfaces', perType((type) => (isObjectType(type) || isInterfaceType(type) ? type.getInterfaces().length : 0))],
    ['__Type', 'possibleTypes', perType((type) => (isAbstractType(type) ? schema.getPossibleTypes(type).length : 0))],
    ['__Field', 'args', average(fields.reduce((sum, field) => sum + field.args.length, 0), fields.length)],
    ['__Directive', 'args', average(directives.reduce((sum, directive) => sum + directive.args.length, 0), directives.length)],
  ];
}

/** The size of a list: its slicing argument's value (the largest, if several are given), else its assumed size. */
function sizeOf(listSize: ListSize, args: Record<string, unknown>): number {
  const sliced = listSize.slicingArguments.map((name) => args[name]).filter((value): value is number => typeof value === 'number');
  const size = sliced.length ? Math.max(...sliced) : (listSize.assumedSize ?? DEFAULT_LIST_SIZE);
  return Math.max(0, size);
}

/**
 * The field selections directly inside a selection set, through inline fragments and fragment spreads; with `type`,
 * only those that apply to objects of that type (the `... on Project` of an `_entities` call).
 */
function fieldsOf(
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  keep: (field: FieldNode) => boolean,
  type?: GraphQLNamedType,
  schema?: GraphQLSchema,
  seen = new Set<string>(),
): FieldNode[] {
  const applies = (condition: string | undefined): boolean => {
    if (!condition || !type || !schema || condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return isAbstractType(conditionType) && isObjectType(type) && schema.isSubType(conditionType, type);
  };
  const found: FieldNode[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (keep(selection)) found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition?.name.value)) found.push(...fieldsOf(selection.selectionSet, fragments, keep, type, schema, seen));
    } else if (!seen.has(selection.name.value)) {
      const fragment = fragments.get(selection.name.value);
      seen.add(selection.name.value);
      if (fragment && applies(fragment.typeCondition.name.value)) found.push(...fieldsOf(fragment.selectionSet, fragments, keep, type, schema, seen));
    }
  }
  return found;
}

const argument = (directive: ConstDirectiveNode, name: string): ConstArgumentNode['value'] | undefined =>
  directive.arguments?.find((arg) => arg.name.value === name)?.value;

function weightOf(directives: readonly ConstDirectiveNode[] | undefined): number | undefined {
  const cost = directives?.find((directive) => directive.name.value === 'cost');
  const weight = cost && argument(cost, 'weight');
  return weight?.kind === Kind.INT ? Number(weight.value) : undefined;
}

function listSizeOf(directives: readonly ConstDirectiveNode[] | undefined): ListSize | undefined {
  const directive = directives?.find((candidate) => candidate.name.value === 'listSize');
  if (!directive) return undefined;
  const strings = (name: string) => {
    const value = argument(directive, name);
    return value?.kind === Kind.LIST ? value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : [])) : [];
  };
  const assumed = argument(directive, 'assumedSize');
  return {
    assumedSize: assumed?.kind === Kind.INT ? Number(assumed.value) : undefined,
    slicingArguments: strings('slicingArguments'),
    sizedFields: strings('sizedFields'),
  };
}

// Thrown before execution, where Apollo Server answers HTTP 500 unless the error says otherwise.
const callerMistake = (message: string) => new AppError(ErrorCode.BAD_USER_INPUT, message, { http: { status: 400 } });

/** QUERY_TOO_COMPLEX: the operation's cost and the budget it exceeds, for a person to act on. */
export function tooComplex(cost: number, limit: number): AppError {
  const message = Number.isFinite(cost)
    ? `This operation costs ${cost.toLocaleString('en-US')}, over the limit of ${limit.toLocaleString('en-US')} per operation. ` +
      'Ask for fewer items (a smaller `first`), fewer nested lists, or split it into several requests.'
    : `This operation expands to more than ${MAX_EVALUATED_FIELDS.toLocaleString('en-US')} fields once its fragments are spread, ` +
      `over the limit of ${limit.toLocaleString('en-US')} per operation. Split it into several requests.`;
  return new AppError(ErrorCode.QUERY_TOO_COMPLEX, message, { cost: Number.isFinite(cost) ? cost : null, limit, http: { status: 400 } });
}

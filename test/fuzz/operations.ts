// Random operations that are valid against a schema, as fast-check arbitraries: root fields, arguments of the right
// types inline or as variables, aliases, nested selections to a bounded depth, inline and named fragments, directives.
import fc from 'fast-check';
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  OperationTypeNode,
  parseType,
  print,
  type ArgumentNode,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { InputValues } from './input-values';

/** A GraphQL request as a client posts it. */
export interface GeneratedOperation {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  /** Whether the chosen operation is a query (GET may carry it) or a mutation. */
  kind: 'query' | 'mutation';
}

// What fast-check generates, and shrinks: a tree of choices, printed into a document only at the end.
interface ArgumentChoice {
  name: string;
  type: GraphQLInputType;
  value: unknown;
  asVariable: boolean;
}
interface DirectiveChoice {
  name: 'include' | 'skip';
  value: boolean;
  asVariable: boolean;
}
interface FieldChoice {
  kind: 'field';
  name: string;
  alias?: string;
  args: ArgumentChoice[];
  directive?: DirectiveChoice;
  selections?: Choice[];
}
interface FragmentChoice {
  kind: 'fragment';
  on: string;
  named: boolean;
  selections: Choice[];
}
type Choice = FieldChoice | FragmentChoice;
interface OperationChoice {
  kind: 'query' | 'mutation';
  selections: Choice[];
}

export interface OperationOptions {
  /** How deep selections nest below the root field. */
  maxDepth: number;
}

/** `arbitrary`'s value one time in `n`, else undefined (which is what failures shrink to). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, n: number) =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const ALIASES = ['a', 'b', 'x1', 'id', 'node', 'nodes', 'data', 'errors', '__typename'];
const TYPENAME: FieldChoice = { kind: 'field', name: '__typename', args: [] };

/** Builds operation arbitraries for one schema; selection arbitraries are memoised per type and depth. */
export class Operations {
  private readonly memo = new Map<string, fc.Arbitrary<Choice[]>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly values: InputValues,
    private readonly options: OperationOptions,
  ) {}

  /** One document of one or two operations, with the variables and operationName that run one of them. */
  operation(): fc.Arbitrary<GeneratedOperation> {
    const one = this.operationChoice();
    return fc
      .record({ operations: fc.array(one, { minLength: 1, maxLength: 2 }), chosen: fc.nat(), named: fc.boolean() })
      .map(({ operations, chosen, named }) => printDocument(operations, chosen % operations.length, named || operations.length > 1));
  }

  private operationChoice(): fc.Arbitrary<OperationChoice> {
    const roots: fc.WeightedArbitrary<OperationChoice>[] = [];
    const query = this.schema.getQueryType();
    const mutation = this.schema.getMutationType();
    // Mostly queries: mutations hash passwords and write rows, and cost far more time per request.
    if (query) roots.push({ weight: 3, arbitrary: this.selections(query, 0, 2).map((selections) => ({ kind: 'query' as const, selections })) });
    if (mutation) roots.push({ weight: 1, arbitrary: this.selections(mutation, 0, 2).map((selections) => ({ kind: 'mutation' as const, selections })) });
    return fc.oneof(...roots);
  }

  /** Between one and `max` selections on `type`, at `depth` below the root. */
  private selections(type: GraphQLCompositeType, depth: number, max = 3): fc.Arbitrary<Choice[]> {
    const key = `${type.name}@${depth}/${max}`;
    let arbitrary = this.memo.get(key);
    if (!arbitrary) {
      arbitrary = fc.array(this.selection(type, depth), { minLength: 1, maxLength: max });
      this.memo.set(key, arbitrary);
    }
    return arbitrary;
  }

  private selection(type: GraphQLCompositeType, depth: number): fc.Arbitrary<Choice> {
    // Leaves come first: fast-check shrinks a oneof towards its first arbitraries, so a failure shrinks to few levels.
    const choices: fc.Arbitrary<Choice>[] = [fc.constant(TYPENAME)];
    if (isObjectType(type) || isInterfaceType(type)) {
      const fields = Object.values(type.getFields()).filter((field) => !isCompositeType(getNamedType(field.type)) || depth < this.options.maxDepth);
      fields.sort((a, b) => Number(isCompositeType(getNamedType(a.type))) - Number(isCompositeType(getNamedType(b.type))));
      choices.push(...fields.map((field) => this.field(field, depth)));
    }
    if (depth < this.options.maxDepth) {
      const conditions = isAbstractType(type) ? this.schema.getPossibleTypes(type) : [type];
      choices.push(...conditions.map((on) => this.fragment(on, depth)));
    }
    return fc.oneof(...choices);
  }

  private fragment(on: GraphQLCompositeType, depth: number): fc.Arbitrary<Choice> {
    // A fragment counts as a level, so that fragments within fragments stay bounded too.
    return fc
      .record({ named: fc.boolean(), selections: fc.constant(null).chain(() => this.selections(on, depth + 1)) })
      .map(({ named, selections }) => ({ kind: 'fragment' as const, on: on.name, named, selections }));
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<Choice> {
    const named = getNamedType(field.type);
    const args = field.args.map((arg) => {
      const value = fc.record({ value: this.values.of(arg.type), asVariable: fc.boolean() }).map((v) => ({ name: arg.name, type: arg.type, ...v }));
      // Optional arguments are sometimes left out.
      return isNonNullType(arg.type) ? value : sometimes(value, 2);
    });
    const directive = sometimes(fc.record({ name: fc.constantFrom('include' as const, 'skip' as const), value: fc.boolean(), asVariable: fc.boolean() }), 8);
    return fc
      .record({
        alias: sometimes(fc.constantFrom(...ALIASES), 4),
        args: fc.tuple(...args),
        directive,
        // Lazy: the sub-selection's arbitrary is built on first use, so memoised types can refer to each other.
        selections: isCompositeType(named) ? fc.constant(null).chain(() => this.selections(named, depth + 1)) : fc.constant(undefined),
      })
      .map(({ alias, args: chosen, directive: dir, selections }) => ({
        kind: 'field' as const,
        name: field.name,
        alias,
        args: chosen.filter((arg): arg is ArgumentChoice => arg !== undefined),
        directive: dir,
        selections,
      }));
  }
}

// ── Printing the choices as a document ───────────────────────────────────────────────────────────

/** A JS value as a GraphQL literal of `type`: enums bare, objects and lists as literals. */
function literal(value: unknown, type: GraphQLInputType): ValueNode {
  const named = getNamedType(type);
  if (value === null || value === undefined) return { kind: Kind.NULL };
  if (Array.isArray(value)) return { kind: Kind.LIST, values: value.map((item) => literal(item, named)) };
  if (typeof value === 'object') {
    const fields = 'getFields' in named ? (named.getFields() as Record<string, { type: GraphQLInputType }>) : {};
    return {
      kind: Kind.OBJECT,
      fields: Object.entries(value).map(([name, item]) => ({
        kind: Kind.OBJECT_FIELD,
        name: { kind: Kind.NAME, value: name },
        value: literal(item, fields[name]?.type ?? named),
      })),
    };
  }
  if (typeof value === 'boolean') return { kind: Kind.BOOLEAN, value };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: Kind.INT, value: String(value) } : { kind: Kind.FLOAT, value: String(value) };
  if ('getValues' in named) return { kind: Kind.ENUM, value: String(value) };
  return { kind: Kind.STRING, value: String(value) };
}

/** Collects what one operation needs besides its selections: variable definitions and values, named fragments. */
class Printer {
  readonly variableDefinitions: VariableDefinitionNode[] = [];
  readonly variables: Record<string, unknown> = {};
  readonly fragments: FragmentDefinitionNode[] = [];

  constructor(private readonly prefix: string) {}

  private value(base: string, type: GraphQLInputType | string, value: unknown, asVariable: boolean): ValueNode {
    if (!asVariable) return literal(value, type as GraphQLInputType);
    const name = `${base.replace(/[^_0-9A-Za-z]/g, '')}_${this.variableDefinitions.length + 1}`;
    this.variableDefinitions.push({
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
      type: parseType(String(type)),
    });
    this.variables[name] = value;
    return { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } };
  }

  /**
   * Prints selections, giving a field a fresh alias where its response name is taken in the same scope (fragments
   * included), so that no two fields have to merge: the document stays valid whatever fast-check chose.
   */
  selections(choices: Choice[], taken = new Set<string>()): SelectionNode[] {
    return choices.map((choice) => (choice.kind === 'field' ? this.field(choice, taken) : this.fragment(choice, taken)));
  }

  private field(choice: FieldChoice, taken: Set<string>): SelectionNode {
    let responseName = choice.alias ?? choice.name;
    for (let n = 2; taken.has(responseName); n++) responseName = `${choice.name}_${n}`;
    taken.add(responseName);
    const args: ArgumentNode[] = choice.args.map((arg) => ({
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: arg.name },
      value: this.value(arg.name, arg.type, arg.value, arg.asVariable),
    }));
    const directives: DirectiveNode[] = choice.directive
      ? [
          {
            kind: Kind.DIRECTIVE,
            name: { kind: Kind.NAME, value: choice.directive.name },
            arguments: [
              {
                kind: Kind.ARGUMENT,
                name: { kind: Kind.NAME, value: 'if' },
                value: this.value(choice.directive.name, 'Boolean!', choice.directive.value, choice.directive.asVariable),
              },
            ],
          },
        ]
      : [];
    return {
      kind: Kind.FIELD,
      alias: responseName === choice.name ? undefined : { kind: Kind.NAME, value: responseName },
      name: { kind: Kind.NAME, value: choice.name },
      arguments: args,
      directives,
      selectionSet: choice.selections ? { kind: Kind.SELECTION_SET, selections: this.selections(choice.selections) } : undefined,
    };
  }

  private fragment(choice: FragmentChoice, taken: Set<string>): SelectionNode {
    const typeCondition = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: choice.on } } as const;
    const selectionSet = { kind: Kind.SELECTION_SET, selections: this.selections(choice.selections, taken) } as const;
    if (!choice.named) return { kind: Kind.INLINE_FRAGMENT, typeCondition, selectionSet };
    const name = `${this.prefix}F${this.fragments.length + 1}`;
    this.fragments.push({ kind: Kind.FRAGMENT_DEFINITION, name: { kind: Kind.NAME, value: name }, typeCondition, selectionSet });
    return { kind: Kind.FRAGMENT_SPREAD, name: { kind: Kind.NAME, value: name } };
  }
}

function printDocument(operations: OperationChoice[], chosen: number, named: boolean): GeneratedOperation {
  const definitions: (OperationDefinitionNode | FragmentDefinitionNode)[] = [];
  let variables: Record<string, unknown> = {};
  operations.forEach((operation, i) => {
    const printer = new Printer(`Op${i + 1}`);
    const selections = printer.selections(operation.selections);
    definitions.push({
      kind: Kind.OPERATION_DEFINITION,
      operation: operation.kind === 'query' ? OperationTypeNode.QUERY : OperationTypeNode.MUTATION,
      name: named ? { kind: Kind.NAME, value: `Op${i + 1}` } : undefined,
      variableDefinitions: printer.variableDefinitions,
      directives: [],
      selectionSet: { kind: Kind.SELECTION_SET, selections },
    });
    definitions.push(...printer.fragments);
    if (i === chosen) variables = printer.variables;
  });
  return {
    query: print({ kind: Kind.DOCUMENT, definitions }),
    variables,
    operationName: named ? `Op${chosen + 1}` : undefined,
    kind: operations[chosen].kind,
  };
}

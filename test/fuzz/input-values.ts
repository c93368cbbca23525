// Random values of a GraphQL input type that the type accepts: boundaries, the fixture's real IDs and names, and noise.
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** What the fuzz knows from the data it arranged, so that generated operations reach real rows and not only misses. */
export interface KnownValues {
  /** IDs that exist: the caller's organization, project, environments and user, and another user's. */
  ids: string[];
  /** Strings that mean something here: slugs, names, emails, permission names. */
  strings: string[];
}

const INT_32 = 2 ** 31;
/** Page sizes and counts at and around the limits the API documents (default 20, at most 100). */
const INT_BOUNDARIES = [0, 1, -1, 2, 19, 20, 21, 99, 100, 101, 1000, INT_32 - 1, -INT_32];
/** Lengths at and around the limits of names (100), emails (254) and passwords (256). */
const STRING_BOUNDARIES = ['', ' ', 'a', 'a'.repeat(100), 'a'.repeat(101), 'a'.repeat(254), 'a'.repeat(256), 'a'.repeat(257), 'x'.repeat(5000)];
/** Strings that have broken other services: quoting, patterns, prototype keys, direction overrides, zero widths. */
const ODD_STRINGS = [
  '🙂',
  'Ünïcödé',
  'e\u0301',
  '\u202eevil',
  'zero\u200bwidth',
  "'; DROP TABLE organizations; --",
  '%',
  '_',
  '\\',
  '"',
  '<script>alert(1)</script>',
  '${jndi:x}',
  'null',
  '__proto__',
  'constructor',
  '\t\n\r',
  '\u0000',
  'acme\u0000',
  'a\ud800b',
  '\udfff',
];
/** Every prefix an ID of this API has, and none. */
const ID_PREFIXES = ['usr_', 'org_', 'prj_', 'env_', 'mem_', 'ses_', 'tok_', 'grt_', ''];
const TYPEID_SUFFIX = fc.stringMatching(/^[0-7][0-9a-hjkmnp-tv-z]{25}$/);
const DATE_TIMES = ['2026-01-01T00:00:00Z', '2026-12-31T23:59:59.999Z', '2025-06-15T12:00:00+02:00', '1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'];

/** Values for each input type of one schema, memoised so that recursive arbitraries are built once. */
export class InputValues {
  private readonly memo = new Map<string, fc.Arbitrary<unknown>>();
  readonly strings: fc.Arbitrary<string>;
  readonly ids: fc.Arbitrary<string>;

  constructor(
    private readonly schema: GraphQLSchema,
    known: KnownValues,
  ) {
    this.strings = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...known.strings) },
      { weight: 2, arbitrary: fc.constantFrom(...STRING_BOUNDARIES, ...ODD_STRINGS) },
      { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
      // Any code point but lone surrogates: control characters and NUL included, which GraphQL accepts in a String.
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
      { weight: 1, arbitrary: fc.emailAddress() },
    );
    const mangled = fc.tuple(fc.constantFrom(...known.ids), fc.nat()).map(([id, at]) => {
      const i = at % id.length;
      return `${id.slice(0, i)}${id[i] === 'z' ? 'y' : 'z'}${id.slice(i + 1)}`;
    });
    this.ids = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...known.ids) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...ID_PREFIXES), TYPEID_SUFFIX).map(([prefix, suffix]) => prefix + suffix) },
      { weight: 1, arbitrary: mangled },
      { weight: 1, arbitrary: fc.constantFrom(...known.ids).map((id) => id.toUpperCase()) },
      { weight: 1, arbitrary: this.strings },
    );
  }

  /** Any value `type` accepts, `null` included where it is nullable. */
  of(type: GraphQLInputType): fc.Arbitrary<unknown> {
    const key = String(type);
    let arbitrary = this.memo.get(key);
    if (!arbitrary) {
      arbitrary = this.build(type);
      this.memo.set(key, arbitrary);
    }
    return arbitrary;
  }

  private build(type: GraphQLInputType): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return this.nonNull(type.ofType);
    return fc.oneof({ weight: 8, arbitrary: this.nonNull(type) }, { weight: 1, arbitrary: fc.constant(null) });
  }

  private nonNull(type: GraphQLInputType): fc.Arbitrary<unknown> {
    if (isListType(type)) return fc.array(this.of(type.ofType), { maxLength: 3 });
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name));
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      // A lazy field, so an input type that contains itself does not recurse while being built.
      const shape = Object.fromEntries(fields.map((field) => [field.name, fc.constant(null).chain(() => this.of(field.type))]));
      const required = fields.filter((field) => isNonNullType(field.type) && field.defaultValue === undefined).map((field) => field.name);
      return fc.record(shape, { requiredKeys: required });
    }
    return this.scalar(getNamedType(type).name);
  }

  private scalar(name: string): fc.Arbitrary<unknown> {
    switch (name) {
      case 'String':
        return this.strings;
      case 'ID':
        return this.ids;
      case 'Int':
        return fc.oneof(fc.constantFrom(...INT_BOUNDARIES), fc.integer({ min: -INT_32, max: INT_32 - 1 }));
      case 'SafeInt':
        return fc.oneof(fc.constantFrom(0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER), fc.maxSafeInteger());
      case 'Float':
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return fc.oneof(
          fc.constantFrom(...DATE_TIMES),
          fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
        );
      case 'Date':
        return fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      case 'JSONObject':
        return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      case '_Any':
        return this.representation();
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  /**
   * An entity representation as a router sends it to `_entities`: a type this subgraph resolves, an ID, and the
   * other fields of that type that a router may carry (`@external` ones such as permissions or claims), from the
   * schema itself so that the fuzz follows the schema as it changes.
   */
  private representation(): fc.Arbitrary<unknown> {
    const entity = this.schema.getType('_Entity');
    const types: GraphQLObjectType[] = isUnionType(entity) ? [...entity.getTypes()] : [];
    const shapes = types.map((type) => {
      const carried = Object.values(type.getFields()).filter((field) => field.name !== 'id' && field.args.length === 0 && !isObjectType(getNamedType(field.type)));
      const shape: Record<string, fc.Arbitrary<unknown>> = { __typename: fc.constant(type.name), id: this.ids };
      for (const field of carried) shape[field.name] = this.carried(field.type);
      return fc.record(shape, { requiredKeys: ['__typename'] });
    });
    const stranger = fc.record({ __typename: this.strings, id: this.ids }, { requiredKeys: [] });
    return shapes.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.oneof(...shapes) }, { weight: 1, arbitrary: stranger }) : stranger;
  }

  /** A value of an output field's type, as a representation carries it. */
  private carried(type: GraphQLOutputType): fc.Arbitrary<unknown> {
    const named = getNamedType(type);
    const item = isEnumType(named) ? fc.constantFrom(...named.getValues().map((value) => value.name)) : this.scalar(named.name);
    const unwrapped = isNonNullType(type) ? type.ofType : type;
    return isListType(unwrapped) ? fc.array(item, { maxLength: 4 }) : item;
  }
}

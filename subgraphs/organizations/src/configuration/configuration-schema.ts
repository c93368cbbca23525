// A project's JSON Schema for its environments' configuration: checked that it is a schema, compiled once per
// distinct schema, and applied with ajv (draft 2020-12's vocabulary as ajv's default draft-07 engine reads it).
//
// The schema comes from a customer, so nothing in it may cost the service more than the configuration it checks:
// - `pattern` and `patternProperties` run on RE2 (re2js, linear time), not on V8's backtracking engine, so a schema
//   like {"pattern": "(a+)+$"} cannot pin a core (measured: V8 takes over a minute on 30 characters, RE2 microseconds);
// - `$ref` resolves only inside the schema: ajv never fetches (no loadSchema);
// - the schema is at most 64 KiB, as a configuration is;
// - compiled validators are kept for the 100 most recent schemas, a bound on memory whatever clients send.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import addFormats from 'ajv-formats';
import { RE2JS } from 're2js';
import { MAX_CONFIGURATION_BYTES } from './configuration-limits';

export const MAX_COMPILED_SCHEMAS = 100;

const re2: RegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern);
    return { test: (input: string) => compiled.matcher(input).find() };
  },
  { code: 're2' },
);

function newAjv(): Ajv {
  // strict: a misspelt keyword ("minimun") is an error the author sees now, not a rule that silently never applies.
  const ajv = new Ajv({ strict: true, allErrors: false, code: { regExp: re2 }, loadSchema: undefined, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

const ajv = newAjv();
const compiled = new Map<string, ValidateFunction>();

/** Why `schema` is not a usable JSON Schema, or null when it is. */
export function schemaProblem(schema: unknown): string | null {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return 'A configuration schema is a JSON object (a JSON Schema).';
  if (Buffer.byteLength(JSON.stringify(schema), 'utf8') > MAX_CONFIGURATION_BYTES) return `A configuration schema is at most ${MAX_CONFIGURATION_BYTES / 1024} KiB as JSON.`;
  try {
    validatorOf(schema as Record<string, unknown>);
    return null;
  } catch (error) {
    return `This is not a JSON Schema ajv can use: ${(error as Error).message}`;
  }
}

/** Where `configuration` breaks `schema` (`configuration.retries`) and how, or null when it conforms. */
export function schemaViolation(schema: Record<string, unknown>, configuration: unknown, field = 'configuration'): { path: string; message: string } | null {
  const validate = validatorOf(schema);
  if (validate(configuration)) return null;
  const [error] = validate.errors as ErrorObject[];
  const path = field + error.instancePath.split('/').slice(1).map((segment) => `.${segment.replace(/~1/g, '/').replace(/~0/g, '~')}`).join('');
  const where = error.instancePath ? `At ${path}` : 'The configuration';
  return { path, message: `${where} does not follow the project's configuration schema: it ${error.message ?? 'is not allowed'}.` };
}

function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (validate) {
    // Most recently used last, so the first key is the one to drop.
    compiled.delete(key);
  } else {
    // No $id: two projects with one schema share a validator, and ajv keeps no registry that grows.
    const { $id: _ignored, ...anonymous } = schema;
    validate = ajv.compile(anonymous);
    ajv.removeSchema(anonymous);
  }
  compiled.set(key, validate);
  if (compiled.size > MAX_COMPILED_SCHEMAS) compiled.delete(compiled.keys().next().value!);
  return validate;
}

// A project's configuration schema: a real JSON Schema, applied with its errors named by path, never a way to make the
// service spin.
import { schemaProblem, schemaViolation } from './configuration-schema';

const SCHEMA = {
  type: 'object',
  properties: { retries: { type: 'integer', minimum: 0, maximum: 10 }, endpoint: { type: 'string', format: 'uri' }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['retries'],
  additionalProperties: false,
};

describe('schemaProblem', () => {
  it('accepts a JSON Schema', () => {
    expect(schemaProblem(SCHEMA)).toBeNull();
  });

  it('refuses what is not one, saying why', () => {
    expect(schemaProblem([])).toMatch(/is a JSON object/);
    expect(schemaProblem({ type: 'integer', minimun: 3 })).toMatch(/strict mode: unknown keyword: "minimun"/);
    expect(schemaProblem({ type: 'nothing' })).toMatch(/not a JSON Schema/);
    expect(schemaProblem({ $ref: 'https://example.com/remote.json' })).toMatch(/can't resolve reference/);
  });
});

describe('schemaViolation', () => {
  it('is null for a conforming configuration', () => {
    expect(schemaViolation(SCHEMA, { retries: 3, endpoint: 'https://api.example.com', tags: ['a'] })).toBeNull();
  });

  it('names the path that breaks the schema', () => {
    expect(schemaViolation(SCHEMA, { retries: 11 })).toEqual({
      path: 'configuration.retries',
      message: "At configuration.retries does not follow the project's configuration schema: it must be <= 10.",
    });
    expect(schemaViolation(SCHEMA, { retries: 1, tags: ['a', 2] })?.path).toBe('configuration.tags.1');
    expect(schemaViolation(SCHEMA, { retries: 1, endpoint: 'not a uri' })?.message).toMatch(/must match format "uri"/);
    expect(schemaViolation(SCHEMA, {})?.message).toMatch(/^The configuration does not follow .*must have required property 'retries'/);
  });

  it('runs patterns in linear time: a catastrophic regular expression answers at once', () => {
    const evil = { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } };
    const started = process.hrtime.bigint();
    expect(schemaViolation(evil, { name: `${'a'.repeat(5_000)}!` })?.path).toBe('configuration.name');
    // V8's own engine would take longer than the universe has left; RE2 takes milliseconds.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2_000);
  });
});

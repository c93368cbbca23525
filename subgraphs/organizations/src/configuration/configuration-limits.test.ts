// The rules every configuration keeps, each breach named by its path.
import { configurationProblem, MAX_CONFIGURATION_BYTES, MAX_CONFIGURATION_DEPTH, MAX_CONFIGURATION_KEY_LENGTH } from './configuration-limits';

const nested = (levels: number): unknown => (levels === 0 ? 1 : { next: nested(levels - 1) });

describe('configurationProblem', () => {
  it('accepts an ordinary configuration', () => {
    expect(configurationProblem({ features: { beta: true }, hosts: ['a.example', 'b.example'], retries: 3, label: null })).toBeNull();
  });

  it('wants a JSON object at the top', () => {
    for (const value of [null, [], 'text', 3]) expect(configurationProblem(value)).toEqual({ path: 'configuration', message: 'A configuration is a JSON object.' });
  });

  it(`allows ${MAX_CONFIGURATION_DEPTH} levels and names where the next one starts`, () => {
    expect(configurationProblem(nested(MAX_CONFIGURATION_DEPTH))).toBeNull();
    const problem = configurationProblem(nested(MAX_CONFIGURATION_DEPTH + 1));
    expect(problem?.path).toBe(`configuration${'.next'.repeat(MAX_CONFIGURATION_DEPTH)}`);
    expect(problem?.message).toMatch(/at most 10 levels/);
  });

  it('counts arrays as levels and names items by index', () => {
    expect(configurationProblem({ list: [[[[[[[[[[1]]]]]]]]]] })?.path).toBe('configuration.list.0.0.0.0.0.0.0.0.0');
  });

  it(`allows keys of ${MAX_CONFIGURATION_KEY_LENGTH} characters, not more`, () => {
    expect(configurationProblem({ ['k'.repeat(MAX_CONFIGURATION_KEY_LENGTH)]: 1 })).toBeNull();
    const problem = configurationProblem({ outer: { ['k'.repeat(MAX_CONFIGURATION_KEY_LENGTH + 1)]: 1 } });
    expect(problem?.path).toBe(`configuration.outer.${'k'.repeat(32)}…`);
    expect(problem?.message).toMatch(/at most 128 characters; this one has 129/);
  });

  it('measures size as UTF-8 JSON', () => {
    const justUnder = { text: 'x'.repeat(MAX_CONFIGURATION_BYTES - '{"text":""}'.length) };
    expect(configurationProblem(justUnder)).toBeNull();
    expect(configurationProblem({ text: 'é'.repeat(MAX_CONFIGURATION_BYTES / 2) })?.message).toMatch(/at most 64 KiB as JSON; this one is 64.0 KiB/);
  });
});

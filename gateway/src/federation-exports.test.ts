// federation-internals' exports as plain properties: the same values as the package's own getters give, for every
// export, in the module cache where @apollo/gateway finds them.
/* eslint-disable @typescript-eslint/no-require-imports */

it('copies every export of federation-internals, each the very value its getter gives, as a plain property', () => {
  const original = require('@apollo/federation-internals') as Record<string, unknown>;
  const names = Object.getOwnPropertyNames(original);
  expect(Object.getOwnPropertyDescriptor(original, 'isNonNullType')).toHaveProperty('get');

  const { usingPlainFederationExports } = require('./federation-exports') as typeof import('./federation-exports');
  const plain = require('@apollo/federation-internals') as Record<string, unknown>;
  expect(usingPlainFederationExports()).toBe(true);
  expect(plain).not.toBe(original);
  expect(names.length).toBeGreaterThan(300);
  for (const name of names) {
    expect({ name, value: plain[name] }).toEqual({ name, value: original[name] });
    expect(plain[name]).toBe(original[name]);
    expect(Object.getOwnPropertyDescriptor(plain, name)).toHaveProperty('writable', true);
  }
});

it("is what @apollo/gateway's answer shaping calls, once the gateway's module has loaded", () => {
  jest.isolateModules(() => {
    require('./gateway');
    const federation = require('@apollo/federation-internals') as Record<string, unknown> & typeof import('@apollo/federation-internals');
    expect((require('./federation-exports') as typeof import('./federation-exports')).usingPlainFederationExports()).toBe(true);
    const { computeResponse } = require('@apollo/gateway/dist/resultShaping') as {
      computeResponse: (options: { operation: unknown; variables: Record<string, unknown>; input: unknown; introspectionHandling: () => unknown }) => { data: unknown };
    };
    const schema = federation.buildSchema('type Query { a: A! } type A { b: Int! }');
    const operation = federation.operationFromDocument(schema, require('graphql').parse('{ a { b } }'), { validate: false });
    // Counted through the copy: with the package's getters, @apollo/gateway would call the original, uncounted.
    const original = federation.isNonNullType;
    let calls = 0;
    federation.isNonNullType = ((type: unknown) => {
      calls++;
      return original(type as never);
    }) as typeof original;
    try {
      expect(computeResponse({ operation, variables: {}, input: { a: { b: 1 } }, introspectionHandling: () => null }).data).toEqual({ a: { b: 1 } });
    } finally {
      federation.isNonNullType = original;
    }
    expect(calls).toBeGreaterThan(0);
  });
});

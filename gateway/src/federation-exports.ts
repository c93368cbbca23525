// federation-internals' exports as plain properties, for @apollo/gateway's hot paths.
//
// The package's index re-exports each of its modules' exports through a getter (TypeScript's __exportStar), and
// @apollo/gateway calls through it at every use: `federation_internals_1.isNonNullType(type)` runs a getter, then the
// function. Shaping the overview's answer (resultShaping's updateOutputValue) makes such calls for every value, and
// the getters were 2.5% of the gateway's samples (node --cpu-prof, the demo-sized overview at 10 connections).
//
// Imported before @apollo/gateway, this puts a plain copy of the index's exports in Node's module cache, so that the
// modules loaded after it (@apollo/gateway, @apollo/query-planner) read values, not getters. The values are the same
// functions, classes and constants: federation-internals assigns each export once, when its module loads, and the
// modules loaded before (@apollo/subgraph, with the services' shared code) keep the original object.
const id = require.resolve('@apollo/federation-internals');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const original = require(id) as Record<string, unknown>;

export const PLAIN = Symbol.for('orgapi.plainFederationExports');

if (!(PLAIN in original)) {
  const plain: Record<string | symbol, unknown> = { [PLAIN]: true };
  for (const name of Object.getOwnPropertyNames(original)) plain[name] = original[name];
  require.cache[id]!.exports = plain;
}

/** Whether the exports @apollo/gateway reads are the plain copy. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const usingPlainFederationExports = (): boolean => PLAIN in (require(id) as object);

// Text a request may carry: no NUL characters (PostgreSQL can't store them) and no lone surrogates (not Unicode).
import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';

/** Where in a request a piece of text sits: object keys and list indices, from the top of the value. */
export type TextPath = (string | number)[];

export interface UnsafeText {
  path: TextPath;
  /** What is wrong, for a person: "a NUL character (U+0000)". */
  problem: string;
}

// `isWellFormed` (ES2024, in Node 20) is not in the ES2023 lib the workspaces compile against.
type WellFormedCheck = string & { isWellFormed(): boolean };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What makes `value` unacceptable as text, for a person ("a NUL character (U+0000)"); undefined when it is fine. */
export function textProblem(value: string): string | undefined {
  if (value.includes('\0')) return 'a NUL character (U+0000)';
  if ((value as WellFormedCheck).isWellFormed()) return undefined;
  const surrogate = LONE_SURROGATE.exec(value)![0].charCodeAt(0);
  return `an unpaired surrogate (U+${surrogate.toString(16).toUpperCase()})`;
}

/** A path kept as a chain of steps back to the root, so that going one level deeper costs the same at any depth. */
interface Step {
  key: string | number;
  parent: Step | undefined;
}

function pathOf(base: TextPath, step: Step | undefined): TextPath {
  const keys: (string | number)[] = [];
  for (let at = step; at; at = at.parent) keys.push(at.key);
  return [...base, ...keys.reverse()];
}

/**
 * The first string or object key in a parsed JSON value that is not acceptable text, with its path. The walk keeps
 * its own stack, and builds a path only for the text it refuses, so a body nested a million levels deep neither
 * overflows the call stack nor costs more than one visit per value (copying the path at each level made 100,000
 * levels take minutes).
 */
export function findUnsafeText(value: unknown, path: TextPath = []): UnsafeText | undefined {
  const pending: { value: unknown; step: Step | undefined }[] = [{ value, step: undefined }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value === 'string') {
      const problem = textProblem(next.value);
      if (problem) return { path: pathOf(path, next.step), problem };
    } else if (Array.isArray(next.value)) {
      for (let i = next.value.length - 1; i >= 0; i--) pending.push({ value: next.value[i], step: { key: i, parent: next.step } });
    } else if (next.value !== null && typeof next.value === 'object') {
      const entries = Object.entries(next.value);
      for (const [key] of entries) {
        const problem = textProblem(key);
        // The path stops at the object: a message naming the key would echo the bad text back.
        if (problem) return { path: pathOf(path, next.step), problem: `a key with ${problem}` };
      }
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ value: entries[i][1], step: { key: entries[i][0], parent: next.step } });
    }
  }
  return undefined;
}

/** What a document says about its arguments: the first unacceptable string literal, and where each variable is passed. */
export interface DocumentText {
  unsafeLiteral?: UnsafeText;
  /** Each variable's first use, as the path of the argument it fills: `$input` → ["input"], `$n` in `f(input: {name: $n})` → ["input", "name"]. */
  variableArguments: Map<string, TextPath>;
}

/**
 * Reads every argument value and variable default in `document` (string literals can spell a NUL as `\u0000`; the
 * parser has already refused raw NULs and lone surrogates).
 */
export function readDocumentText(document: DocumentNode): DocumentText {
  const result: DocumentText = { variableArguments: new Map() };
  const read = (root: ValueNode, rootPath: TextPath) => {
    const pending: { node: ValueNode; path: TextPath }[] = [{ node: root, path: rootPath }];
    while (pending.length > 0 && !result.unsafeLiteral) {
      const { node, path } = pending.pop()!;
      if (node.kind === Kind.STRING) {
        const problem = textProblem(node.value);
        if (problem) result.unsafeLiteral = { path, problem };
      } else if (node.kind === Kind.VARIABLE) {
        if (!result.variableArguments.has(node.name.value)) result.variableArguments.set(node.name.value, path);
      } else if (node.kind === Kind.LIST) {
        node.values.forEach((item, i) => pending.push({ node: item, path: [...path, i] }));
      } else if (node.kind === Kind.OBJECT) {
        for (const field of node.fields) pending.push({ node: field.value, path: [...path, field.name.value] });
      }
    }
  };
  visit(document, {
    Argument: (node) => {
      read(node.value, [node.name.value]);
      return false;
    },
    VariableDefinition: (node) => {
      if (node.defaultValue) read(node.defaultValue, [`$${node.variable.name.value}`]);
      return false;
    },
  });
  return result;
}

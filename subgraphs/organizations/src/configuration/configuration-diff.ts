// What changes between two configurations, as a JSON Patch (RFC 6902) a person can read and a program can apply,
// each change carrying the value it replaces or removes.
import { compare, getValueByPointer } from 'fast-json-patch';

export interface ConfigurationChange {
  op: 'add' | 'remove' | 'replace';
  /** A JSON Pointer (RFC 6901): `/features/beta`. */
  path: string;
  /** The new value (add, replace). */
  value?: unknown;
  /** The value before (replace, remove). */
  previousValue?: unknown;
}

/** The changes that turn `before` into `after`; empty when they are equal. */
export function configurationDiff(before: Record<string, unknown>, after: Record<string, unknown>): ConfigurationChange[] {
  return compare(before, after).map((operation) => {
    const op = operation.op as ConfigurationChange['op'];
    const change: ConfigurationChange = { op, path: operation.path };
    if (op !== 'remove') change.value = (operation as { value: unknown }).value;
    if (op !== 'add') change.previousValue = getValueByPointer(before, operation.path);
    return change;
  });
}

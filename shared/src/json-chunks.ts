// A result as JSON text in pieces of about CHUNK_LENGTH characters each, never one string of the whole: the same text
// as JSON.stringify, joined.
//
// V8 keeps strings over 128 KB in its large-object space, on pages of their own that it maps afresh and unmaps once
// the string is collected, and on this machine (a Firecracker VM) every first touch of a fresh page costs about 17 µs.
// JSON.stringify of organizations' 186 KB answer to the bench's overview builds a rope of small pieces; encoding it as
// bytes must first flatten it into one 186 KB string: 53 page faults, 0.9 ms of the 1.2 ms that JSON.stringify and
// Buffer.byteLength took for a 210 KB answer (node, 2,000 runs, page faults read from /proc/self/stat). Pieces of
// 32 KB stay on the ordinary heap's pages, which V8 reuses.

/** The length a piece grows to before the next one starts; a single value longer than that is a piece of its own. */
export const CHUNK_LENGTH = 32_768;

/**
 * `value` as JSON, in pieces whose concatenation is JSON.stringify(value). Objects are written key by key and arrays
 * item by item down to the items of arrays, which are written whole by JSON.stringify: a result's lists hold many
 * small objects (100 projects of about 1.5 KB), and JSON.stringify writes each far faster than a walk in JavaScript.
 */
export function jsonChunks(value: unknown, chunkLength = CHUNK_LENGTH): string[] {
  const chunks: string[] = [];
  let current = '';
  const emit = (text: string) => {
    current += text;
    if (current.length >= chunkLength) {
      chunks.push(current);
      current = '';
    }
  };
  // `item` has been through its toJSON already, so it is walked rather than given to JSON.stringify, which would call
  // a toJSON it has again; arrays' object items without one are written whole.
  const write = (item: unknown): void => {
    if (item === null || typeof item !== 'object' || item instanceof Number || item instanceof String || item instanceof Boolean) {
      emit(JSON.stringify(item));
    } else if (Array.isArray(item)) {
      emit('[');
      for (let i = 0; i < item.length; i++) {
        if (i > 0) emit(',');
        const element = toJSONOf(item[i], String(i));
        if (left(element)) emit('null');
        else if (typeof element === 'object' && element !== null && !Array.isArray(element) && typeof (element as { toJSON?: unknown }).toJSON !== 'function') emit(JSON.stringify(element));
        else write(element);
      }
      emit(']');
    } else {
      emit('{');
      let first = true;
      for (const name of Object.keys(item)) {
        const field = toJSONOf((item as Record<string, unknown>)[name], name);
        if (left(field)) continue;
        emit(first ? `${JSON.stringify(name)}:` : `,${JSON.stringify(name)}:`);
        first = false;
        write(field);
      }
      emit('}');
    }
  };
  const top = toJSONOf(value, '');
  if (left(top)) return [];
  write(top);
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks;
}

/** What JSON.stringify leaves out of an object, and writes as null in an array. */
const left = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

function toJSONOf(value: unknown, key: string): unknown {
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return toJSON.call(value, key) as unknown;
  }
  return value;
}

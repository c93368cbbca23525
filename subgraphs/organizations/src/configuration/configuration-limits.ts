// What any environment's configuration must be, whatever the project's JSON Schema says: a JSON object small and
// shallow enough that every service can read it on every request without a second thought.
//
// 64 KiB is twenty times the largest configuration the demo seeds, and Stripe's metadata or LaunchDarkly's flag
// payloads are far smaller; ten levels is more than any hand-written configuration nests; a 128-character key is a
// sentence, not a name. Each breach names the path that broke the rule, the way a person would point at it.

export const MAX_CONFIGURATION_BYTES = 64 * 1024;
export const MAX_CONFIGURATION_DEPTH = 10;
export const MAX_CONFIGURATION_KEY_LENGTH = 128;

export interface ConfigurationProblem {
  /** Where the rule broke: `configuration`, `configuration.features.beta`, `configuration.hosts.3`. */
  path: string;
  message: string;
}

/** The first rule `configuration` breaks, or null when it keeps them all. The field is `configuration` at the top. */
export function configurationProblem(configuration: unknown, field = 'configuration'): ConfigurationProblem | null {
  if (configuration === null || typeof configuration !== 'object' || Array.isArray(configuration)) {
    return { path: field, message: 'A configuration is a JSON object.' };
  }
  const bytes = Buffer.byteLength(JSON.stringify(configuration), 'utf8');
  if (bytes > MAX_CONFIGURATION_BYTES) {
    return { path: field, message: `A configuration is at most ${MAX_CONFIGURATION_BYTES / 1024} KiB as JSON; this one is ${(bytes / 1024).toFixed(1)} KiB.` };
  }
  return walk(configuration, field, 1);
}

function walk(value: unknown, path: string, depth: number): ConfigurationProblem | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_CONFIGURATION_DEPTH) return { path, message: `A configuration nests at most ${MAX_CONFIGURATION_DEPTH} levels of objects and arrays.` };
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (!Array.isArray(value) && key.length > MAX_CONFIGURATION_KEY_LENGTH) {
      return { path: `${path}.${key.slice(0, 32)}…`, message: `A configuration key is at most ${MAX_CONFIGURATION_KEY_LENGTH} characters; this one has ${key.length}.` };
    }
    const problem = walk(child, `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return null;
}

// The contract check on the public schema, one function behind `npm run schema`, `npm run schema:check` and the test suite.
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { apiSchemaOf, printApiSchema } from './api-schema';
import { acceptanceFor, isAccepted, type AcceptedBreakingChange } from './breaking-changes';
import { undocumented } from './schema-descriptions';
import { compose, type SubgraphSdl } from './supergraph';

export const API_SCHEMA_FILE = 'api.graphql';
export const BREAKING_CHANGES_FILE = 'breaking-changes.json';

/** What the check compares: the subgraphs as the code prints them, and what schema/ holds. */
export interface SchemaSources {
  subgraphs: SubgraphSdl[];
  /** The `.graphql` files in schema/, by file name. */
  committed: Record<string, string>;
  accepted: readonly AcceptedBreakingChange[];
}

export interface SchemaCheck {
  /** The files the code produces, by name: what `npm run schema` writes. Empty when composition fails. */
  files: Record<string, string>;
  compositionErrors: string[];
  /** Each file in schema/ that is missing, differs from what the code produces, or is no longer produced, said so. */
  staleFiles: string[];
  /** Coordinates of elements of the client-facing schema without a description. */
  undocumented: string[];
  /** Changes from the committed api.graphql that break clients and that the override file does not accept. */
  breaking: Change[];
  /** Breaking changes the override file accepts. */
  accepted: Change[];
  /** Changes that may change what existing clients see (a new enum value, a new default): warnings only. */
  dangerous: Change[];
}

export async function checkSchema({ subgraphs, committed, accepted }: SchemaSources): Promise<SchemaCheck> {
  const check: SchemaCheck = { files: {}, compositionErrors: [], staleFiles: [], undocumented: [], breaking: [], accepted: [], dangerous: [] };
  const composition = compose(subgraphs);
  if (composition.errors) return { ...check, compositionErrors: composition.errors };

  const api = apiSchemaOf(composition.supergraph);
  for (const { name, sdl } of subgraphs) check.files[`${name}.graphql`] = `${sdl.trim()}\n`;
  check.files['supergraph.graphql'] = `${composition.supergraph.trim()}\n`;
  check.files[API_SCHEMA_FILE] = printApiSchema(api);

  const names = [...new Set([...Object.keys(check.files), ...Object.keys(committed)])].sort();
  check.staleFiles = names.flatMap((name) => {
    if (committed[name] === undefined) return [`schema/${name} is missing`];
    if (check.files[name] === undefined) return [`schema/${name} is no longer produced by the code`];
    return check.files[name] === committed[name] ? [] : [`schema/${name} differs from what the code produces`];
  });
  check.undocumented = undocumented(api);

  // Without a committed api.graphql (the first run) there is no contract yet to break.
  const contract = committed[API_SCHEMA_FILE];
  const changes = contract === undefined ? [] : await diff(buildSchema(contract), api);
  for (const change of changes) {
    if (change.criticality.level === CriticalityLevel.Dangerous) check.dangerous.push(change);
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    (isAccepted(change, accepted) ? check.accepted : check.breaking).push(change);
  }
  return check;
}

/** Whether the check passes: warnings and accepted breaking changes do not fail it. */
export const passed = (check: SchemaCheck): boolean =>
  [check.compositionErrors, check.staleFiles, check.undocumented, check.breaking].every((problems) => problems.length === 0);

const bullet = (line: string) => `  - ${line}`;
const changeLine = (change: Change) => bullet(change.path ? `${change.path}: ${change.message}` : change.message);

/** The check as a reader needs it: each problem on its own line, and what to do about it. Empty when there is nothing to say. */
export function formatCheck(check: SchemaCheck): string {
  const sections: string[][] = [];
  if (check.compositionErrors.length) sections.push(['The subgraphs do not compose:', ...check.compositionErrors.map(bullet)]);
  if (check.staleFiles.length) sections.push(['schema/ does not match the code; run `npm run schema` and commit the result:', ...check.staleFiles.map(bullet)]);
  if (check.undocumented.length) {
    sections.push(['Without a description (the schema is the documentation clients read):', ...check.undocumented.map(bullet)]);
  }
  if (check.breaking.length) {
    sections.push([
      `Breaking changes for clients against schema/${API_SCHEMA_FILE}:`,
      ...check.breaking.map(changeLine),
      `To make them on purpose, add these entries to schema/${BREAKING_CHANGES_FILE} with their reasons, then run \`npm run schema\`:`,
      ...check.breaking.map((change) => `  ${JSON.stringify(acceptanceFor(change), null, 1).replace(/\n\s*/g, ' ')},`),
    ]);
  }
  if (check.accepted.length) sections.push([`Breaking changes accepted in schema/${BREAKING_CHANGES_FILE}:`, ...check.accepted.map(changeLine)]);
  if (check.dangerous.length) sections.push(['Warning: changes that may affect existing clients:', ...check.dangerous.map(changeLine)]);
  return sections.map((lines) => lines.join('\n')).join('\n\n');
}

// The two modes every project has, as Stripe has test and live: one list that the database, the API and billing share.
export const ENVIRONMENT_MODES = ['SANDBOX', 'LIVE'] as const;
export type EnvironmentMode = (typeof ENVIRONMENT_MODES)[number];

/**
 * How the API describes each mode. Every subgraph that shows the `EnvironmentMode` enum (organizations, billing)
 * declares it with these words, so the composed enum reads the same wherever it appears.
 */
export const ENVIRONMENT_MODE_DESCRIPTIONS: Record<EnvironmentMode, string> = {
  SANDBOX: 'For building and testing; nothing real happens.',
  LIVE: 'For production traffic.',
};
export const ENVIRONMENT_MODE_ENUM_DESCRIPTION = 'Each project has one environment of each mode.';

// The two modes every project has, as Stripe has test and live: one list that the database, the API and billing share.
export const ENVIRONMENT_MODES = ['SANDBOX', 'LIVE'] as const;
export type EnvironmentMode = (typeof ENVIRONMENT_MODES)[number];

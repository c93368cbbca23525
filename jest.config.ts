// Jest runs the TypeScript sources directly (ts-jest, transpile only: `npm test` type-checks first).
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  // Resolve @orgapi/* workspace packages to their TypeScript sources (the `source` export condition).
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'require', 'default'] },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
    // jose ships only ES modules, which Jest on Node 20 cannot require.
    '^.+/node_modules/jose/.+\\.js$': '<rootDir>/test/harness/esm-to-cjs.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/{test,shared,gateway,scripts,subgraphs/*}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30_000,
};

export default config;

// One jest run, three kinds of test. Unit tests are pure logic; integration tests talk to the
// real Postgres, Redis and NATS; end-to-end tests start the built services as processes.
/** @type {import('jest').Config['projects'][number]} */
const base = {
  testEnvironment: 'node',
  // Resolve workspace libraries to their TypeScript sources (see libs/*/package.json "exports").
  testEnvironmentOptions: { customExportConditions: ['@twofold/source', 'node', 'require', 'default'] },
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
  },
  // otplib 13 depends on ESM-only packages, which Jest on Node 20 cannot require untransformed.
  transformIgnorePatterns: ['/node_modules/(?!(@scure|@noble|@otplib|otplib|intl-messageformat|@formatjs)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/libs/testing/jest.setup.cjs'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.int-spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/apps/stack-e2e/src/**/*.e2e-spec.ts'] },
    // Faults under load: the stack on infrastructure of its own (see faults.fault-spec.ts).
    { ...base, displayName: 'faults', testMatch: ['<rootDir>/apps/stack-e2e/src/**/*.fault-spec.ts'] },
  ],
};

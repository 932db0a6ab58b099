// Unit specs sit beside the code; e2e specs in test/ boot the real app against PostgreSQL,
// Redis and an in-process SMTP server.
// ts-jest in transpile-only mode: fast, and `npm test` type-checks the whole tree first.
const tsJest = ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js)$': tsJest },
  // content-disposition (pulled in by @fastify/static) ships ESM only; Node requires it natively,
  // jest needs it transformed.
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: {
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@app/([a-z-]+)/sql$': '<rootDir>/libs/$1/src/sql',
    '^@app/insights/rfm$': '<rootDir>/libs/insights/src/rfm',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  // One test file at a time: files share one database, and an app booted with workers reconciles
  // every pending message and campaign it finds there (as production workers must), so two files'
  // apps running at once would send each other's mail through the wrong SMTP sink.
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 60_000,
};

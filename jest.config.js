/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  // aws-local-stepfunctions ships ESM-only helpers; transform nothing else from node_modules.
  transformIgnorePatterns: ['/node_modules/'],
  // Dynamic imports name the compiled file ('./session.js', as nodenext resolution wants); the
  // tests load the TypeScript source beside it.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 120000,
  // Jest leaves one core to itself by default; its parent process only schedules and reports, so
  // on a two-core machine that halves the speed for nothing.
  maxWorkers: '100%',
  setupFiles: ['<rootDir>/test/setup/process.ts'],
  globalSetup: '<rootDir>/test/setup/synthesize-once.ts',
};

/** Jest runs TypeScript through @swc/jest (type-checking is `npm run typecheck`, a step of its own). */
const { readFileSync } = require('node:fs');
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{test,libs,src}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: {
    '^@harbour/authz$': '<rootDir>/libs/authz/src/index.ts',
    '^@harbour/graphql-kit$': '<rootDir>/libs/graphql-kit/src/index.ts',
    '^@harbour/audit$': '<rootDir>/libs/audit/src/index.ts',
    '^@harbour/outbox$': '<rootDir>/libs/outbox/src/index.ts',
    '^@harbour/webhooks$': '<rootDir>/libs/webhooks/src/index.ts',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};

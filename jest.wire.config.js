/** `npm run test:wire`: replays ../shared/wire-fixtures (recorded from the live API) through the operator. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/wire'],
  testMatch: ['**/*.wire.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
};

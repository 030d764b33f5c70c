/** Jest runs the unit/integration tests in __tests__/ and the virtual-time tests in marbles/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__', '<rootDir>/marbles'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // ArkType is published only as ES modules; Jest on Node 20 needs CommonJS (see __tests__/support/esm-to-cjs.js).
    '/node_modules/(arktype|arkregex|@ark)/.+\\.js$': '<rootDir>/__tests__/support/esm-to-cjs.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!(arktype|arkregex|@ark)/)'],
  testTimeout: 20000,
};

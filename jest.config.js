/** One runner for everything: unit tests, store contract, sockets, browsers. */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    },
  ],
};
const project = (displayName, testMatch, extra = {}) => ({
  // the apps import the library by its package name, as a user's app does
  moduleNameMapper: {
    '^pushpage$': '<rootDir>/libs/pushpage/src/index.ts',
    '^pushpage/protocol$': '<rootDir>/libs/pushpage/src/protocol.ts',
    '^pushpage/testing$': '<rootDir>/libs/pushpage/src/testing/index.ts',
  },
  displayName,
  testMatch,
  transform,
  testEnvironment: 'node',
  ...extra,
});
module.exports = {
  projects: [
    project('unit', ['<rootDir>/test/unit/**/*.spec.ts']),
    project('store', ['<rootDir>/test/store/**/*.spec.ts']),
    project('integration', ['<rootDir>/test/integration/**/*.spec.ts']),
    project('cluster', ['<rootDir>/test/cluster/**/*.spec.ts']),
    project('browser', ['<rootDir>/test/browser/**/*.spec.ts']),
    project('fuzz', ['<rootDir>/test/fuzz/**/*.spec.ts']),
    project('package', ['<rootDir>/test/package/**/*.spec.ts']),
    project('deploy', ['<rootDir>/test/deploy/**/*.spec.ts']),
  ],
};

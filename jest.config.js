// Two projects: fast unit tests beside the code, and integration tests under test/ that need
// real Kafka, Neo4j and models (the integration global setup finds or starts them).
const { availableParallelism } = require('node:os');
const { pathsToModuleNameMapper } = require('./test/support/jest-paths');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: __dirname,
  // The node environment plus the host realm's typed arrays, which onnxruntime-node needs.
  testEnvironment: '<rootDir>/libs/embeddings/testing/onnx-jest-environment.js',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  moduleFileExtensions: ['ts', 'js', 'json'],
  // A lookup of a global inside Jest's sandbox is many times slower than outside it, and the
  // ranking and generator specs spend most of their time on Math.* that way: Jest then hands every
  // module the sandbox's own Math as a local instead (the same object, only found faster).
  sandboxInjectedGlobals: ['Math'],
};

module.exports = {
  // Jest's default is one worker less than the cores: on the 2-core machines CI runs on that is
  // one, and the unit tests then ran one file at a time. Two workers take them in about two
  // thirds of the time; the integration tests stay one at a time whatever this says.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
        // the docs' own checks (links, every topic, app and lib described)
        '<rootDir>/docs/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
      // one file at a time (Jest has no per-project worker count; see the runner)
      runner: '<rootDir>/test/support/serial-runner.js',
    },
  ],
};

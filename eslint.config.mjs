import nx from '@nx/eslint-plugin';
import eslintConfigPrettier from 'eslint-config-prettier';

// Layering (docs/ARCHITECTURE.md, "Module boundaries"): domain libs are pure and may not import
// I/O libs or I/O packages; adapter libs (type:io) do the I/O; apps wire everything. The rule
// below is the enforcement.
const ioPackages = [
  'kafkajs',
  'neo4j-driver',
  '@nestjs/*',
  'openai',
  '@huggingface/transformers',
  'onnxruntime-node',
  'node-llama-cpp',
  '@opentelemetry/*',
  'prom-client',
  'fs',
  'node:fs',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'child_process',
  'node:child_process',
];

// Feature scopes of the product (scope:demo is the demo shop and its alert rules).
const productScopes = [
  'scope:ingest',
  'scope:correlation',
  'scope:rca',
  'scope:remediation',
  'scope:people',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/node_modules',
      '**/dist',
      '.vigil/**',
      '.nx/**',
      'coverage/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util'],
            },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'],
              bannedExternalImports: ioPackages,
            },
            // Adapters implement the domain's needs, so they may use domain types and functions.
            {
              sourceTag: 'type:io',
              onlyDependOnLibsWithTags: ['type:io', 'type:domain', 'type:contracts', 'type:util'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:domain', 'type:io', 'type:contracts', 'type:util'],
            },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['*'] },
            // Scopes: the shared libs know no feature, and no product lib knows the demo shop.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            ...productScopes.map((sourceTag) => ({
              sourceTag,
              notDependOnLibsWithTags: ['scope:demo'],
            })),
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Node built-ins are not packages to the boundary rule, so the pure libs ban I/O ones here.
    files: [
      'libs/access/**/*.ts',
      'libs/action-catalog/**/*.ts',
      'libs/chatops/**/*.ts',
      'libs/planning/**/*.ts',
      'libs/notification/**/*.ts',
      'libs/correlation/**/*.ts',
      'libs/alert-normalization/**/*.ts',
      'libs/alert-policy/**/*.ts',
      'libs/alert-rules/**/*.ts',
      'libs/otlp/**/*.ts',
      'libs/demo-shop/**/*.ts',
      'libs/incident-view/**/*.ts',
      'libs/rca/**/*.ts',
      'libs/guardrails/**/*.ts',
      'libs/remediation-engine/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'fs',
            'node:fs',
            'fs/promises',
            'node:fs/promises',
            'net',
            'node:net',
            'http',
            'node:http',
            'https',
            'node:https',
            'child_process',
            'node:child_process',
            'dgram',
            'node:dgram',
          ].map((name) => ({
            name,
            message: 'domain libs are pure: do the I/O in an app or an adapter lib',
          })),
        },
      ],
    },
  },
  eslintConfigPrettier,
];

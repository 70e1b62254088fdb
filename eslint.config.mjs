import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'libs/*/dist/**',
      'client/dist/**',
      'node_modules/**',
      'test-results/**',
      'bench-results/**',
      '.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: { require: 'readonly', module: 'readonly', __dirname: 'readonly' },
    },
  },
  {
    // imports run downhill: the model, the engine, the store and what sits beside them never
    // reach up into a transport edge or the module that wires everything together
    files: ['libs/pushpage/src/{model,engine,store,collab,tasks,sessions}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/edges/**', '**/pushpage.module', '**/module-definition'],
              message: 'the model, engine and store do not import the edges or the module',
            },
          ],
        },
      ],
    },
  },
  {
    // the model is what pages are built from; it names the handler's message type, nothing more
    files: ['libs/pushpage/src/model/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/edges/**', '**/engine/**', '**/store/**', '**/ops/**'],
              message: 'the model imports nothing above it (types excepted)',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // pushpage/testing is an entry point of its own that the library never loads, so it adds
    // nothing to an app's production imports
    files: ['libs/pushpage/src/**/*.ts'],
    ignores: ['libs/pushpage/src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/testing', '**/testing/**'], message: 'only tests load pushpage/testing' },
          ],
        },
      ],
    },
  },
  {
    // and it stays light: the wire types and Nest, none of the engine
    files: ['libs/pushpage/src/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '!../protocol'],
              message: 'pushpage/testing uses the REST API and the wire types (../protocol) only',
            },
          ],
        },
      ],
    },
  },
  {
    // the example apps are written as a user would write them: against the public entry point
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/**', 'pushpage/*'],
              message: "import the library from 'pushpage' (its public API), not its files",
            },
          ],
        },
      ],
    },
  },
);

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const CLIENT_AT_MODULE_SCOPE =
  "No SDK client is built as a module loads: a handler's `create` builds its adapters on the clients it is given, and its deployed composition builds those.";

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'test/.out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Handlers are composition roots (lambda/runtime/composition.ts): a handler is built from its
    // configuration, its clients and a clock. Only the composition reads the process's variables
    // and the system clock, and no client is built as a module loads: the rehearsal builds the
    // very same handlers with its own clients and clock, and patches nothing.
    files: ['lambda/**/*.ts'],
    ignores: ['lambda/runtime/composition.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            "A handler's configuration comes from its `configure(variables)`; only lambda/runtime/composition.ts reads process.env.",
        },
        {
          object: 'Date',
          property: 'now',
          message: 'Read the time from the injected clock (the composition), not the system clock.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'Read the time from the injected clock (the composition), not the system clock.',
        },
        {
          selector:
            ':matches(Program, ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/Client$/]',
          message: CLIENT_AT_MODULE_SCOPE,
        },
        {
          selector:
            ':matches(Program, ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator > :matches(NewExpression, ObjectExpression, ArrayExpression) NewExpression[callee.name=/Client$/]',
          message: CLIENT_AT_MODULE_SCOPE,
        },
      ],
    },
  },
  {
    // Domain code and adapters are given their clients; only a handler's composition builds one.
    files: ['lambda/**/*.ts'],
    ignores: ['lambda/handlers/**', 'lambda/runtime/composition.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'Read the time from the injected clock (the composition), not the system clock.',
        },
        {
          selector: 'NewExpression[callee.name=/Client$/]',
          message:
            'Domain code and adapters take the clients they are given; a handler module builds them in its deployed composition.',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'No focused tests.' },
        { object: 'it', property: 'only', message: 'No focused tests.' },
        { object: 'test', property: 'only', message: 'No focused tests.' },
        { object: 'describe', property: 'skip', message: 'No skipped tests.' },
        { object: 'it', property: 'skip', message: 'No skipped tests.' },
        { object: 'test', property: 'skip', message: 'No skipped tests.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fdescribe', message: 'No focused tests.' },
        { name: 'fit', message: 'No focused tests.' },
        { name: 'xit', message: 'No skipped tests.' },
        { name: 'xdescribe', message: 'No skipped tests.' },
      ],
      '@typescript-eslint/unbound-method': 'off',
      // Tests poke at configs and SDK payloads loosely on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The build scripts and tool configs written in JavaScript: checked without type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
);

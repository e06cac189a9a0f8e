// @ts-check
// ESLint: the flat config @nuxt/eslint generates at `nuxt prepare` (.nuxt/eslint.config.mjs: JS
// recommended, typescript-eslint recommended + strict, Vue, imports, Nuxt; stylistic off in
// nuxt.config.ts), plus the project's own rules below. The rule set is listed in README (Development).
import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt(
  {
    name: 'rosetta/ignores',
    ignores: ['cli/dist/**', 'data/**', '.data/**'],
  },
  {
    // Type-aware rules need the TypeScript program: the project service finds each file's tsconfig
    // (the .nuxt/tsconfig.*.json the root one references; cli/tsconfig.json for the CLI).
    name: 'rosetta/type-aware',
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its error (an unhandled rejection) and its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where a void one is expected (setTimeout, event handlers, forEach).
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // Production code: no `any` leaks through (parsed JSON is `unknown` until narrowed).
    name: 'rosetta/no-unsafe-any',
    files: ['server/**/*.ts', 'cli/**/*.ts', 'shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
    },
  },
  {
    name: 'rosetta/tests',
    files: ['tests/**/*.ts'],
    rules: {
      // Tests read the server's and SDKs' JSON answers as `any` on purpose: a wrong shape fails the
      // assertion that reads it, and typing every answer would only restate the code under test.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    name: 'rosetta/off',
    rules: {
      // Deleting a key of a JSON-shaped record (wire bodies, env maps) is how those are edited here.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // Formatting, not correctness (stylistic rules are off; Vue's recommended set keeps this one).
      'vue/html-self-closing': 'off',
    },
  },
)

// Lint: typescript-eslint's recommended rules; formatting is prettier's job.
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "cdktf.out/**",
      "coverage/**",
      "compiler/runtime/assembly/**",
      "compiler/runtime/build/**",
      ".tmp/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);

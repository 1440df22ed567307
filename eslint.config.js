// ESLint for the browser scripts (make lint): the sources, not what is built from them (static/bundle/, by esbuild).
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["static/vendor/**", "static/bundle/**"] },
  js.configs.recommended,
  {
    files: ["static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.browser,
    },
  },
  {
    // Bundled on their own (Makefile): an import would be a copy of the module, with a state of its own.
    files: ["static/chat/cards.js", "static/chat/language.js"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ regex: ".", message: "main.js hands it what it uses" }] }] },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
];

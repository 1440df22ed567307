// ESLint for the browser scripts (make lint). The chat's modules run as they are, with no build step.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["static/vendor/**"] },
  js.configs.recommended,
  {
    files: ["static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // `io` is the Socket.IO client's, from static/vendor/socket.io.min.js (loaded before the modules).
      globals: { ...globals.browser, io: "readonly" },
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
];

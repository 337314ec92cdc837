// eslint as benchmarks/candidate_analyzers.py runs it: only the security plugins' rules, every one on, since which
// of them count is the runner's policy table, not this file's. No project config is looked up: the snippets are code cut out of other projects.
"use strict";
const security = require("eslint-plugin-security");
const sdl = require("@microsoft/eslint-plugin-sdl");

const rules = {};
for (const name of Object.keys(security.rules)) rules[`security/${name}`] = "warn";
for (const name of Object.keys(sdl.rules)) rules[`@microsoft/sdl/${name}`] = "warn";

module.exports = [
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "commonjs",
      parserOptions: { ecmaFeatures: { jsx: true, globalReturn: true } },
    },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
    plugins: { security, "@microsoft/sdl": sdl },
    rules,
  },
];

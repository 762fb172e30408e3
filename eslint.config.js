// ESLint flat config: typescript-eslint's recommended rules with type information, React and
// React hooks rules for the admin pages.
import js from "@eslint/js";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "node_modules/",
      ".data/",
      "test-results/",
      ".cache/",
      "extensions/**/assets/*.min.js",
      "app/types/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  importX.flatConfigs.typescript,
  {
    files: ["**/*.{ts,tsx}"],
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  ...domainBoundaries(),
  {
    files: ["app/**/*.tsx"],
    plugins: { react, "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    settings: { react: { version: "detect" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
    },
  },
  {
    // Browser scripts served as they are (no bundler): the demo's App Bridge stand-in, theme assets.
    files: ["**/*.js"],
    languageOptions: { globals: { ...globals.browser }, sourceType: "script" },
  },
  { files: ["eslint.config.js"], languageOptions: { sourceType: "module", globals: { ...globals.node } } },
);

// Which folders of app/ each folder may import from (README, "Layout"). app/core and the platform
// know no domain; each domain knows the core, the platform and at most one other domain, in one
// direction; the demo and the routes compose them.
function domainBoundaries() {
  const folders = ["core", "platform", "sync", "insight", "loyalty", "demo", "components", "strings", "routes"];
  const allowed = {
    core: ["core"],
    platform: ["core", "platform"],
    loyalty: ["core", "platform", "loyalty"],
    sync: ["core", "platform", "sync", "loyalty"],
    insight: ["core", "platform", "insight", "loyalty"],
    strings: ["core", "strings"],
  };
  // Pure folders: no server module, no database, no framework.
  const pure = ["~/*.server", "@prisma/*", "@remix-run/*", "pg", "pg-boss", "@shopify/*"];
  const rules = Object.entries(allowed).map(([folder, may]) => ({
    files: [`app/${folder}/**/*.{ts,tsx}`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...folders
              .filter((other) => !may.includes(other))
              .map((other) => ({
                group: [`~/${other}/*`],
                message: `app/${folder} may import only from ${may.map((name) => `app/${name}`).join(", ")} (README, Layout).`,
              })),
            ...(folder === "core" || folder === "strings"
              ? [{ group: pure, message: `app/${folder} is pure: no server module, database or framework.` }]
              : []),
          ],
        },
      ],
    },
  }));
  // The core never reads the clock: callers pass the time in, so no result depends on the day.
  rules.push({
    files: ["app/core/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pass the time in." },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "Pass the time in.",
        },
      ],
    },
  });
  return rules;
}

// GraphQL config for editors and for `npm run graphql-codegen`, as Shopify's app template has it:
// @shopify/api-codegen-preset generates app/types/admin.types.d.ts (the schema's types) and
// app/types/admin.generated.d.ts (each #graphql document's variables and result).
// The schema never comes from the network: it is the Admin introspection that the pinned
// @shopify/dev-mcp package ships for ADMIN_API_VERSION, unpacked into app/types/ (git-ignored),
// and the preset reads an existing schema file instead of downloading one.
import fs from "node:fs";

import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";

import { ADMIN_API_VERSION, readAdminIntrospectionJson } from "./scripts/admin-schema";

// GRAPHQL_CODEGEN_OUTPUT_DIR: test/platform/graphql-documents.test.ts regenerates elsewhere to
// check that the committed files are current.
const outputDir = process.env.GRAPHQL_CODEGEN_OUTPUT_DIR ?? "./app/types";
const schemaFile = `${outputDir}/admin-${ADMIN_API_VERSION}.schema.json`;
const introspection = readAdminIntrospectionJson();
if (!fs.existsSync(schemaFile) || fs.readFileSync(schemaFile, "utf8") !== introspection) {
  fs.mkdirSync(outputDir, { recursive: true });
  fs.writeFileSync(schemaFile, introspection);
}

export default {
  schema: schemaFile,
  documents: ["./app/**/*.{ts,tsx}"],
  projects: {
    default: shopifyApiProject({
      apiType: ApiType.Admin,
      apiVersion: ADMIN_API_VERSION,
      documents: ["./app/**/*.{ts,tsx}", "!./app/types/**"],
      outputDir,
    }),
  },
};

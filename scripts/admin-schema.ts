// The Admin GraphQL schema Perennial's documents are typed and validated against: the
// introspection of the API version the app pins, as shipped by the pinned @shopify/dev-mcp
// devDependency (dist/data/admin_<version>.json.gz). Nothing is fetched from Shopify.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

// Must equal app/shopify.server.ts's apiVersion (test/platform/graphql-documents.test.ts checks).
export const ADMIN_API_VERSION = "2026-07";

export function adminIntrospectionPath(version: string = ADMIN_API_VERSION): string {
  // The package exports no path to its data, so it is found where npm installs it.
  return fileURLToPath(new URL(`../node_modules/@shopify/dev-mcp/dist/data/admin_${version}.json.gz`, import.meta.url));
}

export function readAdminIntrospectionJson(version: string = ADMIN_API_VERSION): string {
  return zlib.gunzipSync(fs.readFileSync(adminIntrospectionPath(version))).toString("utf8");
}

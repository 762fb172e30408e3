// Every Admin GraphQL document the app sends, validated against the Admin schema of the API
// version the app pins (from the pinned @shopify/dev-mcp package, never the network): any
// validation error fails, and so does any deprecated field, argument or enum value. The bulk
// operation's inner query, sent as a string variable, is validated as a query document too.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { ApiVersion } from "@shopify/shopify-api";
import {
  buildClientSchema,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { describe, expect, it } from "vitest";

import { ORDER_GRAPHQL_FIELDS } from "~/core/orders/snapshot";
import { BULK_ORDERS_QUERY } from "~/sync/backfill-import.server";

import { ADMIN_API_VERSION, readAdminIntrospectionJson } from "../../scripts/admin-schema";

const root = path.resolve(__dirname, "../..");

function adminSchema(): GraphQLSchema {
  const introspection = JSON.parse(readAdminIntrospectionJson()) as { data: IntrospectionQuery };
  return buildClientSchema(introspection.data);
}

// The problems with one document: validation errors, then each deprecated thing it uses.
function documentProblems(schema: GraphQLSchema, source: string): string[] {
  const document = parse(source);
  const problems = validate(schema, document).map((error) => error.message);
  if (problems.length > 0) return problems;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (field?.deprecationReason != null)
          problems.push(`${parent?.name}.${node.name.value} is deprecated: ${field.deprecationReason}`);
      },
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (argument?.deprecationReason != null)
          problems.push(`argument ${node.name.value} is deprecated: ${argument.deprecationReason}`);
      },
      ObjectField(node) {
        const inputField = typeInfo.getInputType() && typeInfo.getParentInputType();
        const field = inputField && "getFields" in inputField ? inputField.getFields()[node.name.value] : undefined;
        if (field?.deprecationReason != null)
          problems.push(`input field ${node.name.value} is deprecated: ${field.deprecationReason}`);
      },
      EnumValue(node) {
        const value = typeInfo.getEnumValue();
        if (value?.deprecationReason != null)
          problems.push(`enum value ${node.value} is deprecated: ${value.deprecationReason}`);
      },
    }),
  );
  return problems;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "types" && dir.endsWith("app") ? [] : sourceFiles(file);
    return /\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

// Each `#graphql` template literal in app/, with its known interpolations filled in; an
// interpolation the test does not know fails rather than being skipped.
const INTERPOLATIONS: Record<string, string> = { ORDER_GRAPHQL_FIELDS };
function appDocuments(): { where: string; source: string }[] {
  return sourceFiles(path.join(root, "app")).flatMap((file) => {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/`#graphql([^`]*)`/g)].map((match) => {
      const source = match[1].replace(/\$\{(\w+)\}/g, (_, name: string) => {
        if (!(name in INTERPOLATIONS)) throw new Error(`${file}: unknown interpolation \${${name}}`);
        return INTERPOLATIONS[name];
      });
      const line = text.slice(0, match.index).split("\n").length;
      return { where: `${path.relative(root, file)}:${line}`, source };
    });
  });
}

describe("Admin GraphQL documents", () => {
  const schema = adminSchema();
  const documents = appDocuments();

  it("are checked against the schema of the API version the app pins", () => {
    const shopifyServer = fs.readFileSync(path.join(root, "app/shopify.server.ts"), "utf8");
    const pinned = /API_VERSION = ApiVersion\.(\w+);/.exec(shopifyServer)?.[1];
    expect(pinned && ApiVersion[pinned as keyof typeof ApiVersion]).toBe(ADMIN_API_VERSION);
    const adminApiHelper = fs.readFileSync(path.join(root, "test/helpers/admin-api.ts"), "utf8");
    expect(adminApiHelper).toContain(`/admin/api/${ADMIN_API_VERSION}/graphql.json`);
  });

  it("finds every document", () => {
    expect(documents.map((document) => document.where.split(":")[0]).sort()).toEqual([
      "app/loyalty/metafields.server.ts",
      "app/loyalty/metafields.server.ts",
      "app/loyalty/redemptions.server.ts",
      "app/loyalty/redemptions.server.ts",
      "app/loyalty/redemptions.server.ts",
      "app/sync/backfill-import.server.ts",
      "app/sync/backfill-import.server.ts",
      "app/sync/jobs.server.ts",
    ]);
  });

  it("validate, with no deprecated field, argument or enum value", () => {
    const problems = documents.flatMap(({ where, source }) =>
      documentProblems(schema, source).map((problem) => `${where}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it("include the bulk operation's inner query, a query document of its own", () => {
    expect(documentProblems(schema, BULK_ORDERS_QUERY)).toEqual([]);
    expect(BULK_ORDERS_QUERY).toContain("defaultEmailAddress { emailAddress }");
  });

  it("fail on an unknown field and on a deprecated one", () => {
    expect(documentProblems(schema, 'query { order(id: "gid://shopify/Order/1") { id bogusField } }')).toEqual([
      expect.stringMatching(/^Cannot query field "bogusField" on type "Order"\./),
    ]);
    expect(documentProblems(schema, 'query { customer(id: "gid://shopify/Customer/1") { id email } }')).toEqual([
      expect.stringMatching(/^Customer\.email is deprecated: /),
    ]);
    const bulk = BULK_ORDERS_QUERY.replace("defaultEmailAddress { emailAddress }", "email");
    expect(documentProblems(schema, bulk)).toEqual([expect.stringMatching(/^Customer\.email is deprecated: /)]);
  });

  it("have committed generated types that are current (npm run graphql-codegen)", () => {
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "perennial-codegen-"));
    try {
      execFileSync(path.join(root, "node_modules/.bin/graphql-codegen"), [], {
        cwd: root,
        env: { ...process.env, GRAPHQL_CODEGEN_OUTPUT_DIR: outputDir },
        stdio: "pipe",
      });
      for (const file of ["admin.generated.d.ts", "admin.types.d.ts"]) {
        const fresh = fs.readFileSync(path.join(outputDir, file), "utf8");
        const committed = fs.readFileSync(path.join(root, "app/types", file), "utf8");
        expect(committed === fresh, `app/types/${file} is stale: run npm run graphql-codegen`).toBe(true);
      }
    } finally {
      fs.rmSync(outputDir, { recursive: true, force: true });
    }
  }, 120_000);
});

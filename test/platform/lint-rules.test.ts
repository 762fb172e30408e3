// The layout's rules are ESLint's (README, Layout; decision 013): these prove the configuration
// really rejects an import cycle and an import across the domains' allowed arrows.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe("the layout's lint rules", () => {
  it("reject an import cycle", async () => {
    // shop-facts imports db.server, so db.server importing shop-facts closes a circle.
    const found = await problems(
      "app/db.server.ts",
      'import { findShopFacts } from "~/loyalty/shop-facts.server";\nexport const facts = findShopFacts;\n',
    );
    expect(found.some((problem) => problem.startsWith("import-x/no-cycle"))).toBe(true);
  }, 60_000);

  it("reject an import against the arrows, and accept one along them", async () => {
    const back = await problems(
      "app/loyalty/example.server.ts",
      'import { ensureShop } from "~/sync/shops.server";\nexport const shop = ensureShop;\n',
    );
    expect(back).toEqual([expect.stringMatching(/^no-restricted-imports: .*app\/loyalty may import only from/)]);
    for (const code of [
      'import prisma from "~/db.server";\nexport const db = prisma;\n',
      'import { AT_RISK } from "~/insight/customers-list.server";\nexport const x = AT_RISK;\n',
      'import { Prisma } from "@prisma/client";\nexport const sql = Prisma.sql;\n',
    ]) {
      const found = await problems("app/core/example.ts", code);
      expect(
        found.some((problem) => problem.startsWith("no-restricted-imports")),
        code,
      ).toBe(true);
    }
    const clock = await problems("app/core/example.ts", "export const today = () => new Date();\n");
    expect(clock).toEqual([expect.stringMatching(/^no-restricted-syntax: Pass the time in/)]);
    const along = await problems(
      "app/sync/example.server.ts",
      'import { findShopFacts } from "~/loyalty/shop-facts.server";\nexport const facts = findShopFacts;\n',
    );
    expect(along).toEqual([]);
  }, 60_000);
});

// The Customers and Customer pages as a merchant uses them: from the demo's home, the
// "Customers" link (client-side navigation, data fetched with App Bridge's session token), a sort
// by predicted CLV, then one customer, each compared with what the database holds.
import fs from "node:fs";
import path from "node:path";

import type { Page } from "playwright-core";

import { describe, expect, it } from "vitest";

import { SEGMENTS } from "~/core/metrics/rfm";
import { formatMoney, formatPercent } from "~/components/ui/format";
import { customersStrings } from "~/strings/customers";

import { hasChromium, demoInBrowser, newMerchantPage, SCREENSHOT_DIR } from "../helpers/browser";

if (!hasChromium) console.warn("Skipping browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium).");

const ROWS_CHECKED = 10;

interface DatabaseRow {
  id: string;
  shopifyId: bigint;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  ordersCount: number;
  netRevenue: number;
  lastOrderAt: Date | null;
  predictedClv365d: number | null;
  probabilityAlive: number | null;
  rfmSegment: string | null;
  pointsBalance: number | null;
  tierName: string | null;
}

// The first rows of the demo shop's customers in the list's order (nulls last, then id), read
// straight from the database.
async function firstRows(orderBy: "lastOrderAt" | "predictedClv365d"): Promise<DatabaseRow[]> {
  const { default: prisma } = await import("~/db.server");
  const { Prisma } = await import("@prisma/client");
  const { DEMO_SHOP } = await import("~/demo/demo-store.server");
  return prisma.$queryRaw<DatabaseRow[]>`
    SELECT c."id", c."shopifyId", c."firstName", c."lastName", c."email", c."ordersCount",
           c."netRevenue"::float8 AS "netRevenue", c."lastOrderAt", c."predictedClv365d"::float8 AS "predictedClv365d",
           c."probabilityAlive", c."rfmSegment", a."pointsBalance",
           (SELECT level->>'name' FROM "LoyaltyProgram" p, jsonb_array_elements(p."settings"->'tiers'->'levels') AS level
             WHERE p."shopId" = s."id" AND level->>'id' = a."tierId") AS "tierName"
      FROM "Customer" AS c JOIN "Shop" AS s ON s."id" = c."shopId"
      LEFT JOIN "LoyaltyAccount" AS a ON a."customerId" = c."id"
     WHERE s."shopDomain" = ${DEMO_SHOP}
     ORDER BY ${Prisma.raw(`c."${orderBy}"`)} DESC NULLS LAST, c."id" DESC
     LIMIT ${ROWS_CHECKED}`;
}

const day = (date: Date) =>
  date.toLocaleDateString("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });

// What the list shows for a database row (the demo shop's time zone is UTC).
function expectedCells(row: DatabaseRow): Record<string, string> {
  const name = [row.firstName, row.lastName].filter(Boolean).join(" ");
  return {
    name: name || customersStrings.list.noName(row.shopifyId.toString()),
    email: row.email ?? "",
    orders: row.ordersCount.toLocaleString("en-US"),
    netRevenue: formatMoney(row.netRevenue, "USD"),
    lastOrder: row.lastOrderAt ? day(row.lastOrderAt) : customersStrings.list.noDate,
    predictedClv: formatMoney(row.predictedClv365d, "USD"),
    probabilityAlive: formatPercent(row.probabilityAlive),
    segment: SEGMENTS.find((segment) => segment.id === row.rfmSegment)?.name ?? customersStrings.list.noSegment,
    loyalty:
      row.pointsBalance === null
        ? customersStrings.list.notMember
        : customersStrings.list.points(row.pointsBalance, row.tierName),
  };
}

async function shownRows(page: Page): Promise<Record<string, string>[]> {
  return page.$$eval(
    "tbody tr",
    (rows, count) =>
      rows
        .filter((row) => row.querySelector("[data-cell]"))
        .slice(0, count)
        .map((row) =>
          Object.fromEntries(
            [...row.querySelectorAll<HTMLElement>("[data-cell]")].map((cell) => [
              cell.dataset.cell!,
              cell.innerText.trim(),
            ]),
          ),
        ),
    ROWS_CHECKED,
  );
}

describe.skipIf(!hasChromium)("the Customers pages in a browser", () => {
  const running = demoInBrowser();

  it("lists the customers, sorts them by predicted CLV and opens one, with the database's figures", async () => {
    const page = await newMerchantPage(running.browser);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(running.demo.url);
    await page.waitForSelector('[data-figure="customers"]');

    // The nav link: a client-side navigation, its data fetched with a session token.
    await page.locator("ui-nav-menu a", { hasText: "Customers" }).click();
    await page.waitForURL((url) => url.pathname === "/app/customers");
    await page.waitForSelector('[data-cell="name"]');
    expect(await shownRows(page)).toEqual((await firstRows("lastOrderAt")).map(expectedCells));
    expect(await page.locator('[data-cell="name"]').count()).toBe(50);

    // Sort by predicted CLV with its column heading: highest first.
    const byClv = await firstRows("predictedClv365d");
    await page
      .getByRole("button", { name: customersStrings.list.columns.predictedClv })
      .filter({ visible: true })
      .first()
      .click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "predictedClv");
    expect(new URL(page.url()).searchParams.get("direction")).toBeNull(); // descending, the default
    await expect.poll(() => shownRows(page)).toEqual(byClv.map(expectedCells));

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "customers.png"), fullPage: true });

    // Open the most valuable customer.
    const top = byClv[0];
    await page.locator('[data-cell="name"]').first().click();
    await page.waitForURL((url) => url.pathname === `/app/customers/${top.id}`);
    await page.waitForSelector('[data-figure="explanation"]');

    const { loadCustomerPrediction } = await import("~/insight/customer-prediction.server");
    const { DEMO_SHOP } = await import("~/demo/demo-store.server");
    const expected = (await loadCustomerPrediction(DEMO_SHOP, top.id))!;
    const { metrics, prediction, explanation } = expected;
    const text = customersStrings.customer;
    const shown = async (figure: string) => (await page.locator(`[data-figure="${figure}"]`).innerText()).trim();
    const figures = {
      ordersCount: metrics.ordersCount.toLocaleString("en-US"),
      firstOrderAt: day(metrics.firstOrderAt!),
      lastOrderAt: day(metrics.lastOrderAt!),
      netRevenue: formatMoney(metrics.netRevenueToDate, "USD"),
      averageOrderValue: formatMoney(metrics.averageOrderValue, "USD"),
      averageDaysBetweenOrders:
        metrics.averageDaysBetweenOrders === null ? customersStrings.none : text.days(metrics.averageDaysBetweenOrders),
      expectedOrders90d: prediction.expectedOrders90d!.toLocaleString("en-US", { maximumFractionDigits: 2 }),
      expectedOrders365d: prediction.expectedOrders365d!.toLocaleString("en-US", { maximumFractionDigits: 2 }),
      probabilityAlive: formatPercent(prediction.probabilityAlive),
      predictedClv365d: formatMoney(prediction.predictedClv365d, "USD"),
      clvPercentile: text.percentile(prediction.clvPercentile!),
      segment: prediction.segment!.name,
      whatToDo: prediction.segment!.whatToDo,
      explanation,
    };
    for (const [figure, value] of Object.entries(figures))
      expect([figure, await shown(figure)]).toEqual([figure, value]);
    expect(prediction.predictedClv365d).toBe(top.predictedClv365d);
    expect(await page.getByRole("heading", { name: `${top.firstName} ${top.lastName}` }).count()).toBeGreaterThan(0);

    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "customer.png"), fullPage: true });

    // Back to the list; a search that matches nobody, then "Clear filters" brings everyone back.
    await page.getByRole("link", { name: text.back }).first().click();
    await page.waitForURL((url) => url.pathname === "/app/customers");
    await page.getByRole("button", { name: "Search and filter results" }).click();
    await page.getByPlaceholder(customersStrings.list.searchPlaceholder).fill("nobody by this name");
    await page.waitForURL((url) => url.searchParams.get("q") === "nobody by this name");
    await page.getByText(customersStrings.list.empty.noMatchHeading).waitFor();
    await page.getByRole("button", { name: customersStrings.list.empty.clearFilters }).click();
    await page.waitForURL((url) => !url.searchParams.has("q"));
    await expect.poll(() => page.locator('[data-cell="name"]').count()).toBe(50);
    expect(errors).toEqual([]);
  });

  it("exports the list as searched and sorted, every page of it, from the keyboard", async () => {
    const page = await newMerchantPage(running.browser);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(running.demo.url);
    await page.waitForSelector('[data-figure="customers"]');
    await page.locator("ui-nav-menu a", { hasText: "Customers" }).click();
    await page.waitForSelector('[data-cell="name"]');

    // A last name shared by more customers than fit on one page.
    const { default: prisma } = await import("~/db.server");
    const { DEMO_SHOP } = await import("~/demo/demo-store.server");
    const [{ lastName }] = await prisma.$queryRaw<{ lastName: string }[]>`
      SELECT c."lastName" FROM "Customer" AS c JOIN "Shop" AS s ON s."id" = c."shopId"
       WHERE s."shopDomain" = ${DEMO_SHOP} AND c."lastName" IS NOT NULL
       GROUP BY c."lastName" HAVING count(*) > 60 ORDER BY count(*), c."lastName" LIMIT 1`;
    await page.getByRole("button", { name: "Search and filter results" }).click();
    await page.getByPlaceholder(customersStrings.list.searchPlaceholder).fill(lastName);
    await page.waitForURL((url) => url.searchParams.get("q") === lastName);
    await page
      .getByRole("button", { name: customersStrings.list.columns.predictedClv })
      .filter({ visible: true })
      .first()
      .click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "predictedClv");
    expect(new URL(page.url()).searchParams.get("q")).toBe(lastName);

    // The list shows the sort before the export is asked for.
    const pattern = `%${lastName}%`;
    const expected = await prisma.$queryRaw<{ shopifyId: bigint; predictedClv365d: number | null }[]>`
      SELECT c."shopifyId", c."predictedClv365d"::float8 AS "predictedClv365d"
        FROM "Customer" AS c JOIN "Shop" AS s ON s."id" = c."shopId"
       WHERE s."shopDomain" = ${DEMO_SHOP}
         AND (concat_ws(' ', c."firstName", c."lastName") ILIKE ${pattern} OR c."email" ILIKE ${pattern})
       ORDER BY c."predictedClv365d" DESC NULLS LAST, c."id" DESC`;
    await expect
      .poll(() => page.locator('[data-cell="predictedClv"]').allInnerTexts())
      .toEqual(expected.slice(0, 50).map((row) => formatMoney(row.predictedClv365d, "USD")));

    const exportButton = page.getByRole("button", { name: customersStrings.list.export });
    await exportButton.focus();
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(download.suggestedFilename()).toMatch(/^perennial-customers-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs
      .readFileSync(await download.path(), "utf8")
      .trimEnd()
      .split("\n");
    expect(csv[0]).toBe(
      "customer_id,orders_count,first_order_at,last_order_at,net_revenue,currency," +
        "expected_orders_365d,p_alive,predicted_clv_365d,rfm_segment,points_balance,tier",
    );
    expect(csv.slice(1).map((line) => line.split(",")[0])).toEqual(expected.map((row) => row.shopifyId.toString()));
    expect(expected.length).toBeGreaterThan(50);
    expect(errors).toEqual([]);
  });
});

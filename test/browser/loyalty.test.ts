// The loyalty pages as a merchant uses them, in the demo (its real session-token path): Loyalty
// results reached through the nav menu, with the figures the database holds; the Loyalty program
// form changed and saved by keyboard alone, a validation message included; a manual points
// adjustment on a member's Customer page, which the results then count at once.
import fs from "node:fs";
import path from "node:path";

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { formatCount, formatMoney, formatPercent } from "~/components/ui/format";
import { loyaltyStrings } from "~/strings/loyalty";

import { hasChromium, demoInBrowser, newMerchantPage, SCREENSHOT_DIR } from "../helpers/browser";

if (!hasChromium) console.warn("Skipping browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium).");

const DEMO_STAFF = "staff 1"; // the demo signs its session tokens for user 1

// The demo store comes with a program and members; if it has none (an older demo), the test
// makes a small one through the services.
async function ensureProgram(shopDomain: string): Promise<void> {
  const { default: prisma } = await import("~/db.server");
  if (await prisma.loyaltyProgram.findFirst({ where: { shop: { shopDomain } } })) return;
  const { saveLoyaltyProgram } = await import("~/loyalty/program.server");
  const { adjustMemberPoints } = await import("~/loyalty/members.server");
  const saved = await saveLoyaltyProgram(
    shopDomain,
    {
      enabled: true,
      settings: {
        earnRate: "1",
        expiry: { inactiveDays: 365 },
        rewards: [{ id: "five", name: "$5 off", pointsCost: 500, discount: { type: "fixedAmount", amount: "5.00" } }],
      },
    },
    "test setup",
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
  const customers = await prisma.customer.findMany({
    where: { shop: { shopDomain } },
    take: 20,
    orderBy: { id: "asc" },
  });
  for (const [index, customer] of customers.entries())
    await adjustMemberPoints(
      shopDomain,
      customer.id,
      { adjustmentId: `setup-${index}`, points: 100 * (index + 1), reason: "Test setup" },
      "test setup",
    );
}

interface Expected {
  flows: Record<string, { period: number; allTime: number }>;
  outstanding: number;
  pending: number;
  owed: number;
  members: number;
  liability: number | null;
  breakage: number;
  groups: Record<
    string,
    { customers: number; repeatRate: number | null; netRevenue: number | null; clv: number | null }
  >;
}

// The results page's figures, summed straight from the ledger, the accounts and the customers.
async function expectedResults(shopDomain: string): Promise<Expected> {
  const { default: prisma } = await import("~/db.server");
  const { loyaltySettingsSchema } = await import("~/core/loyalty");
  const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain }, include: { loyaltyProgram: true } });
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 29));
  const rows = await prisma.$queryRaw<{ flow: string; period: number; allTime: number }[]>`
    SELECT flow, coalesce(sum(amount) FILTER (WHERE "occurredAt" >= ${start}), 0)::float8 AS "period",
           coalesce(sum(amount), 0)::float8 AS "allTime"
      FROM (SELECT "occurredAt",
                   CASE WHEN kind IN ('earn', 'bonus') OR (kind = 'adjustment' AND net > 0) THEN 'issued'
                        WHEN kind IN ('redemption', 'redemptionRefund') THEN 'redeemed'
                        WHEN kind = 'expiry' THEN 'expired'
                        WHEN kind = 'reversal' OR (kind = 'adjustment' AND net < 0) THEN 'takenBack' END AS flow,
                   CASE WHEN kind IN ('earn', 'bonus', 'adjustment') AND net > 0 THEN net ELSE -net END AS amount
              FROM (SELECT *, "points" + "pendingPoints" - "owedPoints" AS net FROM "LedgerEntry"
                     WHERE "shopId" = ${shop.id}) AS entry) AS flows
     WHERE flow IS NOT NULL
     GROUP BY flow`;
  const flows = Object.fromEntries(
    ["issued", "redeemed", "expired", "takenBack"].map((flow) => {
      const row = rows.find((candidate) => candidate.flow === flow);
      return [flow, { period: row?.period ?? 0, allTime: row?.allTime ?? 0 }];
    }),
  );
  const [{ outstanding, pending, owed, members }] = await prisma.$queryRaw<
    { outstanding: number; pending: number; owed: number; members: number }[]
  >`
    SELECT coalesce(sum("pointsBalance"), 0)::float8 AS "outstanding",
           coalesce(sum("pendingPoints"), 0)::float8 AS "pending",
           coalesce(sum("owedPoints"), 0)::float8 AS "owed", count(*)::int AS "members"
      FROM "LoyaltyAccount" WHERE "shopId" = ${shop.id}`;
  const settings = loyaltySettingsSchema.parse(shop.loyaltyProgram!.settings);
  const fixed = settings.rewards.flatMap((reward) =>
    reward.discount.type === "fixedAmount" ? [Number(reward.discount.amount) / reward.pointsCost] : [],
  );
  const perPoint = fixed.length ? fixed.reduce((sum, value) => sum + value, 0) / fixed.length : null;
  const closed = flows.redeemed.allTime + flows.expired.allTime;
  const groups = await prisma.$queryRaw<
    { member: boolean; customers: number; repeat: number; netRevenue: number; scored: number; clv: number }[]
  >`
    SELECT (a."customerId" IS NOT NULL) AS "member", count(*)::int AS "customers",
           (count(*) FILTER (WHERE c."ordersCount" >= 2))::int AS "repeat",
           sum(c."netRevenue")::float8 AS "netRevenue", count(c."predictedClv365d")::int AS "scored",
           coalesce(sum(c."predictedClv365d"), 0)::float8 AS "clv"
      FROM "Customer" AS c LEFT JOIN "LoyaltyAccount" AS a ON a."customerId" = c."id"
     WHERE c."shopId" = ${shop.id} AND c."ordersCount" > 0
     GROUP BY 1`;
  const group = (member: boolean) => {
    const row = groups.find((candidate) => candidate.member === member);
    if (!row) return { customers: 0, repeatRate: null, netRevenue: null, clv: null };
    return {
      customers: row.customers,
      repeatRate: row.repeat / row.customers,
      netRevenue: Math.round((row.netRevenue / row.customers) * 100) / 100,
      clv: row.scored ? Math.round((row.clv / row.scored) * 100) / 100 : null,
    };
  };
  return {
    flows,
    outstanding,
    pending,
    owed,
    members,
    liability: perPoint === null ? null : Math.round(outstanding * perPoint * 100) / 100,
    breakage: settings.expiry && closed > 0 ? flows.expired.allTime / closed : 0,
    groups: { members: group(true), nonMembers: group(false) },
  };
}

const shown = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).trim();

async function expectResultsShown(page: Page, expected: Expected) {
  for (const [flow, values] of Object.entries(expected.flows)) {
    expect([flow, await shown(page, `[data-flow="${flow}"][data-scope="period"]`)]).toEqual([
      flow,
      formatCount(values.period),
    ]);
    expect([flow, await shown(page, `[data-flow="${flow}"][data-scope="allTime"]`)]).toEqual([
      flow,
      formatCount(values.allTime),
    ]);
  }
  expect(await shown(page, '[data-figure="outstanding"]')).toBe(formatCount(expected.outstanding));
  expect(await shown(page, '[data-figure="outstandingHelp"]')).toBe(
    loyaltyStrings.results.outstandingHelp(
      formatCount(expected.members),
      formatCount(expected.pending),
      formatCount(expected.owed),
    ),
  );
  expect(await shown(page, '[data-figure="liability"]')).toBe(formatMoney(expected.liability, "USD"));
  expect(await shown(page, '[data-figure="breakage"]')).toBe(formatPercent(expected.breakage));
  for (const [group, figures] of Object.entries(expected.groups)) {
    const cell = (figure: string) => shown(page, `[data-group="${group}"][data-figure="${figure}"]`);
    expect(await cell("customers")).toBe(formatCount(figures.customers));
    expect(await cell("repeatRate")).toBe(formatPercent(figures.repeatRate));
    expect(await cell("netRevenue")).toBe(formatMoney(figures.netRevenue, "USD"));
    expect(await cell("predictedClv")).toBe(formatMoney(figures.clv, "USD"));
  }
}

function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  const offlineCdn = (url: string | undefined) => Boolean(url) && new URL(url!).hostname === "cdn.shopify.com";
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !offlineCdn(message.location().url)) errors.push(message.text());
  });
  return errors;
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

describe.skipIf(!hasChromium)("the loyalty pages in a browser", () => {
  const running = demoInBrowser();

  it("shows the results, changes the program by keyboard, and adjusts a member's points", async () => {
    const { DEMO_SHOP } = await import("~/demo/demo-store.server");
    const { default: prisma } = await import("~/db.server");
    await ensureProgram(DEMO_SHOP);
    const page = await newMerchantPage(running.browser);
    const errors = collectPageErrors(page);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.goto(running.demo.url);
    await page.waitForSelector('[data-figure="customers"]');

    // Loyalty results, through the nav menu: worked out in the background the first time.
    await page.locator("ui-nav-menu a", { hasText: loyaltyStrings.nav.results }).click();
    await page.waitForURL((url) => url.pathname === "/app/loyalty/results");
    await page.waitForSelector('[data-flow="issued"][data-scope="allTime"]', { timeout: 60_000 });
    const expected = await expectedResults(DEMO_SHOP);
    // The demo's history ends yesterday, so its last 30 days have points to show.
    expect(expected.flows.issued.period).toBeGreaterThan(0);
    await expectResultsShown(page, expected);
    expect(await page.locator('[data-state="self-selection"]').innerText()).toBe(loyaltyStrings.results.caveat);
    await page.locator('[data-series="issued"]').first().waitFor({ state: "attached" });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "loyalty-results.png"), fullPage: true });

    // Another period, chosen by keyboard in the select.
    await page.locator("#period").focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForURL((url) => url.searchParams.get("period") !== null);
    await page.waitForSelector(`th:has-text("${loyaltyStrings.results.periods[90]}")`);

    // Loyalty program: a mistake, its message at the field, then the fix, by keyboard alone.
    await page.locator("ui-nav-menu a", { hasText: loyaltyStrings.nav.program }).click();
    await page.waitForURL((url) => url.pathname === "/app/loyalty");
    await page.waitForSelector('[data-preview="earn"]');
    const before = await prisma.loyaltyProgram.findFirstOrThrow({ where: { shop: { shopDomain: DEMO_SHOP } } });
    const taxBefore = (before.settings as { includeTax: boolean }).includeTax;
    await page.locator("#enabled").focus();
    await page.keyboard.press("Tab");
    expect(await activeId(page)).toBe("earnRate");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("ten");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-problem="earnRate"]');
    expect(await page.locator("#earnRateError").innerText()).toContain("Earn rate must be a number, like 0.1.");
    expect(await page.locator('[data-preview="state"]').innerText()).toBe(loyaltyStrings.program.previewStale);
    // The summary has the focus; its link takes the keyboard back to the field.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await activeId(page)).toBe("earnRate");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("0.1");
    await expect.poll(() => shown(page, '[data-preview="earn"]')).toBe(loyaltyStrings.preview.earn("1", 1, "$10"));
    await page.keyboard.press("Tab");
    expect(await activeId(page)).toBe("includeTax");
    await page.keyboard.press("Space");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: loyaltyStrings.program.saved }).waitFor();

    const after = await prisma.loyaltyProgram.findFirstOrThrow({ where: { shop: { shopDomain: DEMO_SHOP } } });
    expect(after.version).toBe(before.version + 1);
    expect(after.settings).toMatchObject({ earnRate: "0.1", includeTax: !taxBefore });
    expect(after.updatedBy).toBe(DEMO_STAFF);
    const change = await prisma.loyaltyProgramChange.findFirstOrThrow({
      where: { shopId: after.shopId },
      orderBy: { version: "desc" },
    });
    expect([change.version, change.staffMember]).toEqual([after.version, DEMO_STAFF]);
    await page.waitForSelector(`[data-change-version="${after.version}"]`);
    expect(await shown(page, `[data-change-staff="${after.version}"]`)).toBe(DEMO_STAFF);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "loyalty-program.png"), fullPage: true });

    // The member with the most points: their card, then an adjustment of +25 made by keyboard.
    const member = await prisma.loyaltyAccount.findFirstOrThrow({
      where: { shop: { shopDomain: DEMO_SHOP }, owedPoints: 0 },
      orderBy: [{ pointsBalance: "desc" }, { customerId: "asc" }],
    });
    await page.goto(`${running.demo.url}?path=/app/customers/${member.customerId}`);
    await page.waitForSelector('[data-figure="pointsBalance"]');
    expect(await shown(page, '[data-figure="pointsBalance"]')).toBe(formatCount(member.pointsBalance));
    expect(await shown(page, '[data-figure="pendingPoints"]')).toBe(formatCount(member.pendingPoints));
    expect(await shown(page, '[data-figure="owedPoints"]')).toBe(formatCount(member.owedPoints));
    const newest = await prisma.ledgerEntry.findFirstOrThrow({
      where: { customerId: member.customerId },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    });
    await page.waitForSelector(`[data-entry="${newest.id}"]`);
    const resultsBefore = await expectedResults(DEMO_SHOP);

    await page.locator("#adjust-points").focus();
    await page.keyboard.type("25");
    await page.keyboard.press("Tab");
    expect(await activeId(page)).toBe("adjust-reason");
    await page.keyboard.type("Parcel arrived late");
    await page.keyboard.press("Enter");
    await page
      .getByRole("status")
      .filter({ hasText: loyaltyStrings.customer.adjusted(formatCount(member.pointsBalance + 25)) })
      .waitFor();
    await expect.poll(() => shown(page, '[data-figure="pointsBalance"]')).toBe(formatCount(member.pointsBalance + 25));
    const adjustment = await prisma.ledgerEntry.findFirstOrThrow({
      where: { customerId: member.customerId, kind: "adjustment", reason: "Parcel arrived late" },
    });
    expect([adjustment.points, adjustment.staffMember]).toEqual([25, DEMO_STAFF]);
    expect(await shown(page, `[data-entry="${adjustment.id}"]`)).toContain(
      loyaltyStrings.customer.staff(DEMO_STAFF, "Parcel arrived late"),
    );
    expect(await shown(page, `[data-entry-points="${adjustment.id}"]`)).toBe("+25");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "loyalty-customer.png"), fullPage: true });

    // The results count the adjustment at once.
    await page.locator("ui-nav-menu a", { hasText: loyaltyStrings.nav.results }).click();
    await page.waitForURL((url) => url.pathname === "/app/loyalty/results");
    await page.waitForSelector('[data-flow="issued"][data-scope="allTime"]');
    const resultsAfter = await expectedResults(DEMO_SHOP);
    expect(resultsAfter.flows.issued.allTime).toBe(resultsBefore.flows.issued.allTime + 25);
    expect(resultsAfter.outstanding).toBe(resultsBefore.outstanding + 25);
    await expectResultsShown(page, resultsAfter);
    // The one refused save answered 400, which the browser logs; nothing else went wrong.
    const refusedSave = "Failed to load resource: the server responded with a status of 400 (Bad Request)";
    expect(errors).toEqual([refusedSave]);
  });
});

// The Segments and Model accuracy pages as a merchant reaches them: from the demo's home page,
// through the nav menu (client-side navigation, data fetched with App Bridge's session token),
// showing the figures the database holds, with the charts drawn and no errors in the page.
import fs from "node:fs";
import path from "node:path";

import type { Page } from "playwright-core";

import { describe, expect, it } from "vitest";

import { formatMoney, formatPercent } from "~/components/ui/format";

import { hasChromium, demoInBrowser, newMerchantPage, SCREENSHOT_DIR } from "../helpers/browser";

if (!hasChromium) console.warn("Skipping browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium).");

interface StoredSegment {
  id: string;
  name: string;
  customers: number;
  shareOfCustomers: number;
  netRevenue: number;
  shareOfNetRevenue: number;
  predictedClv: number | null;
  customersWithPrediction: number;
}

interface StoredInsight {
  currencyCode: string;
  segments: StoredSegment[];
  repeatPurchaseRate: { repeatPurchaseRate: number | null };
  backtest: { comparison: { summary: string; predicted: number; actual: number } };
}

async function storedInsight(): Promise<StoredInsight> {
  const { default: prisma } = await import("~/db.server");
  const { DEMO_SHOP } = await import("~/demo/demo-store.server");
  const insight = await prisma.shopInsight.findFirstOrThrow({ where: { shop: { shopDomain: DEMO_SHOP } } });
  return insight.data as unknown as StoredInsight;
}

// Uncaught errors, console errors and failed loads. App Bridge's real script (cdn.shopify.com,
// loaded by the app's AppProvider) cannot load offline and the demo's stand-in replaces it; any
// other failure counts, except a request aborted by the test's own navigation.
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  const offlineCdn = (url: string | undefined) => Boolean(url) && new URL(url!).hostname === "cdn.shopify.com";
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !offlineCdn(message.location().url)) errors.push(message.text());
  });
  page.on("requestfailed", (request) => {
    // A request the page itself dropped (Remix's route discovery cut short by page.goto) is not
    // a failure; anything else is.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    if (!offlineCdn(request.url())) errors.push(`failed to load ${request.url()} (${request.failure()?.errorText})`);
  });
  return errors;
}

// Marks the document so a full page load (which would drop the mark) is detected.
async function markDocument(page: Page) {
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
}

async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
}

describe.skipIf(!hasChromium)("the insight pages in a browser", () => {
  const running = demoInBrowser();

  it("shows the stored segments, then the model's accuracy, reached through the nav menu", async () => {
    const page = await newMerchantPage(running.browser);
    const errors = collectPageErrors(page);
    await page.goto(running.demo.url);
    await page.waitForSelector('[data-figure="repeatPurchaseRate"]');
    await markDocument(page);
    const insight = await storedInsight();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });

    // Segments.
    await page.locator("ui-nav-menu a", { hasText: "Segments" }).click();
    await page.waitForSelector('[data-segment="champions"][data-figure="customers"]');
    expect(new URL(page.url()).pathname).toBe("/app/segments");
    expect(await stillSameDocument(page)).toBe(true);
    const figure = (id: string, name: string) =>
      page.locator(`[data-segment="${id}"][data-figure="${name}"]`).first().innerText();
    const money = (amount: number | null) => formatMoney(amount, insight.currencyCode);
    for (const segment of insight.segments) {
      expect(await figure(segment.id, "name")).toBe(segment.name);
      expect(await figure(segment.id, "customers")).toBe(segment.customers.toLocaleString("en-US"));
      expect(await figure(segment.id, "shareOfCustomers")).toBe(formatPercent(segment.shareOfCustomers));
      expect(await figure(segment.id, "netRevenue")).toBe(money(segment.netRevenue));
      expect(await figure(segment.id, "shareOfNetRevenue")).toBe(formatPercent(segment.shareOfNetRevenue));
      expect(await figure(segment.id, "predictedClv")).toBe(
        money(segment.customersWithPrediction > 0 ? segment.predictedClv! / segment.customersWithPrediction : null),
      );
    }
    expect(insight.segments.reduce((sum, segment) => sum + segment.customers, 0)).toBeGreaterThan(5000);
    expect(await page.locator('[data-figure="repeatPurchaseRate"]').innerText()).toBe(
      formatPercent(insight.repeatPurchaseRate.repeatPurchaseRate),
    );
    // The cohort heatmap is a real table with its values as text; the charts are drawn.
    const heatmap = page.locator('[data-chart="cohort-heatmap"]');
    expect(await heatmap.locator('th[scope="row"]').count()).toBe(12);
    expect(await heatmap.locator("td").first().innerText()).toMatch(/^[\d,]+$/);
    await page.waitForFunction(() => document.querySelectorAll('[role="group"] svg').length >= 3);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "segments.png"), fullPage: true });

    // Model accuracy.
    await page.locator("ui-nav-menu a", { hasText: "Model accuracy" }).click();
    await page.waitForSelector('[data-figure="backtestSummary"]');
    expect(new URL(page.url()).pathname).toBe("/app/model-accuracy");
    expect(await stillSameDocument(page)).toBe(true);
    const comparison = insight.backtest.comparison;
    expect(await page.locator('[data-figure="backtestSummary"]').innerText()).toBe(comparison.summary);
    expect(await page.locator('[data-figure="predictedRepeatOrders"]').innerText()).toBe(
      Math.round(comparison.predicted).toLocaleString("en-US"),
    );
    expect(await page.locator('[data-figure="actualRepeatOrders"]').innerText()).toBe(
      comparison.actual.toLocaleString("en-US"),
    );
    await page.waitForFunction(() => document.querySelectorAll('[role="group"] svg').length >= 1);

    // The analysts' details open from the keyboard.
    const toggle = page.getByRole("button", { name: "Show details for analysts" });
    await toggle.focus();
    await page.keyboard.press("Enter");
    await page.locator('[data-param="alpha"]').first().waitFor({ state: "visible" });
    expect(await page.getByRole("button", { name: "Hide details for analysts" }).getAttribute("aria-expanded")).toBe(
      "true",
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "model-accuracy.png"), fullPage: true });

    expect(errors).toEqual([]);
  });

  it("renders both pages on the server and hydrates them without errors (direct links)", async () => {
    const page = await newMerchantPage(running.browser);
    const errors = collectPageErrors(page);
    const insight = await storedInsight();

    await page.goto(`${running.demo.url}?path=/app/segments`);
    await page.waitForSelector('[data-segment="lost"][data-figure="customers"]');
    expect(await page.locator('[data-segment="lost"][data-figure="customers"]').innerText()).toBe(
      insight.segments.find((segment) => segment.id === "lost")!.customers.toLocaleString("en-US"),
    );
    // Charts draw once hydrated, which also shows the page's scripts ran.
    await page.waitForFunction(() => document.querySelectorAll('[role="group"] svg').length >= 3);

    await page.goto(`${running.demo.url}?path=/app/model-accuracy`);
    await page.waitForSelector('[data-figure="backtestSummary"]');
    expect(await page.locator('[data-figure="backtestSummary"]').innerText()).toBe(insight.backtest.comparison.summary);
    await page.waitForFunction(() => document.querySelectorAll('[role="group"] svg').length >= 1);
    expect(errors).toEqual([]);
  });
});

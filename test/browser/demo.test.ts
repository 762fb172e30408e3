// The demo as a person sees it: Chromium opens the printed demo URL, which goes through the real
// session-token authentication, and the home page shows the figures the database holds.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { formatMoney, formatPercent } from "~/lib/format";
import { loadShopOverview } from "~/services/shop-overview.server";

import { hasChromium, demoInBrowser, newMerchantPage, SCREENSHOT_DIR } from "../helpers/browser";

if (!hasChromium) console.warn("Skipping browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium).");

describe.skipIf(!hasChromium)("the demo in a browser", () => {
  const running = demoInBrowser();

  it("opens the embedded admin home with the database's figures", async () => {
    const page = await newMerchantPage(running.browser);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(running.demo.url);
    await page.waitForSelector('[data-metric="repeatPurchaseRate"]');
    expect(new URL(page.url()).pathname).toBe("/app");

    const { DEMO_SHOP } = await import("~/services/demo-store.server");
    const overview = (await loadShopOverview(DEMO_SHOP))!;
    const shown = async (metric: string) => page.locator(`[data-metric="${metric}"]`).innerText();
    expect(await shown("customers")).toBe(overview.customers.toLocaleString("en-US"));
    expect(await shown("orders")).toBe(overview.orders.toLocaleString("en-US"));
    expect(await shown("repeatPurchaseRate")).toBe(formatPercent(overview.repeatPurchaseRate));
    expect(await shown("averageOrderValue")).toBe(formatMoney(overview.averageOrderValue, "USD"));
    expect(await shown("averageNetRevenuePerCustomer")).toBe(formatMoney(overview.averageNetRevenuePerCustomer, "USD"));
    expect(overview.customers).toBeGreaterThan(5000);

    // The CLV card shows the stored insight of the demo's refresh.
    const { loadClvSummary } = await import("~/services/clv-summary.server");
    const clv = (await loadClvSummary(DEMO_SHOP))!;
    expect(clv.averagePredictedClv).toBeGreaterThan(0);
    expect(await shown("averageHistoricalClv")).toBe(formatMoney(clv.averageHistoricalClv, "USD"));
    expect(await shown("averagePredictedClv")).toBe(formatMoney(clv.averagePredictedClv, "USD"));
    expect(await shown("modelAccuracy")).toBe(`Model accuracy: ${clv.accuracy!.summary}`);
    expect(await shown("atRisk")).toBe(
      `${clv.atRisk!.customers.toLocaleString("en-US")} valuable customers are slipping away, worth ` +
        `${formatMoney(clv.atRisk!.predictedClv, "USD")} over the next 12 months.`,
    );
    expect(overview.orders).toBeGreaterThan(14000);

    // The App Bridge stand-in authenticates the app's own fetches with a session token, as the
    // admin does, so client-side data loads work too.
    const status = await page.evaluate(async () => (await fetch("/app.data")).status);
    expect(status).toBe(200);
    const unauthenticated = await page.evaluate(
      async () => (await window.fetch.call(window, "/demo/session-token")).status,
    );
    expect(unauthenticated).toBe(200);

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "home.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});

// The demo as a person sees it: Chromium opens the printed demo URL, which goes through the real
// session-token authentication, and the home page shows the figures the database holds.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { formatMoney, formatPercent } from "~/components/ui/format";
import { loadShopOverview } from "~/insight/shop-overview.server";
import { homeStrings } from "~/strings/home";
import { insightStrings } from "~/strings/insight";

import { hasChromium, demoInBrowser, newMerchantPage, SCREENSHOT_DIR } from "../helpers/browser";

if (!hasChromium) console.warn("Skipping browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium).");

describe.skipIf(!hasChromium)("the demo in a browser", () => {
  const running = demoInBrowser();

  it("opens the embedded admin home with the database's figures", async () => {
    const page = await newMerchantPage(running.browser);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(running.demo.url);
    await page.waitForSelector('[data-figure="repeatPurchaseRate"]');
    expect(new URL(page.url()).pathname).toBe("/app");

    const { DEMO_SHOP } = await import("~/demo/demo-store.server");
    const overview = (await loadShopOverview(DEMO_SHOP))!;
    const shown = async (figure: string) => page.locator(`[data-figure="${figure}"]`).innerText();
    expect(await shown("customers")).toBe(overview.customers.toLocaleString("en-US"));
    expect(await shown("orders")).toBe(overview.orders.toLocaleString("en-US"));
    expect(await shown("repeatPurchaseRate")).toBe(formatPercent(overview.repeatPurchaseRate));
    expect(await shown("averageOrderValue")).toBe(formatMoney(overview.averageOrderValue, "USD"));
    expect(await shown("averageNetRevenuePerCustomer")).toBe(formatMoney(overview.averageNetRevenuePerCustomer, "USD"));
    expect(overview.customers).toBeGreaterThan(5000);

    // The CLV card shows the stored insight of the demo's refresh.
    const { loadClvSummary } = await import("~/insight/clv-summary.server");
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

  it("shows the charts and each figure's change from the stored analysis, and works by keyboard", async () => {
    const page = await newMerchantPage(running.browser);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(running.demo.url);
    await page.waitForSelector('[data-chart="cohort-heatmap"]');

    const { default: prisma } = await import("~/db.server");
    const { DEMO_SHOP } = await import("~/demo/demo-store.server");
    const insight = await prisma.shopInsight.findFirstOrThrow({ where: { shop: { shopDomain: DEMO_SHOP } } });
    const data = insight.data as unknown as StoredInsight;
    const overview = (await loadShopOverview(DEMO_SHOP))!;
    const shown = async (selector: string) => (await page.locator(selector).first().innerText()).trim();

    // The cohort heatmap: a row per first-order month, each cell's share as text.
    const heatmap = page.locator('[data-chart="cohort-heatmap"]');
    expect(await heatmap.locator('th[scope="row"]').count()).toBe(data.cohorts.length);
    const cohort = data.cohorts.find((row) => row.returnedShare.length > 3)!;
    const cells = await heatmap.locator("tbody tr").nth(data.cohorts.indexOf(cohort)).locator("td").allInnerTexts();
    expect(cells.slice(0, 1 + cohort.returnedShare.length)).toEqual([
      cohort.customers.toLocaleString("en-US"),
      ...cohort.returnedShare.map((share) => formatPercent(share)),
    ]);
    // The two bar charts' figures, and the charts drawn after hydration.
    const segments = insightStrings.segments;
    expect(await shown('[data-figure="clvDistributionSummary"]')).toBe(
      segments.distributionHelp(
        formatMoney(data.clvDistribution.mean, "USD"),
        formatMoney(data.clvDistribution.median, "USD"),
      ),
    );
    expect(await shown('[data-figure="medianDaysToSecondOrder"]')).toBe(
      segments.daysHelp(data.daysToSecondOrder.medianDays.toLocaleString("en-US", { maximumFractionDigits: 1 })),
    );
    await page.waitForFunction(() => document.querySelectorAll('[role="group"] svg').length >= 2);

    // Changes against the previous period the analysis stored; without one (an analysis made
    // before the previous period was stored), the repeat rate's change over its monthly trend.
    const since = (iso: string) =>
      new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
    const text = homeStrings.change;
    const pointsText = (now: number, before: number, at: string) => {
      const points = Math.abs(now - before) * 100;
      if (points < 0.05) return text.none(since(at));
      return (now > before ? text.up : text.down)(text.points(points.toFixed(1)), null, since(at));
    };
    const previous = data.previousPeriod;
    if (previous) {
      // The demo's store keeps gaining customers up to yesterday.
      expect(overview.customers).toBeGreaterThan(previous.customers);
      expect(await shown('[data-change="repeatPurchaseRate"]')).toBe(
        pointsText(overview.repeatPurchaseRate!, previous.repeatPurchaseRate!, previous.asOf),
      );
      const customers = overview.customers - previous.customers;
      expect(await shown('[data-change="customers"]')).toBe(
        customers === 0
          ? text.none(since(previous.asOf))
          : (customers > 0 ? text.up : text.down)(
              Math.abs(customers).toLocaleString("en-US"),
              formatPercent(Math.abs(customers) / previous.customers),
              since(previous.asOf),
            ),
      );
      expect(await page.locator("[data-change]").count()).toBe(6);
    } else {
      const monthEnds = data.repeatPurchaseRateTrend.slice(0, -1).filter((point) => {
        const [year, month] = point.month.split("-").map(Number);
        return Date.UTC(year, month, 1) < insight.asOf.getTime();
      });
      const point = monthEnds.at(-1)!;
      const [year, month] = point.month.split("-").map(Number);
      expect(await shown('[data-change="repeatPurchaseRate"]')).toBe(
        pointsText(
          overview.repeatPurchaseRate!,
          point.repeatPurchaseRate!,
          new Date(Date.UTC(year, month, 1)).toISOString(),
        ),
      );
      expect(await page.locator("[data-change]").count()).toBe(1);
    }

    // By keyboard: Tab reaches the heatmap (a scrollable region), and a chart's figures table
    // opens with Enter.
    let reached = false;
    for (let press = 0; press < 60 && !reached; press++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(
        () =>
          document.activeElement?.querySelector('[data-chart="cohort-heatmap"]') !== null &&
          document.activeElement?.getAttribute("role") === "region",
      );
    }
    expect(reached).toBe(true);
    const summary = page.locator("summary", { hasText: insightStrings.common.showTable }).first();
    await summary.focus();
    await page.keyboard.press("Enter");
    expect(await summary.evaluate((element) => (element.parentElement as HTMLDetailsElement).open)).toBe(true);

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "home-charts.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});

interface StoredInsight {
  cohorts: { month: string; customers: number; returnedShare: number[] }[];
  clvDistribution: { mean: number; median: number };
  daysToSecondOrder: { medianDays: number };
  repeatPurchaseRateTrend: { month: string; repeatPurchaseRate: number | null }[];
  previousPeriod?: { asOf: string; customers: number; repeatPurchaseRate: number | null };
}

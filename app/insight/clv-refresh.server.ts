// The CLV refresh of one shop: load its counted orders as columns, fit BG/NBD and Gamma-Gamma,
// score every customer, backtest on a holdout window, and store the predictions and the shop's
// insight. Runs as a background job (insight/clv-jobs.server.ts). A refresh that fails records
// its error and leaves the previous predictions as they were (they are written in one transaction).
import pg from "pg";

import prisma, { databaseUrl } from "~/db.server";
import { fitClvModel, forecastCustomers, type ClvFit } from "~/core/clv";
import { summarizeOrderColumns, type OrderColumnsByCustomer } from "~/core/clv/columns";
import { backtestComparison } from "~/core/metrics/backtest";
import { customerRollupsFromOrders } from "~/core/metrics/customer-metrics";
import { clvDistribution, clvPercentiles, daysToSecondOrder } from "~/core/metrics/distribution";
import { predictedTwelveMonthClvColumns } from "~/core/metrics/predicted-clv";
import { AT_RISK, isAtRisk } from "~/core/metrics/at-risk";
import { previousPeriodFigures } from "~/core/metrics/previous-period";
import {
  cohortTable,
  repeatPurchaseRate,
  repeatPurchaseRateTrend,
  returnWithinDays,
  simpleClvFormula,
} from "~/core/metrics/retention";
import { NO_SEGMENT, rfmSegmentation, SEGMENTS, segmentSizes } from "~/core/metrics/rfm";
import { countShopTotals } from "~/insight/shop-overview.server";
import { countedOrderSql } from "~/core/orders/net-revenue";
import { seededRandom } from "~/core/random/seeded";

const DAY = 86_400_000;
const CUSTOMER_PAGE = 50_000;
const COUNTED = countedOrderSql("o");
const WRITE_CHUNK = 10_000;
// The backtest holds out the last 26 weeks (less for a young shop: a third of its history).
const HOLDOUT_DAYS = 182;

export interface ClvRefreshResult {
  runId: string;
  status: "completed" | "insufficient" | "failed";
  customers: number;
  orders: number;
  message: string | null;
  phases: Record<string, number>;
}

interface LoadedOrders {
  customerIds: string[];
  orders: OrderColumnsByCustomer;
}

// Counted orders of the shop's customers, sorted by customer and time, read a page of customers
// at a time so neither side ever holds millions of row objects.
async function loadOrders(client: pg.Client, shopId: string): Promise<LoadedOrders> {
  const { rows: countRows } = await client.query<{ orders: string; customers: string }>(
    `SELECT (SELECT count(*) FROM "Order" o WHERE o."shopId" = $1 AND o."customerId" IS NOT NULL
                AND ${COUNTED}) AS orders,
            (SELECT count(*) FROM "Customer" WHERE "shopId" = $1) AS customers`,
    [shopId],
  );
  const capacity = Number(countRows[0].orders);
  const orders: OrderColumnsByCustomer = {
    customer: new Int32Array(capacity),
    processedAt: new Float64Array(capacity),
    netRevenue: new Float64Array(capacity),
    length: 0,
  };
  const customerIds: string[] = [];
  let after = "";
  for (;;) {
    const page = await client.query<[string]>({
      text: `SELECT "id" FROM "Customer" WHERE "shopId" = $1 AND "id" > $2 ORDER BY "id" LIMIT $3`,
      values: [shopId, after, CUSTOMER_PAGE],
      rowMode: "array",
    });
    if (page.rows.length === 0) break;
    const first = customerIds.length;
    const indexOf = new Map<string, number>();
    for (const [id] of page.rows) {
      indexOf.set(id, customerIds.length);
      customerIds.push(id);
    }
    const last = page.rows[page.rows.length - 1][0];
    const rows = await client.query<[string, number, number]>({
      text: `SELECT o."customerId", extract(epoch FROM o."processedAt")::float8 * 1000, o."netRevenue"::float8
               FROM "Order" o
              WHERE o."shopId" = $1 AND o."customerId" >= $2 AND o."customerId" <= $3
                AND ${COUNTED}
              ORDER BY o."customerId", o."processedAt"`,
      values: [shopId, customerIds[first], last],
      rowMode: "array",
    });
    for (const [customerId, processedAt, netRevenue] of rows.rows) {
      const index = indexOf.get(customerId);
      if (index === undefined || orders.length >= capacity) continue; // a customer or order added meanwhile
      orders.customer[orders.length] = index;
      orders.processedAt[orders.length] = processedAt;
      orders.netRevenue[orders.length] = netRevenue;
      orders.length++;
    }
    after = last;
    if (page.rows.length < CUSTOMER_PAGE) break;
  }
  return { customerIds, orders };
}

// The models have four population parameters (and three for spend): a seeded random sample of
// this many customers pins them to about a percent, while fitting a million customers' distinct
// histories would take tens of seconds. Every customer is still scored (docs/decisions/004).
export const FIT_SAMPLE_CUSTOMERS = 50_000;

function fitPeriod(orders: OrderColumnsByCustomer, customerCount: number, calibrationEnd: number, holdoutEnd?: number) {
  const summaries = summarizeOrderColumns(orders, customerCount, { calibrationEnd, holdoutEnd, timeUnit: "week" });
  let eligible = 0;
  for (let i = 0; i < customerCount; i++) eligible += summaries.inCalibration[i];
  const sampleShare = Math.min(1, FIT_SAMPLE_CUSTOMERS / Math.max(1, eligible));
  const random = seededRandom(customerCount);
  const fitted: { x: number; tx: number; T: number; meanRepeatSpend: number }[] = [];
  for (let i = 0; i < customerCount; i++) {
    if (summaries.inCalibration[i] && (sampleShare === 1 || random.uniform() < sampleShare)) {
      fitted.push({
        x: summaries.x[i],
        tx: summaries.tx[i],
        T: summaries.T[i],
        meanRepeatSpend: summaries.meanRepeatSpend[i],
      });
    }
  }
  return { summaries, fit: fitClvModel(fitted, { timeUnit: "week" }), sampledCustomers: fitted.length, eligible };
}

const finite = (value: number) => (Number.isFinite(value) ? value : null);

function describeFit(fit: ClvFit) {
  return {
    model: fit.model?.purchases.kind ?? null,
    params: fit.model ? { ...fit.model.purchases.params } : null,
    logLikelihood: fit.purchaseFit?.logLikelihood ?? null,
    spendParams: fit.model?.spend ? { ...fit.model.spend } : null,
  };
}

export async function refreshClv(
  shopDomain: string,
  options: { trigger: string; asOf?: Date },
): Promise<ClvRefreshResult> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain } });
  const asOf = options.asOf ?? new Date();
  const run = await prisma.clvRun.create({ data: { shopId: shop.id, status: "running", trigger: options.trigger } });
  const phases: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] = Number(((performance.now() - started) / 1000).toFixed(3));
    }
  };
  const client = new pg.Client({ connectionString: await databaseUrl() });
  await client.connect();
  try {
    const { customerIds, orders } = await timed("load", () => loadOrders(client, shop.id));
    const totals = await timed("totals", () => countShopTotals(shop.id));
    const customerCount = customerIds.length;
    const asOfMs = asOf.getTime();

    const { summaries, fit, sampledCustomers, eligible } = await timed("fit", () =>
      fitPeriod(orders, customerCount, asOfMs),
    );
    const settings = { grossMargin: Number(shop.grossMargin), annualDiscountRate: Number(shop.annualDiscountRate) };

    const scores = await timed("score", () => {
      const rollups = customerRollupsFromOrders(orders, customerCount, asOf);
      const rfm = rfmSegmentation(rollups, asOf);
      let expected90: Float64Array | null = null;
      let expected365: Float64Array | null = null;
      let probabilityAlive: Float64Array | null = null;
      let predictedClv: Float64Array = new Float64Array(customerCount).fill(NaN);
      if (fit.model) {
        const columns = {
          x: summaries.x,
          tx: summaries.tx,
          T: summaries.T,
          meanRepeatSpend: summaries.meanRepeatSpend,
        };
        const in90 = forecastCustomers(fit.model, columns, 90);
        const in365 = forecastCustomers(fit.model, columns, 365);
        expected90 = in90.expectedOrders;
        expected365 = in365.expectedOrders;
        probabilityAlive = in365.probabilityAlive;
        // Without a spend model, a customer's own average order value stands in.
        const ownAverage = Float64Array.from(rollups.netRevenue, (revenue, i) =>
          rollups.ordersCount[i] > 0 ? revenue / rollups.ordersCount[i] : NaN,
        );
        predictedClv = predictedTwelveMonthClvColumns(in365, settings, ownAverage);
        for (let i = 0; i < customerCount; i++) {
          if (!summaries.inCalibration[i]) {
            expected90[i] = NaN;
            expected365[i] = NaN;
            probabilityAlive[i] = NaN;
            predictedClv[i] = NaN;
          }
        }
      }
      return {
        rollups,
        rfm,
        expected90,
        expected365,
        probabilityAlive,
        predictedClv,
        percentiles: clvPercentiles(predictedClv),
      };
    });

    const backtest = await timed("backtest", () => {
      const historyDays = orders.length ? (asOfMs - earliestOrderTime(orders)) / DAY : 0;
      const holdoutDays = Math.min(HOLDOUT_DAYS, Math.floor(historyDays / 3));
      if (holdoutDays < 28) return null;
      const calibrationEnd = asOfMs - holdoutDays * DAY;
      const period = fitPeriod(orders, customerCount, calibrationEnd, asOfMs);
      if (!period.fit.model) return null;
      const predicted = forecastCustomers(
        period.fit.model,
        { x: period.summaries.x, tx: period.summaries.tx, T: period.summaries.T },
        holdoutDays,
      ).expectedOrders;
      const inCalibration = (column: Float64Array) => column.filter((_, i) => period.summaries.inCalibration[i] === 1);
      return {
        holdoutDays,
        calibrationEnd: new Date(calibrationEnd).toISOString(),
        ...describeFit(period.fit),
        comparison: backtestComparison(
          {
            calibrationRepeatOrders: inCalibration(period.summaries.x),
            predictedHoldoutRepeatOrders: inCalibration(predicted),
            actualHoldoutRepeatOrders: inCalibration(period.summaries.holdoutX),
          },
          { holdoutDays },
        ),
      };
    });

    const insight = await timed("insight", () => {
      const { rollups, rfm, predictedClv } = scores;
      let historicalSum = 0;
      let buyers = 0;
      let predictedSum = 0;
      let predictedCount = 0;
      // Valuable and slipping (core/metrics/at-risk.ts).
      const atRisk = { customers: 0, predictedClv: 0 };
      for (let i = 0; i < customerCount; i++) {
        if (rollups.ordersCount[i] > 0) {
          historicalSum += rollups.netRevenue[i];
          buyers++;
        }
        if (Number.isFinite(predictedClv[i])) {
          predictedSum += predictedClv[i];
          predictedCount++;
          const alive = scores.probabilityAlive?.[i] ?? NaN;
          if (isAtRisk({ clvPercentile: scores.percentiles[i], probabilityAlive: alive })) {
            atRisk.customers++;
            atRisk.predictedClv += predictedClv[i];
          }
        }
      }
      return {
        currencyCode: shop.currencyCode,
        // The home's headline figures, counted with this analysis (insight/shop-overview.server.ts).
        totals,
        customers: buyers,
        averageHistoricalClv: buyers ? historicalSum / buyers : null,
        averagePredictedClv: predictedCount ? predictedSum / predictedCount : null,
        atRisk,
        repeatPurchaseRate: repeatPurchaseRate(rollups, asOf),
        repeatPurchaseRateTrend: repeatPurchaseRateTrend(rollups, asOf, { months: 12 }),
        returnWithinDays: returnWithinDays(rollups, asOf),
        cohorts: cohortTable(orders, customerCount, asOf),
        daysToSecondOrder: daysToSecondOrder(rollups, asOf),
        clvDistribution: predictedCount ? clvDistribution(predictedClv) : null,
        segments: segmentSizes(rfm.segment, rollups.netRevenue, predictedClv),
        simpleFormula: simpleClvFormula(orders, customerCount, asOf),
        // The headline figures 30 days earlier, so the home can show each one's change.
        previousPeriod: previousPeriodFigures(orders, customerCount, asOf, {
          model: fit.model,
          settings,
          atRisk: AT_RISK,
        }),
        prediction: fit.model
          ? { ...describeFit(fit), settings, fittedOnCustomers: sampledCustomers, customersScored: eligible }
          : { model: null, reason: fit.sufficiency.reason },
      };
    });

    await timed("write", async () => {
      await client.query("BEGIN");
      try {
        for (let start = 0; start < customerCount; start += WRITE_CHUNK) {
          const end = Math.min(customerCount, start + WRITE_CHUNK);
          const slice = <T>(pick: (i: number) => T) => Array.from({ length: end - start }, (_, k) => pick(start + k));
          await client.query(
            `UPDATE "Customer" AS c
                SET "expectedOrders90d" = u.expected90, "expectedOrders365d" = u.expected365,
                    "probabilityAlive" = u.alive, "predictedClv365d" = round(u.clv::numeric, 2),
                    "clvPercentile" = u.percentile, "rfmSegment" = u.segment, "scoredAt" = $8
               FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::text[])
                    AS u(id, expected90, expected365, alive, clv, percentile, segment)
              WHERE c."id" = u.id`,
            [
              slice((i) => customerIds[i]),
              slice((i) => (scores.expected90 ? finite(scores.expected90[i]) : null)),
              slice((i) => (scores.expected365 ? finite(scores.expected365[i]) : null)),
              slice((i) => (scores.probabilityAlive ? finite(scores.probabilityAlive[i]) : null)),
              slice((i) => finite(scores.predictedClv[i])),
              slice((i) => finite(scores.percentiles[i])),
              slice((i) => (scores.rfm.segment[i] === NO_SEGMENT ? null : SEGMENTS[scores.rfm.segment[i]].id)),
              asOf,
            ],
          );
        }
        const data = JSON.stringify({ ...insight, backtest });
        await client.query(
          `INSERT INTO "ShopInsight" ("shopId", "computedAt", "asOf", "data") VALUES ($1, now(), $2, $3::jsonb)
           ON CONFLICT ("shopId") DO UPDATE SET "computedAt" = now(), "asOf" = EXCLUDED."asOf", "data" = EXCLUDED."data"`,
          [shop.id, asOf, data],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    });

    const status = fit.model ? "completed" : "insufficient";
    const described = describeFit(fit);
    await prisma.clvRun.update({
      where: { id: run.id },
      data: {
        status,
        model: described.model,
        params: described.params ?? undefined,
        logLikelihood: described.logLikelihood,
        spendParams: described.spendParams ?? undefined,
        customers: fit.sufficiency.customers,
        repeatCustomers: fit.sufficiency.repeatBuyers,
        backtest: backtest ? JSON.parse(JSON.stringify(backtest)) : undefined,
        message: fit.sufficiency.reason,
        phases,
        finishedAt: new Date(),
      },
    });
    return {
      runId: run.id,
      status,
      customers: customerCount,
      orders: orders.length,
      message: fit.sufficiency.reason,
      phases,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await prisma.clvRun.update({
      where: { id: run.id },
      data: { status: "failed", message, phases, finishedAt: new Date() },
    });
    return { runId: run.id, status: "failed", customers: 0, orders: 0, message, phases };
  } finally {
    await client.end();
  }
}

function earliestOrderTime(orders: OrderColumnsByCustomer): number {
  let earliest = Infinity;
  for (let i = 0; i < orders.length; i++) if (orders.processedAt[i] < earliest) earliest = orders.processedAt[i];
  return earliest;
}

// The shop's CLV figures for the admin, read from the insight the last refresh stored (never
// computed in a request).
import type { ShopInsight } from "@prisma/client";

import prisma from "~/db.server";

export interface ClvSummary {
  computedAt: string;
  currencyCode: string;
  averageHistoricalClv: number | null;
  averagePredictedClv: number | null;
  predictionReason: string | null;
  simpleFormula: {
    averagePurchaseValue: number | null;
    purchaseFrequency: number | null;
    customerLifespanYears: number | null;
    customerValue: number | null;
  } | null;
  accuracy: { summary: string; predicted: number; actual: number; holdoutDays: number } | null;
  atRisk: { customers: number; predictedClv: number } | null;
  // The repeat-purchase rate now and at the end of the previous month (the trend's last two points).
  repeatRateChange: { now: number; monthAgo: number } | null;
}

interface StoredInsight {
  currencyCode: string;
  averageHistoricalClv: number | null;
  averagePredictedClv: number | null;
  prediction: { model: string | null; reason?: string | null };
  simpleFormula: ClvSummary["simpleFormula"];
  backtest: { holdoutDays: number; comparison: { summary: string; predicted: number; actual: number } } | null;
  atRisk?: { customers: number; predictedClv: number };
  repeatPurchaseRateTrend?: { repeatPurchaseRate: number | null }[];
}

export async function loadClvSummary(shopDomain: string): Promise<ClvSummary | null> {
  return clvSummaryOf(await prisma.shopInsight.findFirst({ where: { shop: { shopDomain } } }));
}

// The summary of an insight row the caller has already read (the home reads it once).
export function clvSummaryOf(insight: ShopInsight | null): ClvSummary | null {
  if (!insight) return null;
  const data = insight.data as unknown as StoredInsight;
  const trend = data.repeatPurchaseRateTrend ?? [];
  const [monthAgo, now] = trend.slice(-2).map((point) => point.repeatPurchaseRate);
  return {
    atRisk: data.atRisk ?? null,
    repeatRateChange: trend.length >= 2 && now != null && monthAgo != null ? { now, monthAgo } : null,
    computedAt: insight.computedAt.toISOString(),
    currencyCode: data.currencyCode,
    averageHistoricalClv: data.averageHistoricalClv,
    averagePredictedClv: data.averagePredictedClv,
    predictionReason: data.prediction.model ? null : (data.prediction.reason ?? null),
    simpleFormula: data.simpleFormula,
    accuracy: data.backtest
      ? {
          summary: data.backtest.comparison.summary,
          predicted: data.backtest.comparison.predicted,
          actual: data.backtest.comparison.actual,
          holdoutDays: data.backtest.holdoutDays,
        }
      : null,
  };
}

// The Segments and Model accuracy pages' data: the insight the last CLV refresh stored
// (ShopInsight) and its run (ClvRun), read and validated, never recomputed from orders in a
// request. One function per page, so each loader makes one call.
//
// The stored JSON is checked against the shapes the refresh writes (core/metrics types): an
// insight written by an older version of the refresh shows an "analyse again" state instead of
// a page that breaks halfway down.
import { z } from "zod";

import prisma from "~/db.server";
import { SEGMENTS, type SegmentId } from "~/core/metrics/rfm";

const count = z.number();
const share = z.number().nullable();

const repeatPurchaseRateSchema = z.object({
  customers: count,
  repeatCustomers: count,
  repeatPurchaseRate: share,
});

const histogramBinSchema = z.object({
  from: z.number(),
  to: z.number().nullable(),
  label: z.string(),
  customers: count,
  share: z.number(),
});

const segmentIds = SEGMENTS.map((segment) => segment.id) as [SegmentId, ...SegmentId[]];

const segmentSizeSchema = z.object({
  id: z.enum(segmentIds),
  customers: count,
  shareOfCustomers: z.number(),
  netRevenue: z.number(),
  shareOfNetRevenue: z.number(),
  predictedClv: z.number().nullable(),
  customersWithPrediction: count,
});

const simpleFormulaSchema = z.object({
  periodStart: z.string(),
  periodEnd: z.string(),
  orders: count,
  netRevenue: z.number(),
  customers: count,
  averagePurchaseValue: z.number().nullable(),
  purchaseFrequency: z.number().nullable(),
  previousYearCustomers: count,
  retainedCustomers: count,
  retentionRate: share,
  customerLifespanYears: z.number().nullable(),
  customerValue: z.number().nullable(),
});

const paramsSchema = z.record(z.string(), z.number());

const fittedModelSchema = z.object({
  model: z.string(),
  params: paramsSchema,
  logLikelihood: z.number().nullable(),
  spendParams: paramsSchema.nullable(),
  settings: z.object({ grossMargin: z.number(), annualDiscountRate: z.number() }),
  fittedOnCustomers: count,
  customersScored: count,
});

const backtestBinSchema = z.object({
  label: z.string(),
  from: z.number(),
  to: z.number().nullable(),
  customers: count,
  predicted: z.number(),
  actual: z.number(),
  predictedPerCustomer: z.number().nullable(),
  actualPerCustomer: z.number().nullable(),
  absolutePercentageError: z.number().nullable(),
});

const backtestSchema = z.object({
  holdoutDays: z.number(),
  calibrationEnd: z.string(),
  model: z.string().nullable(),
  params: paramsSchema.nullable(),
  logLikelihood: z.number().nullable(),
  spendParams: paramsSchema.nullable(),
  comparison: z.object({
    bins: z.array(backtestBinSchema),
    customers: count,
    predicted: z.number(),
    actual: z.number(),
    actualVersusPredicted: z.number().nullable(),
    meanAbsolutePercentageError: z.number().nullable(),
    meanAbsoluteErrorPerCustomer: z.number().nullable(),
    summary: z.string(),
  }),
});

// The headline figures a period before the analysis (core/metrics/previous-period.ts); absent
// from insights stored before the refresh computed them.
const previousPeriodSchema = z.object({
  asOf: z.string(),
  days: z.number(),
  customers: count,
  repeatCustomers: count,
  repeatPurchaseRate: share,
  averageHistoricalClv: z.number().nullable(),
  averagePredictedClv: z.number().nullable(),
  atRisk: z.object({ customers: count, predictedClv: z.number() }).nullable(),
});

const storedInsightSchema = z.object({
  currencyCode: z.string(),
  averagePredictedClv: z.number().nullable(),
  repeatPurchaseRate: repeatPurchaseRateSchema,
  repeatPurchaseRateTrend: z.array(repeatPurchaseRateSchema.extend({ month: z.string() })),
  returnWithinDays: z.array(z.object({ days: z.number(), eligibleCustomers: count, returnedCustomers: count, share })),
  cohorts: z.array(
    z.object({
      month: z.string(),
      customers: count,
      returnedShare: z.array(z.number()),
      netRevenuePerCustomer: z.array(z.number()),
    }),
  ),
  daysToSecondOrder: z.object({
    customers: count,
    medianDays: z.number().nullable(),
    bins: z.array(histogramBinSchema),
  }),
  clvDistribution: z
    .object({
      customers: count,
      total: z.number(),
      mean: z.number().nullable(),
      median: z.number().nullable(),
      bins: z.array(histogramBinSchema),
    })
    .nullable(),
  segments: z.array(segmentSizeSchema),
  simpleFormula: simpleFormulaSchema,
  prediction: z.union([fittedModelSchema, z.object({ model: z.null(), reason: z.string().nullable().optional() })]),
  backtest: backtestSchema.nullable(),
  previousPeriod: previousPeriodSchema.optional(),
});

type StoredInsight = z.infer<typeof storedInsightSchema>;
export type PreviousPeriod = z.infer<typeof previousPeriodSchema>;
export type HistogramBin = z.infer<typeof histogramBinSchema>;
export type BacktestBin = z.infer<typeof backtestBinSchema>;
export type SimpleFormula = z.infer<typeof simpleFormulaSchema>;

/** The latest run that did not finish, when it is newer than the insight shown. */
export interface FailedRun {
  message: string;
  startedAt: string;
}

interface NoInsight {
  state: "empty";
  failedRun: FailedRun | null;
}

interface OutdatedInsight {
  state: "outdated";
  computedAt: string;
}

interface InsightBasics {
  computedAt: string;
  currencyCode: string;
  failedRun: FailedRun | null;
}

export interface SegmentRow {
  id: SegmentId;
  name: string;
  description: string;
  whatToDo: string;
  customers: number;
  shareOfCustomers: number;
  netRevenue: number;
  shareOfNetRevenue: number;
  /** Average predicted 12-month CLV of the segment's customers with a prediction. */
  predictedClvPerCustomer: number | null;
}

export interface SegmentsPage extends InsightBasics {
  state: "ready";
  /** Why there are no predictions (too little data); the measured figures are still shown. */
  insufficientReason: string | null;
  segments: SegmentRow[];
  repeatPurchaseRate: StoredInsight["repeatPurchaseRate"];
  repeatPurchaseRateTrend: StoredInsight["repeatPurchaseRateTrend"];
  returnWithinDays: StoredInsight["returnWithinDays"];
  cohorts: StoredInsight["cohorts"];
  daysToSecondOrder: StoredInsight["daysToSecondOrder"];
  clvDistribution: StoredInsight["clvDistribution"];
}

export interface FittedModel {
  kind: string;
  params: Record<string, number>;
  logLikelihood: number | null;
  spendParams: Record<string, number> | null;
  grossMargin: number;
  annualDiscountRate: number;
  fittedOnCustomers: number;
  customersScored: number;
  /** From the run: repeat buyers among the customers fitted on. */
  repeatBuyers: number | null;
}

export interface Holdout {
  holdoutDays: number;
  calibrationEnd: string;
  summary: string;
  customers: number;
  predicted: number;
  actual: number;
  actualVersusPredicted: number | null;
  meanAbsolutePercentageError: number | null;
  meanAbsoluteErrorPerCustomer: number | null;
  bins: BacktestBin[];
  /** The calibration-only fit the test used. */
  params: Record<string, number> | null;
  logLikelihood: number | null;
}

interface ModelAccuracyBasics extends InsightBasics {
  simpleFormula: SimpleFormula;
}

export interface ModelAccuracyInsufficient extends ModelAccuracyBasics {
  state: "insufficient";
  reason: string;
}

export interface ModelAccuracyReady extends ModelAccuracyBasics {
  state: "ready";
  averagePredictedClv: number | null;
  model: FittedModel;
  /** Null when the history is too short to hold a period out. */
  holdout: Holdout | null;
}

export type SegmentsPageData = NoInsight | OutdatedInsight | SegmentsPage;
export type ModelAccuracyPageData = NoInsight | OutdatedInsight | ModelAccuracyInsufficient | ModelAccuracyReady;

/** What the home page shows of the stored insight besides its headline figures. */
export interface HomeInsight {
  state: "ready";
  computedAt: string;
  currencyCode: string;
  cohorts: StoredInsight["cohorts"];
  daysToSecondOrder: StoredInsight["daysToSecondOrder"];
  clvDistribution: StoredInsight["clvDistribution"];
  /** The headline figures a period earlier; null when this insight predates them. */
  previousPeriod: PreviousPeriod | null;
  /**
   * Without previousPeriod, the repeat-purchase rate at the last month end before the analysis
   * (from the stored trend), so that figure still shows a change.
   */
  repeatRateMonthEnd: { asOf: string; repeatPurchaseRate: number } | null;
}

export type HomeInsightData = { state: "empty" } | OutdatedInsight | HomeInsight;

// The instant a trend point's month ends (UTC, as the refresh computes the trend): "2026-10" ends
// at 2026-11-01T00:00Z.
function monthEnd(month: string): number {
  const [year, monthOfYear] = month.split("-").map(Number);
  return Date.UTC(year, monthOfYear, 1);
}

/**
 * The home page's part of an insight row the caller has already read (the home reads the shop
 * and its insight once), validated as the other pages validate theirs.
 */
export function homeInsightOf(insight: { computedAt: Date; asOf: Date; data: unknown } | null): HomeInsightData {
  if (!insight) return { state: "empty" };
  const parsed = storedInsightSchema.safeParse(insight.data);
  if (!parsed.success) return { state: "outdated", computedAt: insight.computedAt.toISOString() };
  const data = parsed.data;
  // The newest trend point that ended before the analysis: the last point is the analysis itself.
  const asOf = insight.asOf.getTime();
  const monthEndPoint = data.repeatPurchaseRateTrend
    .slice(0, -1)
    .filter((point) => monthEnd(point.month) < asOf && point.repeatPurchaseRate !== null)
    .at(-1);
  return {
    state: "ready",
    computedAt: insight.computedAt.toISOString(),
    currencyCode: data.currencyCode,
    cohorts: data.cohorts,
    daysToSecondOrder: data.daysToSecondOrder,
    clvDistribution: data.clvDistribution,
    previousPeriod: data.previousPeriod ?? null,
    repeatRateMonthEnd: monthEndPoint
      ? {
          asOf: new Date(monthEnd(monthEndPoint.month)).toISOString(),
          repeatPurchaseRate: monthEndPoint.repeatPurchaseRate!,
        }
      : null,
  };
}

const INSUFFICIENT_FALLBACK = "Too little data to fit the model.";

async function readInsight(shopDomain: string) {
  const shop = await prisma.shop.findUnique({
    where: { shopDomain },
    select: {
      insight: true,
      // The newest finished run: when it failed, the merchant should know the page is older.
      clvRuns: {
        where: { finishedAt: { not: null } },
        orderBy: { startedAt: "desc" },
        take: 1,
        select: { status: true, message: true, startedAt: true, repeatCustomers: true },
      },
    },
  });
  const latestRun = shop?.clvRuns[0] ?? null;
  const failedRun: FailedRun | null =
    latestRun?.status === "failed"
      ? { message: latestRun.message ?? "unknown error", startedAt: latestRun.startedAt.toISOString() }
      : null;
  const insight = shop?.insight ?? null;
  if (!insight) return { kind: "empty" as const, failedRun };
  const parsed = storedInsightSchema.safeParse(insight.data);
  if (!parsed.success) {
    console.warn(`Stored insight of ${shopDomain} does not match the current shape`, parsed.error.issues.slice(0, 3));
    return { kind: "outdated" as const, computedAt: insight.computedAt.toISOString() };
  }
  return {
    kind: "ready" as const,
    data: parsed.data,
    basics: { computedAt: insight.computedAt.toISOString(), currencyCode: parsed.data.currencyCode, failedRun },
    latestRun,
  };
}

export async function loadSegmentsPage(shopDomain: string): Promise<SegmentsPageData> {
  const read = await readInsight(shopDomain);
  if (read.kind === "empty") return { state: "empty", failedRun: read.failedRun };
  if (read.kind === "outdated") return { state: "outdated", computedAt: read.computedAt };
  const { data, basics } = read;
  const byId = new Map(SEGMENTS.map((segment) => [segment.id, segment]));
  return {
    state: "ready",
    ...basics,
    insufficientReason: data.prediction.model === null ? (data.prediction.reason ?? INSUFFICIENT_FALLBACK) : null,
    segments: data.segments.map((stored) => {
      // Names and advice from the current definitions, so wording fixes show without a refresh.
      const definition = byId.get(stored.id)!;
      return {
        id: stored.id,
        name: definition.name,
        description: definition.description,
        whatToDo: definition.whatToDo,
        customers: stored.customers,
        shareOfCustomers: stored.shareOfCustomers,
        netRevenue: stored.netRevenue,
        shareOfNetRevenue: stored.shareOfNetRevenue,
        predictedClvPerCustomer:
          stored.predictedClv !== null && stored.customersWithPrediction > 0
            ? stored.predictedClv / stored.customersWithPrediction
            : null,
      };
    }),
    repeatPurchaseRate: data.repeatPurchaseRate,
    repeatPurchaseRateTrend: data.repeatPurchaseRateTrend,
    returnWithinDays: data.returnWithinDays,
    cohorts: data.cohorts,
    daysToSecondOrder: data.daysToSecondOrder,
    clvDistribution: data.clvDistribution,
  };
}

export async function loadModelAccuracyPage(shopDomain: string): Promise<ModelAccuracyPageData> {
  const read = await readInsight(shopDomain);
  if (read.kind === "empty") return { state: "empty", failedRun: read.failedRun };
  if (read.kind === "outdated") return { state: "outdated", computedAt: read.computedAt };
  const { data, basics, latestRun } = read;
  const prediction = data.prediction;
  if (prediction.model === null) {
    return {
      state: "insufficient",
      ...basics,
      simpleFormula: data.simpleFormula,
      reason: prediction.reason ?? INSUFFICIENT_FALLBACK,
    };
  }
  const backtest = data.backtest;
  return {
    state: "ready",
    ...basics,
    simpleFormula: data.simpleFormula,
    averagePredictedClv: data.averagePredictedClv,
    model: {
      kind: prediction.model,
      params: prediction.params,
      logLikelihood: prediction.logLikelihood,
      spendParams: prediction.spendParams,
      grossMargin: prediction.settings.grossMargin,
      annualDiscountRate: prediction.settings.annualDiscountRate,
      fittedOnCustomers: prediction.fittedOnCustomers,
      customersScored: prediction.customersScored,
      // The run that wrote this insight, unless a newer one failed (it wrote no insight).
      repeatBuyers: latestRun && latestRun.status !== "failed" ? latestRun.repeatCustomers : null,
    },
    holdout: backtest
      ? {
          holdoutDays: backtest.holdoutDays,
          calibrationEnd: backtest.calibrationEnd,
          summary: backtest.comparison.summary,
          customers: backtest.comparison.customers,
          predicted: backtest.comparison.predicted,
          actual: backtest.comparison.actual,
          actualVersusPredicted: backtest.comparison.actualVersusPredicted,
          meanAbsolutePercentageError: backtest.comparison.meanAbsolutePercentageError,
          meanAbsoluteErrorPerCustomer: backtest.comparison.meanAbsoluteErrorPerCustomer,
          bins: backtest.comparison.bins,
          params: backtest.params,
          logLikelihood: backtest.logLikelihood,
        }
      : null,
  };
}

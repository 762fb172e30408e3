// One customer's figures and prediction, with the inputs the model used and one plain sentence
// ("5 orders, the last 200 days ago; buys about every 40 days; 12% likely still active.").
// The Customer page shows this; it reads the customer's own orders only.
import { Prisma } from "@prisma/client";

import prisma from "~/db.server";
import { countedOrderSql } from "~/core/orders/net-revenue";
import { customerMetrics, type CustomerMetrics } from "~/core/metrics/customer-metrics";
import { explainCustomer } from "~/core/metrics/explain";
import { SEGMENTS } from "~/core/metrics/rfm";

const countedOrder = Prisma.raw(countedOrderSql("o"));

export interface CustomerPrediction {
  metrics: CustomerMetrics;
  prediction: {
    expectedOrders90d: number | null;
    expectedOrders365d: number | null;
    probabilityAlive: number | null;
    predictedClv365d: number | null;
    clvPercentile: number | null;
    segment: { id: string; name: string; whatToDo: string } | null;
    scoredAt: string | null;
  };
  // What the model saw: repeat purchase days (x), days from the first to the last purchase day
  // (t_x) and from the first purchase day to the analysis (T), and the mean repeat order value.
  modelInputs: {
    repeatPurchaseDays: number;
    daysFirstToLast: number;
    daysObserved: number;
    meanRepeatOrderValue: number;
  } | null;
  explanation: string;
}

export async function loadCustomerPrediction(
  shopDomain: string,
  customerId: string,
): Promise<CustomerPrediction | null> {
  const customer = await prisma.customer.findFirst({ where: { id: customerId, shop: { shopDomain } } });
  if (!customer) return null;
  const asOf = customer.scoredAt ?? new Date();
  const orders = await prisma.$queryRaw<{ processedAt: Date; netRevenue: number }[]>`
    SELECT o."processedAt", o."netRevenue"::float8 AS "netRevenue" FROM "Order" AS o
     WHERE o."customerId" = ${customer.id} AND ${countedOrder} AND o."processedAt" <= ${asOf}
     ORDER BY o."processedAt"`;
  const metrics = customerMetrics(orders, asOf);
  const segment = SEGMENTS.find((candidate) => candidate.id === customer.rfmSegment) ?? null;

  // The same day-based conventions as the CLV summaries (core/clv/summaries.ts).
  const day = (date: Date) => Math.floor(date.getTime() / 86_400_000);
  const days = [...new Set(orders.map((order) => day(order.processedAt)))];
  const revenueByDay = new Map<number, number>();
  for (const order of orders)
    revenueByDay.set(day(order.processedAt), (revenueByDay.get(day(order.processedAt)) ?? 0) + order.netRevenue);
  const modelInputs = days.length
    ? {
        repeatPurchaseDays: days.length - 1,
        daysFirstToLast: days[days.length - 1] - days[0],
        daysObserved: day(asOf) - days[0],
        meanRepeatOrderValue:
          days.length > 1
            ? days.slice(1).reduce((sum, d) => sum + (revenueByDay.get(d) ?? 0), 0) / (days.length - 1)
            : 0,
      }
    : null;

  return {
    metrics,
    prediction: {
      expectedOrders90d: customer.expectedOrders90d,
      expectedOrders365d: customer.expectedOrders365d,
      probabilityAlive: customer.probabilityAlive,
      predictedClv365d: customer.predictedClv365d === null ? null : Number(customer.predictedClv365d),
      clvPercentile: customer.clvPercentile,
      segment: segment ? { id: segment.id, name: segment.name, whatToDo: segment.whatToDo } : null,
      scoredAt: customer.scoredAt?.toISOString() ?? null,
    },
    modelInputs,
    explanation: explainCustomer(metrics, customer.probabilityAlive),
  };
}

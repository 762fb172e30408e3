// The customers CSV: one row per customer, streamed page by page (keyset on id) so memory stays
// flat however many customers a shop has. Columns are only ever added at the end.
import prisma from "~/db.server";
import { SEGMENTS } from "~/core/metrics/rfm";

export const CUSTOMER_EXPORT_COLUMNS = [
  "customer_id",
  "orders_count",
  "first_order_at",
  "last_order_at",
  "net_revenue",
  "currency",
  "expected_orders_365d",
  "p_alive",
  "predicted_clv_365d",
  "rfm_segment",
] as const;

const SEGMENT_NAMES = new Map(SEGMENTS.map((segment) => [segment.id, segment.name]));
const fixed = (value: number | null, digits: number) => (value === null ? "" : value.toFixed(digits));

const PAGE = 2000;

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const isoUtc = (date: Date | null) => (date ? date.toISOString() : "");

export function customersCsv(shopDomain: string): ReadableStream<Uint8Array> | null {
  const encoder = new TextEncoder();
  let shop: { id: string; currencyCode: string } | null = null;
  let after: string | undefined;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true, currencyCode: true } });
      controller.enqueue(encoder.encode(`${CUSTOMER_EXPORT_COLUMNS.join(",")}\n`));
      if (!shop) done = true;
    },
    async pull(controller) {
      if (done || !shop) {
        controller.close();
        return;
      }
      const customers = await prisma.customer.findMany({
        where: { shopId: shop.id, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: PAGE,
        select: {
          id: true,
          shopifyId: true,
          ordersCount: true,
          firstOrderAt: true,
          lastOrderAt: true,
          netRevenue: true,
          expectedOrders365d: true,
          probabilityAlive: true,
          predictedClv365d: true,
          rfmSegment: true,
        },
      });
      if (customers.length < PAGE) done = true;
      after = customers.at(-1)?.id;
      const rows = customers.map((customer) =>
        [
          customer.shopifyId.toString(),
          String(customer.ordersCount),
          isoUtc(customer.firstOrderAt),
          isoUtc(customer.lastOrderAt),
          customer.netRevenue.toFixed(2),
          shop!.currencyCode,
          fixed(customer.expectedOrders365d, 3),
          fixed(customer.probabilityAlive, 4),
          customer.predictedClv365d?.toFixed(2) ?? "",
          customer.rfmSegment ? (SEGMENT_NAMES.get(customer.rfmSegment as (typeof SEGMENTS)[number]["id"]) ?? "") : "",
        ]
          .map(csvField)
          .join(","),
      );
      if (rows.length) controller.enqueue(encoder.encode(`${rows.join("\n")}\n`));
      if (done) controller.close();
    },
  });
}

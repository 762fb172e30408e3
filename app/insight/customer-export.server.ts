// The customers CSV: one row per customer the Customers list's query matches (its filters,
// search and sort; all of them, not a page), streamed a batch at a time by the list's own keyset
// walk, so memory stays flat however many customers a shop has. Columns are only ever added at
// the end.
import prisma from "~/db.server";
import { SEGMENTS } from "~/core/metrics/rfm";
import {
  customerListQuery,
  matchingCustomers,
  type CustomerListQuery,
  loyaltyTiers,
  type MatchingCustomer,
} from "~/insight/customers-list.server";

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
  "points_balance",
  "tier",
] as const;

const SEGMENT_NAMES: ReadonlyMap<string, string> = new Map(SEGMENTS.map((segment) => [segment.id, segment.name]));
const fixed = (value: number | null, digits: number) => (value === null ? "" : value.toFixed(digits));

const BATCH = 2000;

// A spreadsheet runs a cell that begins with = + - @ (or a tab or carriage return before one) as
// a formula, so a tier named `=HYPERLINK(...)` would run in every row that carries it. Such a
// cell gets a leading apostrophe, which spreadsheets show as text (OWASP, "CSV Injection"). A
// plain number is left alone: -12.50 is a refund, not a formula, and stays a number.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
export const neutraliseFormula = (value: string) =>
  FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
/** One CSV cell: safe from formula injection, then quoted as RFC 4180 asks. */
export const csvField = (raw: string) => {
  const value = neutraliseFormula(raw);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
};
const isoUtc = (date: Date | null) => (date ? date.toISOString() : "");

/** The whole list by default: every customer, most recent order first. */
export function customersCsv(
  shopDomain: string,
  query: CustomerListQuery = customerListQuery.parse({}),
  batchSize: number = BATCH,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let currencyCode = "";
  let tierNames: ReadonlyMap<string, string> = new Map();
  let batches: AsyncGenerator<MatchingCustomer[]> | null = null;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true, currencyCode: true } });
      controller.enqueue(encoder.encode(`${CUSTOMER_EXPORT_COLUMNS.join(",")}\n`));
      if (shop) {
        currencyCode = shop.currencyCode;
        tierNames = new Map((await loyaltyTiers(shop.id)).map((tier) => [tier.id, tier.name]));
        batches = matchingCustomers(shop.id, { ...query, after: undefined, before: undefined }, batchSize);
      }
    },
    async pull(controller) {
      const next = batches ? await batches.next() : null;
      if (!next || next.done) {
        controller.close();
        return;
      }
      const rows = next.value.map((customer) =>
        [
          customer.shopifyId.toString(),
          String(customer.ordersCount),
          isoUtc(customer.firstOrderAt),
          isoUtc(customer.lastOrderAt),
          customer.netRevenue,
          currencyCode,
          fixed(customer.expectedOrders365d, 3),
          fixed(customer.probabilityAlive, 4),
          customer.predictedClv365d ?? "",
          customer.rfmSegment ? (SEGMENT_NAMES.get(customer.rfmSegment) ?? "") : "",
          // Empty for customers who are not loyalty members.
          customer.pointsBalance === null ? "" : String(customer.pointsBalance),
          customer.tierId ? (tierNames.get(customer.tierId) ?? customer.tierId) : "",
        ]
          .map(csvField)
          .join(","),
      );
      controller.enqueue(encoder.encode(`${rows.join("\n")}\n`));
    },
    async cancel() {
      // The merchant closed the download: stop walking.
      await batches?.return(undefined);
    },
  });
}

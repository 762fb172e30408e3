// Plain-English sentences for merchants, and the number formatting they share. English only for
// now: the admin is English, and the sentences are built in one place for a later translation.
import type { CustomerMetrics } from "./customer-metrics";

/** Whole numbers with thousands separators: 1,653. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** "1 order", "5 orders", "1,234 orders". */
export function countOf(value: number, singular: string, plural: string): string {
  const rounded = Math.round(value);
  return `${formatCount(rounded)} ${rounded === 1 ? singular : plural}`;
}

/**
 * A probability or share as a whole percentage. A model's probability is never a certainty, so
 * values that round to 0% or 100% (0 and 1 included) read "less than 1%" and "more than 99%".
 */
export function formatProbability(probability: number): string {
  const percent = Math.round(probability * 100);
  if (percent < 1) return "less than 1%";
  if (percent > 99) return "more than 99%";
  return `${percent}%`;
}

function daysAgo(days: number): string {
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  return `${formatCount(days)} days ago`;
}

/**
 * One sentence about a customer, e.g. "5 orders, the last 200 days ago; buys about every 40
 * days; 12% likely still active." `probabilityAlive` is the model's chance the customer is still
 * active (null or NaN when the shop has no prediction yet).
 */
export function explainCustomer(
  metrics: Pick<CustomerMetrics, "ordersCount" | "daysSinceLastOrder" | "averageDaysBetweenOrders">,
  probabilityAlive: number | null,
): string {
  const { ordersCount, daysSinceLastOrder, averageDaysBetweenOrders } = metrics;
  if (ordersCount <= 0 || daysSinceLastOrder === null) return "No orders yet.";
  const parts: string[] = [];
  if (ordersCount === 1) {
    parts.push(`1 order, ${daysAgo(daysSinceLastOrder)}`);
  } else {
    const when =
      daysSinceLastOrder <= 1
        ? `the last one ${daysAgo(daysSinceLastOrder)}`
        : `the last ${daysAgo(daysSinceLastOrder)}`;
    parts.push(`${countOf(ordersCount, "order", "orders")}, ${when}`);
    if (averageDaysBetweenOrders !== null) {
      // Orders a few hours apart still read "every day": "every 0 days" means nothing.
      const every = Math.max(1, Math.round(averageDaysBetweenOrders));
      parts.push(
        averageDaysBetweenOrders === 0
          ? "all on the same day"
          : every === 1
            ? "buys about every day"
            : `buys about every ${formatCount(every)} days`,
      );
    }
  }
  parts.push(
    probabilityAlive === null || !Number.isFinite(probabilityAlive)
      ? "no prediction yet"
      : `${formatProbability(probabilityAlive)} likely still active`,
  );
  return `${parts.join("; ")}.`;
}

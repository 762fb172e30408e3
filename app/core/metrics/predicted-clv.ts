// Predicted 12-month CLV: what a customer's next year of orders is worth to the merchant today.
//
//   predicted CLV = expected orders in the next 12 months
//                 x expected net revenue per order
//                 x gross margin
//                 x twelveMonthDiscountFactor(annual discount rate)
//
// The forecast comes from core/clv (forecastCustomer / forecastCustomers) with a horizon of
// PREDICTION_HORIZON_DAYS; this module does not re-run any model.
import type { CustomerForecast, ForecastColumns } from "~/core/clv";

/** The forecasts this module values must cover this many days. */
export const PREDICTION_HORIZON_DAYS = 365;

/**
 * Used until the merchant enters their own margin. Half of net revenue is the middle of the
 * 40-60% gross margins typical of direct-to-consumer shops, and a round figure merchants
 * recognise as a guess to correct rather than a measurement.
 */
export const DEFAULT_GROSS_MARGIN = 0.5;

/**
 * 10% a year: a common round cost of capital for a small business, and the rate most CLV
 * textbooks use. Over 12 months it lowers the value by only about 5%, so a rough rate does
 * little harm.
 */
export const DEFAULT_ANNUAL_DISCOUNT_RATE = 0.1;

export interface ClvSettings {
  /** Share of net revenue left after the cost of goods, in (0, 1]. */
  grossMargin: number;
  /** Yearly rate at which future money is worth less than money today, >= 0. */
  annualDiscountRate: number;
}

export const DEFAULT_CLV_SETTINGS: Readonly<ClvSettings> = {
  grossMargin: DEFAULT_GROSS_MARGIN,
  annualDiscountRate: DEFAULT_ANNUAL_DISCOUNT_RATE,
};

/**
 * The present value of one unit of margin spread over the next 12 months.
 *
 * The forecast says how many orders, not when, so the expected orders are spread evenly over the
 * 12 months: a twelfth of them in each month, paid at the month's end (a little conservative),
 * each discounted at the monthly rate equivalent to the annual one, (1 + annualRate)^(1/12):
 *
 *   factor = (1/12) * sum over m = 1..12 of (1 + annualRate)^(-m/12)
 *
 * At 10% a year the factor is about 0.9501; at 0% it is 1.
 */
export function twelveMonthDiscountFactor(annualDiscountRate: number): number {
  if (!(annualDiscountRate >= 0) || !Number.isFinite(annualDiscountRate)) {
    throw new RangeError("annualDiscountRate must be a number >= 0");
  }
  const monthlyGrowth = Math.pow(1 + annualDiscountRate, 1 / 12);
  let factor = 0;
  let discount = 1;
  for (let month = 1; month <= 12; month++) {
    discount /= monthlyGrowth;
    factor += discount;
  }
  return factor / 12;
}

function resolveSettings(settings: Partial<ClvSettings> | undefined): ClvSettings {
  const resolved = { ...DEFAULT_CLV_SETTINGS, ...settings };
  if (!(resolved.grossMargin > 0 && resolved.grossMargin <= 1)) {
    throw new RangeError("grossMargin must be in (0, 1]");
  }
  return resolved;
}

/**
 * A customer's predicted 12-month CLV, or null when there is no prediction: no forecast, or no
 * spend per order from the spend model (NaN when the shop has too few repeat buyers) and no
 * usable `fallbackOrderValue` (say the customer's own or the shop's average order value).
 */
export function predictedTwelveMonthClv(
  forecast: Pick<CustomerForecast, "expectedOrders" | "expectedOrderValue"> | null,
  settings?: Partial<ClvSettings>,
  fallbackOrderValue?: number | null,
): number | null {
  const { grossMargin, annualDiscountRate } = resolveSettings(settings);
  if (!forecast || !Number.isFinite(forecast.expectedOrders)) return null;
  const orderValue = Number.isFinite(forecast.expectedOrderValue) ? forecast.expectedOrderValue : fallbackOrderValue;
  if (orderValue === null || orderValue === undefined || !Number.isFinite(orderValue)) return null;
  return forecast.expectedOrders * orderValue * grossMargin * twelveMonthDiscountFactor(annualDiscountRate);
}

/**
 * The same for many customers at once, NaN where there is no prediction. `fallbackOrderValue` is
 * one value for everyone or a column; pass `into` to reuse memory.
 */
export function predictedTwelveMonthClvColumns(
  forecasts: Pick<ForecastColumns, "expectedOrders" | "expectedOrderValue">,
  settings?: Partial<ClvSettings>,
  fallbackOrderValue?: number | ArrayLike<number>,
  into?: Float64Array,
): Float64Array {
  const { grossMargin, annualDiscountRate } = resolveSettings(settings);
  const count = forecasts.expectedOrders.length;
  if (forecasts.expectedOrderValue.length !== count) {
    throw new RangeError("expectedOrders and expectedOrderValue must have the same length");
  }
  const fallbackColumn = typeof fallbackOrderValue === "object" ? fallbackOrderValue : null;
  if (fallbackColumn && fallbackColumn.length !== count) {
    throw new RangeError("fallbackOrderValue must have one entry per customer");
  }
  const fallbackValue = typeof fallbackOrderValue === "number" ? fallbackOrderValue : NaN;
  if (into && into.length < count) throw new RangeError("into must hold at least one entry per customer");
  const out = into ?? new Float64Array(count);
  const perOrder = grossMargin * twelveMonthDiscountFactor(annualDiscountRate);
  const { expectedOrders, expectedOrderValue } = forecasts;
  for (let i = 0; i < count; i++) {
    let orderValue = expectedOrderValue[i];
    if (!Number.isFinite(orderValue)) orderValue = fallbackColumn ? fallbackColumn[i] : fallbackValue;
    // NaN propagates: no order value or no expected orders means no prediction.
    out[i] = Number.isFinite(orderValue) ? expectedOrders[i] * orderValue * perOrder : NaN;
  }
  return out;
}

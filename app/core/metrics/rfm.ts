// RFM segmentation: recency, frequency and monetary value scored 1-5 across the shop's customers,
// and the recency/frequency scores mapped to named segments with advice a merchant can act on.
//
// Scores are columnar (Uint8Array) and computed from four thresholds per measure, found by
// counting (whole numbers: days, orders) or one native sort, so a million customers score in a
// fraction of a second.
import { dayNumber, epochMs, offsetMs, type ShopTimeOptions } from "./calendar";
import { checkCustomerColumns, type CustomerRollupColumns } from "./customer-metrics";

export type SegmentId =
  | "champions"
  | "loyal"
  | "potentialLoyalist"
  | "newCustomers"
  | "promising"
  | "needAttention"
  | "aboutToSleep"
  | "atRisk"
  | "cantLoseThem"
  | "hibernating"
  | "lost";

export interface Segment {
  id: SegmentId;
  name: string;
  /** Who is in it, in a few words. */
  description: string;
  /** What a merchant can do about them. */
  whatToDo: string;
}

/** Segment codes in the `segment` column are indexes into this list. */
export const SEGMENTS: readonly Segment[] = [
  {
    id: "champions",
    name: "Champions",
    description: "Bought recently, buy often, and are among your best customers.",
    whatToDo:
      "Thank and reward them: early access to new products, bonus points, a request for a review or a referral. No need to discount what they buy anyway.",
  },
  {
    id: "loyal",
    name: "Loyal",
    description: "Buy often and have ordered not long ago.",
    whatToDo:
      "Keep them close with member-only offers and points multipliers, and suggest products that go with what they already buy.",
  },
  {
    id: "potentialLoyalist",
    name: "Potential loyalist",
    description: "Recent customers with a few orders so far.",
    whatToDo:
      "Invite them into the loyalty program and recommend a natural next product, so that buying from you becomes a habit.",
  },
  {
    id: "newCustomers",
    name: "New customers",
    description: "Placed their first order very recently.",
    whatToDo:
      "Welcome them: a thank-you note, tips to get the most from their purchase, and a reason to come back within a few weeks.",
  },
  {
    id: "promising",
    name: "Promising",
    description: "One order, fairly recent.",
    whatToDo:
      "Remind them you exist: show your bestsellers and offer a small, time-limited incentive for their second order.",
  },
  {
    id: "needAttention",
    name: "Need attention",
    description: "Middling recency and frequency: starting to drift.",
    whatToDo:
      "Reach out before they drift away: personal recommendations based on past orders, or a limited-time offer.",
  },
  {
    id: "aboutToSleep",
    name: "About to sleep",
    description: "Have not bought for a while and never bought often.",
    whatToDo: "Re-engage them gently: what is new, what is popular, perhaps a modest discount to bring them back.",
  },
  {
    id: "atRisk",
    name: "At risk",
    description: "Used to buy regularly but have not ordered for a long time.",
    whatToDo:
      "Send a personal win-back offer: what has changed since their last order and a discount worth acting on, before they forget you.",
  },
  {
    id: "cantLoseThem",
    name: "Can't lose them",
    description: "Were among your most frequent buyers, but have gone quiet.",
    whatToDo:
      "Win them back with your best offer and a personal message, and ask what went wrong: they are worth the effort.",
  },
  {
    id: "hibernating",
    name: "Hibernating",
    description: "Few orders, and the last one long ago.",
    whatToDo: "Include them in seasonal campaigns and big sales, but spend little on them in between.",
  },
  {
    id: "lost",
    name: "Lost",
    description: "One order, among the longest ago.",
    whatToDo:
      "Try one last win-back campaign; if they do not respond, stop mailing them regularly, which also protects your email deliverability.",
  },
];

/** The code of customers without orders, who belong to no segment. */
export const NO_SEGMENT = 255;

/**
 * Recency score (rows, 5 = most recent) by frequency score (columns, 1..5) to segment: the
 * widely used R/F grid of RFM practice, with its "Hibernating" corner R1/F1 split off as "Lost".
 */
export const RFM_GRID: Readonly<Record<1 | 2 | 3 | 4 | 5, readonly SegmentId[]>> = {
  //   F1              F2                   F3                   F4              F5
  5: ["newCustomers", "potentialLoyalist", "potentialLoyalist", "champions", "champions"],
  4: ["promising", "potentialLoyalist", "potentialLoyalist", "loyal", "loyal"],
  3: ["aboutToSleep", "aboutToSleep", "needAttention", "loyal", "loyal"],
  2: ["hibernating", "hibernating", "atRisk", "atRisk", "cantLoseThem"],
  1: ["lost", "hibernating", "atRisk", "atRisk", "cantLoseThem"],
};

const SEGMENT_CODE = new Map(SEGMENTS.map((segment, code) => [segment.id, code]));

// 25 codes indexed by (recency - 1) * 5 + (frequency - 1), for the hot loop.
const GRID_CODES = Uint8Array.from({ length: 25 }, (_, cell) => {
  const recency = (Math.floor(cell / 5) + 1) as 1 | 2 | 3 | 4 | 5;
  return SEGMENT_CODE.get(RFM_GRID[recency][cell % 5]) ?? NO_SEGMENT;
});

export function segmentFor(recencyScore: number, frequencyScore: number): Segment {
  if (!(recencyScore >= 1 && recencyScore <= 5 && frequencyScore >= 1 && frequencyScore <= 5)) {
    throw new RangeError("RFM scores run from 1 to 5");
  }
  return SEGMENTS[GRID_CODES[(Math.trunc(recencyScore) - 1) * 5 + Math.trunc(frequencyScore) - 1]];
}

export type ScoreDirection = "higher-is-better" | "lower-is-better";

export interface QuintileScores {
  /** 1 (worst fifth) to 5 (best fifth); 0 for NaN values, which are not scored. */
  scores: Uint8Array;
  /**
   * For scores 2, 3, 4 and 5: the value a customer needs to reach at least that score, in the
   * measure's own units (>= it when higher is better, <= it when lower is better). Infinite when
   * no customer reaches the score, which happens when many customers tie.
   */
  thresholds: [number, number, number, number];
}

/**
 * Quintile scores: score = 1 + floor(5 x worse / n), where `worse` counts the customers strictly
 * worse than this one and n the customers scored. Without ties that is exactly fifths; with ties,
 * equal values always get the same score (the lower one), whatever the input order. So one-order
 * customers, often most of a shop, all get frequency 1 rather than being split at random.
 */
export function quintileScores(
  values: ArrayLike<number>,
  direction: ScoreDirection,
  into?: Uint8Array,
): QuintileScores {
  const count = values.length;
  if (into && into.length < count) throw new RangeError("into must hold at least one entry per customer");
  const scores = into ?? new Uint8Array(count);
  // Negating "lower is better" values turns "strictly worse" into "strictly lower" in both cases.
  const sign = direction === "lower-is-better" ? -1 : 1;
  const cut = scoreCuts(values, sign);
  const [cut2, cut3, cut4, cut5] = cut;
  for (let i = 0; i < count; i++) {
    const value = sign * values[i];
    if (!Number.isFinite(value)) {
      scores[i] = 0;
      continue;
    }
    scores[i] = 1 + +(value >= cut2) + +(value >= cut3) + +(value >= cut4) + +(value >= cut5);
  }
  // "+ 0" turns the -0 of a negated 0 days back into 0.
  return { scores, thresholds: [sign * cut2 + 0, sign * cut3 + 0, sign * cut4 + 0, sign * cut5 + 0] };
}

// Counting beats sorting for whole numbers in a modest range (days, order counts): O(n), no copy.
const COUNTING_SPAN_LIMIT = 1 << 21;

/**
 * The four signed values at which scores 2..5 start: for score s, the smallest value with at
 * least ceil((s - 1) n / 5) values strictly below it (Infinity when none has).
 */
function scoreCuts(values: ArrayLike<number>, sign: number): number[] {
  let n = 0;
  let smallest = Infinity;
  let largest = -Infinity;
  let wholeNumbers = true;
  for (let i = 0; i < values.length; i++) {
    const value = sign * values[i];
    if (!Number.isFinite(value)) continue;
    n++;
    if (value < smallest) smallest = value;
    if (value > largest) largest = value;
    if (wholeNumbers && !Number.isInteger(value)) wholeNumbers = false;
  }
  const needed = [2, 3, 4, 5].map((s) => Math.floor(((s - 1) * n + 4) / 5)); // ceil((s - 1) n / 5)
  const cut = [Infinity, Infinity, Infinity, Infinity];
  if (n === 0) return cut;

  if (wholeNumbers && largest - smallest < COUNTING_SPAN_LIMIT) {
    const counts = new Int32Array(largest - smallest + 1);
    for (let i = 0; i < values.length; i++) {
      const value = sign * values[i];
      if (Number.isFinite(value)) counts[value - smallest]++;
    }
    let below = 0;
    let next = 0;
    for (let j = 0; j < counts.length && next < 4; j++) {
      if (counts[j] === 0) continue;
      while (next < 4 && below >= needed[next]) cut[next++] = smallest + j;
      below += counts[j];
    }
    return cut;
  }

  const sorted = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const value = sign * values[i];
    if (Number.isFinite(value)) sorted[k++] = value;
  }
  sorted.sort();
  for (let s = 0; s < 4; s++) {
    // The first value at or after position `needed` that starts a run of equal values.
    let j = needed[s];
    while (j < n && j > 0 && sorted[j] === sorted[j - 1]) j++;
    cut[s] = j < n ? sorted[j] : Infinity;
  }
  return cut;
}

export interface RfmSegmentation {
  /** Customers with at least one order by asOf: the ones scored. */
  customers: number;
  /** Calendar days since the last order (shop time zone); NaN without orders. */
  daysSinceLastOrder: Float64Array;
  recencyScore: Uint8Array;
  frequencyScore: Uint8Array;
  monetaryScore: Uint8Array;
  /** Index into SEGMENTS, or NO_SEGMENT for customers without orders. */
  segment: Uint8Array;
  /** What it takes to reach scores 2..5 (see QuintileScores.thresholds). */
  thresholds: {
    daysSinceLastOrder: QuintileScores["thresholds"];
    ordersCount: QuintileScores["thresholds"];
    netRevenue: QuintileScores["thresholds"];
  };
}

/**
 * Scores every customer with orders: recency = calendar days since the last order (fewer is
 * better), frequency = counted orders, monetary = net revenue to date. The rollups should cover
 * orders up to asOf (customerRollupsFromOrders does); a last order after asOf counts as 0 days.
 * The segment comes from recency and frequency (RFM_GRID); monetary is for display and sorting.
 */
export function rfmSegmentation(
  customers: Pick<CustomerRollupColumns, "ordersCount" | "lastOrderAt" | "netRevenue">,
  asOf: Date,
  options: ShopTimeOptions = {},
): RfmSegmentation {
  const count = checkCustomerColumns({ ...customers });
  const offset = offsetMs(options);
  const asOfDay = dayNumber(epochMs(asOf, "asOf"), offset);
  const { ordersCount, lastOrderAt, netRevenue } = customers;
  const daysSinceLastOrder = new Float64Array(count);
  const frequency = new Float64Array(count);
  const monetary = new Float64Array(count);
  let scored = 0;
  for (let i = 0; i < count; i++) {
    const days = asOfDay - dayNumber(lastOrderAt[i], offset);
    if (ordersCount[i] > 0 && Number.isFinite(days)) {
      scored++;
      daysSinceLastOrder[i] = days > 0 ? days : 0;
      frequency[i] = ordersCount[i];
      monetary[i] = netRevenue[i];
    } else {
      daysSinceLastOrder[i] = NaN;
      frequency[i] = NaN;
      monetary[i] = NaN;
    }
  }
  const recency = quintileScores(daysSinceLastOrder, "lower-is-better");
  const frequencyScores = quintileScores(frequency, "higher-is-better");
  const monetaryScores = quintileScores(monetary, "higher-is-better");
  const segment = new Uint8Array(count);
  const r = recency.scores;
  const f = frequencyScores.scores;
  for (let i = 0; i < count; i++) {
    segment[i] = r[i] > 0 && f[i] > 0 ? GRID_CODES[(r[i] - 1) * 5 + f[i] - 1] : NO_SEGMENT;
  }
  return {
    customers: scored,
    daysSinceLastOrder,
    recencyScore: r,
    frequencyScore: f,
    monetaryScore: monetaryScores.scores,
    segment,
    thresholds: {
      daysSinceLastOrder: recency.thresholds,
      ordersCount: frequencyScores.thresholds,
      netRevenue: monetaryScores.thresholds,
    },
  };
}

export interface SegmentSize extends Segment {
  customers: number;
  /** Of the customers in any segment. */
  shareOfCustomers: number;
  /** Net revenue to date of the segment's customers. */
  netRevenue: number;
  shareOfNetRevenue: number;
  /** Sum of predicted 12-month CLV over customers with a prediction; null when none was passed. */
  predictedClv: number | null;
  /** Customers in the segment with a prediction. */
  customersWithPrediction: number;
}

/** Size and revenue of every segment, in SEGMENTS order (empty segments included, for a stable chart). */
export function segmentSizes(
  segment: Uint8Array,
  netRevenue: ArrayLike<number>,
  predictedClv?: ArrayLike<number>,
): SegmentSize[] {
  checkCustomerColumns({ segment, netRevenue, predictedClv });
  const customers = new Float64Array(SEGMENTS.length);
  const revenue = new Float64Array(SEGMENTS.length);
  const predicted = new Float64Array(SEGMENTS.length);
  const predictedCount = new Float64Array(SEGMENTS.length);
  let allCustomers = 0;
  let allRevenue = 0;
  for (let i = 0; i < segment.length; i++) {
    const code = segment[i];
    if (code >= SEGMENTS.length) continue;
    customers[code]++;
    revenue[code] += netRevenue[i];
    allCustomers++;
    allRevenue += netRevenue[i];
    if (predictedClv && Number.isFinite(predictedClv[i])) {
      predicted[code] += predictedClv[i];
      predictedCount[code]++;
    }
  }
  return SEGMENTS.map((definition, code) => ({
    ...definition,
    customers: customers[code],
    shareOfCustomers: allCustomers > 0 ? customers[code] / allCustomers : 0,
    netRevenue: revenue[code],
    shareOfNetRevenue: allRevenue > 0 ? revenue[code] / allRevenue : 0,
    predictedClv: predictedClv ? predicted[code] : null,
    customersWithPrediction: predictedCount[code],
  }));
}

// "At risk", defined once: valuable and slipping. A customer whose predicted 12-month CLV is in
// the shop's top 30% (clvPercentile >= 70, percentiles run 0-100) but who is less likely than not
// to still be buying (P(alive) < 0.5). Customers without a prediction are never at risk: we
// cannot tell. The Customers list's filter, the refresh's count, the previous period's count and
// the partial index behind the filter (migration *_at_risk_index, tied by a test) all use this.

export interface AtRiskThresholds {
  /** The lowest CLV percentile (0-100) that counts as valuable. */
  minClvPercentile: number;
  /** P(alive) below this counts as slipping. */
  maxProbabilityAlive: number;
}

export const AT_RISK: AtRiskThresholds = { minClvPercentile: 70, maxProbabilityAlive: 0.5 };

interface Scored {
  clvPercentile: number | null;
  probabilityAlive: number | null;
}

export function isAtRisk(customer: Scored): boolean {
  return atRiskBy(AT_RISK, customer);
}

/** isAtRisk with other thresholds (a caller that is handed them, and tests). */
export function atRiskBy(thresholds: AtRiskThresholds, customer: Scored): boolean {
  return (
    customer.clvPercentile !== null &&
    customer.probabilityAlive !== null &&
    customer.clvPercentile >= thresholds.minClvPercentile &&
    customer.probabilityAlive < thresholds.maxProbabilityAlive
  );
}

/**
 * isAtRisk as a SQL condition on "Customer" aliased `alias`. The thresholds are written into the
 * text (constants of ours, never input) so the planner can match the partial index.
 */
export function atRiskSql(alias: string, thresholds: AtRiskThresholds = AT_RISK): string {
  return `(${alias}."clvPercentile" >= ${thresholds.minClvPercentile} AND ${alias}."probabilityAlive" < ${thresholds.maxProbabilityAlive})`;
}

// Shopify's Admin GraphQL API limits by query cost: a bucket of points that refills at a restore
// rate (its throttleStatus comes back in every answer's extensions.cost).
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * How long to wait before spending `nextCost` points: nothing while the bucket holds enough,
 * otherwise the time the restore rate needs to refill the difference.
 */
export function throttleWaitMs(status: ThrottleStatus | undefined, nextCost: number): number {
  if (!status || status.currentlyAvailable >= nextCost) return 0;
  const rate = status.restoreRate > 0 ? status.restoreRate : 50;
  return Math.ceil(((nextCost - status.currentlyAvailable) / rate) * 1000);
}

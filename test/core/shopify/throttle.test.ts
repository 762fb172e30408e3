import { describe, expect, it } from "vitest";

import { throttleWaitMs } from "~/core/shopify/throttle";

describe("the wait before an Admin API call", () => {
  it("is nothing while the bucket holds the cost, else the time the restore rate needs", () => {
    const status = { maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100 };
    expect(throttleWaitMs(status, 50)).toBe(0);
    expect(throttleWaitMs(status, 350)).toBe(2500);
    expect(throttleWaitMs(undefined, 1000)).toBe(0);
    // A status without a restore rate waits at Shopify's standard 50 points a second.
    expect(throttleWaitMs({ ...status, restoreRate: 0 }, 150)).toBe(1000);
  });
});

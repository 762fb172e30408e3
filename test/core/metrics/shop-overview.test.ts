import { describe, expect, it } from "vitest";

import { shopOverview } from "~/core/metrics/shop-overview";

describe("shopOverview", () => {
  it("derives the headline figures from the rolled-up totals", () => {
    const overview = shopOverview({
      customersWithOrders: 200,
      repeatCustomers: 50,
      orders: 400,
      netRevenue: 30_000,
      customerNetRevenue: 26_000,
    });
    expect(overview).toEqual({
      customers: 200,
      orders: 400,
      repeatPurchaseRate: 0.25,
      averageOrderValue: 75,
      averageNetRevenuePerCustomer: 130,
    });
  });

  it("has no rates for a shop without orders, rather than dividing by zero", () => {
    const overview = shopOverview({
      customersWithOrders: 0,
      repeatCustomers: 0,
      orders: 0,
      netRevenue: 0,
      customerNetRevenue: 0,
    });
    expect(overview.repeatPurchaseRate).toBeNull();
    expect(overview.averageOrderValue).toBeNull();
    expect(overview.averageNetRevenuePerCustomer).toBeNull();
  });
});

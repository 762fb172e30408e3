// The shop's headline figures, from counts and sums the database has already rolled up.
// Pure: no I/O, so the definitions are tested with plain numbers.

export interface ShopTotals {
  // Customers with at least one counted order, and with two or more.
  customersWithOrders: number;
  repeatCustomers: number;
  // Counted orders (not cancelled, not test), guest orders included.
  orders: number;
  // Net revenue of counted orders, all of them and the part that belongs to customers.
  netRevenue: number;
  customerNetRevenue: number;
}

export interface ShopOverview {
  customers: number;
  orders: number;
  repeatPurchaseRate: number | null;
  averageOrderValue: number | null;
  averageNetRevenuePerCustomer: number | null;
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

export function shopOverview(totals: ShopTotals): ShopOverview {
  return {
    customers: totals.customersWithOrders,
    orders: totals.orders,
    repeatPurchaseRate: ratio(totals.repeatCustomers, totals.customersWithOrders),
    averageOrderValue: ratio(totals.netRevenue, totals.orders),
    averageNetRevenuePerCustomer: ratio(totals.customerNetRevenue, totals.customersWithOrders),
  };
}

import prisma from "~/db.server";
import { shopOverview, type ShopOverview } from "~/core/metrics/shop-overview";
import { countedOrder } from "~/services/customer-rollups.server";

export interface ShopOverviewResult extends ShopOverview {
  currencyCode: string;
}

export async function loadShopOverview(shopDomain: string): Promise<ShopOverviewResult | null> {
  const shop = await prisma.shop.findUnique({ where: { shopDomain } });
  if (!shop) return null;
  const [customerTotals] = await prisma.$queryRaw<
    { customers: bigint; repeat_customers: bigint; net_revenue: string | null }[]
  >`
    SELECT count(*) FILTER (WHERE "ordersCount" > 0) AS customers,
           count(*) FILTER (WHERE "ordersCount" > 1) AS repeat_customers,
           sum("netRevenue")::text AS net_revenue
      FROM "Customer" WHERE "shopId" = ${shop.id}`;
  const [orderTotals] = await prisma.$queryRaw<{ orders: bigint; net_revenue: string | null }[]>`
    SELECT count(*) AS orders, sum("netRevenue")::text AS net_revenue
      FROM "Order" AS o
     WHERE o."shopId" = ${shop.id} AND ${countedOrder}`;
  return {
    currencyCode: shop.currencyCode,
    ...shopOverview({
      customersWithOrders: Number(customerTotals.customers),
      repeatCustomers: Number(customerTotals.repeat_customers),
      orders: Number(orderTotals.orders),
      netRevenue: Number(orderTotals.net_revenue ?? 0),
      customerNetRevenue: Number(customerTotals.net_revenue ?? 0),
    }),
  };
}

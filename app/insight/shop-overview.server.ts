// The home page's headline figures. Counting them takes a scan of the shop's customers and
// orders (over half a second at 1M customers and 5M orders, bench:admin), so each CLV refresh
// stores the totals and the home reads them; a shop not yet analysed is counted live.
import { Prisma } from "@prisma/client";

import prisma from "~/db.server";
import { countedOrderSql } from "~/core/orders/net-revenue";
import { shopOverview, type ShopOverview, type ShopTotals } from "~/core/metrics/shop-overview";

const countedOrder = Prisma.raw(countedOrderSql("o"));

export interface ShopOverviewResult extends ShopOverview {
  currencyCode: string;
  // When the figures were counted: the last analysis, or null when counted for this request.
  countedAt: string | null;
}

export async function countShopTotals(shopId: string): Promise<ShopTotals> {
  const [customerTotals] = await prisma.$queryRaw<
    { customers: bigint; repeat_customers: bigint; net_revenue: string | null }[]
  >`
    SELECT count(*) FILTER (WHERE "ordersCount" > 0) AS customers,
           count(*) FILTER (WHERE "ordersCount" > 1) AS repeat_customers,
           sum("netRevenue")::text AS net_revenue
      FROM "Customer" WHERE "shopId" = ${shopId}`;
  const [orderTotals] = await prisma.$queryRaw<{ orders: bigint; net_revenue: string | null }[]>`
    SELECT count(*) AS orders, sum("netRevenue")::text AS net_revenue
      FROM "Order" AS o
     WHERE o."shopId" = ${shopId} AND ${countedOrder}`;
  return {
    customersWithOrders: Number(customerTotals.customers),
    repeatCustomers: Number(customerTotals.repeat_customers),
    orders: Number(orderTotals.orders),
    netRevenue: Number(orderTotals.net_revenue ?? 0),
    customerNetRevenue: Number(customerTotals.net_revenue ?? 0),
  };
}

export function findShopWithInsight(shopDomain: string) {
  return prisma.shop.findUnique({ where: { shopDomain }, include: { insight: true } });
}

export async function loadShopOverview(shopDomain: string): Promise<ShopOverviewResult | null> {
  const shop = await findShopWithInsight(shopDomain);
  return shop && shopOverviewOf(shop);
}

// The overview of a shop row read with its insight (the home reads it once for both uses).
export async function shopOverviewOf(
  shop: NonNullable<Awaited<ReturnType<typeof findShopWithInsight>>>,
): Promise<ShopOverviewResult> {
  const stored = (shop.insight?.data as { totals?: ShopTotals } | undefined)?.totals;
  const totals = stored ?? (await countShopTotals(shop.id));
  return {
    currencyCode: shop.currencyCode,
    countedAt: stored ? shop.insight!.computedAt.toISOString() : null,
    ...shopOverview(totals),
  };
}

// The demo store: a shop, its offline session and two years of synthetic orders, written
// idempotently (same seed, same rows) so `npm run demo` can run again and again.
import prisma from "~/db.server";
import { DEMO_HISTORY, generateSyntheticHistory, type SyntheticHistoryOptions } from "~/core/demo/synthetic-history";
import { centsToAmount, netRevenueCents } from "~/core/orders/net-revenue";
import { refreshCustomerRollups } from "~/services/customer-rollups.server";

export const DEMO_SHOP = "perennial-demo.myshopify.com";
const CHUNK = 2000;
const YEAR = 365 * 86_400_000;

export interface DemoSeedResult {
  shopDomain: string;
  customers: number;
  orders: number;
  seeded: boolean; // false when the store already held exactly this history
}

// The offline session Shopify would have stored after token exchange; its token is never sent
// anywhere (nothing reaches Shopify in the demo).
export async function storeDemoSession(scopes: string[], shopDomain: string = DEMO_SHOP): Promise<void> {
  const session = {
    shop: shopDomain,
    state: "",
    isOnline: false,
    scope: scopes.join(","),
    accessToken: "demo-offline-access-token",
    expires: new Date(Date.now() + YEAR),
    refreshToken: "demo-refresh-token",
    refreshTokenExpires: new Date(Date.now() + YEAR),
  };
  await prisma.session.upsert({
    where: { id: `offline_${shopDomain}` },
    create: { id: `offline_${shopDomain}`, ...session },
    update: session,
  });
}

export async function seedDemoStore(
  options: SyntheticHistoryOptions = DEMO_HISTORY,
  shopDomain: string = DEMO_SHOP,
): Promise<DemoSeedResult> {
  const history = generateSyntheticHistory(options);
  return prisma.$transaction(
    async (tx) => {
      const shop = await tx.shop.upsert({
        where: { shopDomain },
        create: { shopDomain, name: "Perennial Demo Store", currencyCode: "USD" },
        update: { isActive: true, uninstalledAt: null },
      });
      const [existingOrders, existingCustomers] = await Promise.all([
        tx.order.count({ where: { shopId: shop.id } }),
        tx.customer.count({ where: { shopId: shop.id } }),
      ]);
      const result = { shopDomain, customers: history.customers.length, orders: history.orders.length };
      if (existingOrders === history.orders.length && existingCustomers === history.customers.length) {
        return { ...result, seeded: false };
      }
      await tx.order.deleteMany({ where: { shopId: shop.id } });
      await tx.customer.deleteMany({ where: { shopId: shop.id } });

      for (let start = 0; start < history.customers.length; start += CHUNK) {
        await tx.customer.createMany({
          data: history.customers.slice(start, start + CHUNK).map((customer) => ({
            shopId: shop.id,
            shopifyId: customer.shopifyId,
            email: customer.email,
            firstName: customer.firstName,
            lastName: customer.lastName,
            shopifyCreatedAt: customer.createdAt,
          })),
        });
      }
      const customerIds = new Map(
        (await tx.customer.findMany({ where: { shopId: shop.id }, select: { id: true, shopifyId: true } })).map(
          (customer) => [customer.shopifyId, customer.id],
        ),
      );
      for (let start = 0; start < history.orders.length; start += CHUNK) {
        await tx.order.createMany({
          data: history.orders.slice(start, start + CHUNK).map((order) => ({
            shopId: shop.id,
            shopifyId: order.shopifyId,
            customerId: order.customerShopifyId === null ? null : customerIds.get(order.customerShopifyId),
            name: order.name,
            processedAt: order.processedAt,
            shopifyUpdatedAt: order.processedAt,
            currencyCode: "USD",
            subtotal: centsToAmount(order.subtotalCents),
            totalDiscounts: centsToAmount(order.discountCents),
            totalShipping: centsToAmount(order.shippingCents),
            totalTax: centsToAmount(order.taxCents),
            totalPrice: centsToAmount(order.subtotalCents + order.shippingCents + order.taxCents),
            totalRefunded: centsToAmount(order.refundedCents),
            netRevenue: centsToAmount(netRevenueCents(order)),
            financialStatus:
              order.refundedCents === 0
                ? "paid"
                : order.refundedMerchandiseCents >= order.subtotalCents
                  ? "refunded"
                  : "partially_refunded",
            cancelledAt: order.cancelled ? order.processedAt : null,
            test: order.test,
          })),
        });
      }
      await refreshCustomerRollups(tx, shop.id);
      // The demo's history stands for a finished import.
      await tx.backfillRun.deleteMany({ where: { shopId: shop.id } });
      await tx.backfillRun.create({
        data: {
          shopId: shop.id,
          status: "completed",
          objectCount: history.orders.length,
          linesImported: history.orders.length,
          startedAt: options.end,
          finishedAt: options.end,
        },
      });
      return { ...result, seeded: true };
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
}

// customers/data_request: Perennial records what it holds about the customer, so the merchant can
// answer the request (Shopify forwards the request; the merchant replies to the customer).
import type { Prisma } from "@prisma/client";

export async function recordDataRequest(
  tx: Prisma.TransactionClient,
  shopId: string,
  customerShopifyId: bigint,
  shopifyRequestId: string | null,
): Promise<void> {
  const customer = await tx.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    include: {
      orders: {
        where: { deletedAt: null },
        orderBy: { processedAt: "asc" },
        select: {
          shopifyId: true,
          name: true,
          processedAt: true,
          netRevenue: true,
          currencyCode: true,
          cancelledAt: true,
        },
      },
      loyaltyAccount: {
        include: { entries: { orderBy: { occurredAt: "asc" } } },
      },
    },
  });
  const loyalty = customer?.loyaltyAccount;
  const data = customer
    ? {
        customer: {
          id: customer.shopifyId.toString(),
          email: customer.email,
          firstName: customer.firstName,
          lastName: customer.lastName,
          ordersCount: customer.ordersCount,
          firstOrderAt: customer.firstOrderAt?.toISOString() ?? null,
          lastOrderAt: customer.lastOrderAt?.toISOString() ?? null,
          netRevenue: customer.netRevenue.toFixed(2),
        },
        orders: customer.orders.map((order) => ({
          id: order.shopifyId.toString(),
          name: order.name,
          processedAt: order.processedAt.toISOString(),
          netRevenue: order.netRevenue.toFixed(2),
          currency: order.currencyCode,
          cancelled: order.cancelledAt !== null,
        })),
        loyalty: loyalty
          ? {
              memberSince: loyalty.enrolledAt.toISOString(),
              birthday: loyalty.birthday,
              pointsBalance: loyalty.pointsBalance,
              pendingPoints: loyalty.pendingPoints,
              tier: loyalty.tierId,
              history: loyalty.entries.map((entry) => ({
                kind: entry.kind,
                points: entry.points,
                pendingPoints: entry.pendingPoints,
                occurredAt: entry.occurredAt.toISOString(),
                order: entry.orderId,
                reason: entry.reason,
              })),
            }
          : null,
      }
    : { customer: null, orders: [], loyalty: null };
  await tx.dataRequest.create({ data: { shopId, customerShopifyId, shopifyRequestId, data } });
}

/**
 * customers/redact and customers/delete: the quarantined deliveries that mention the customer's id
 * (as a whole number anywhere in the body, in the escaped bytes) go too, since they hold the
 * payload as Shopify sent it. One that mentions the number for another reason goes with them.
 */
export async function forgetQuarantinedCustomer(
  tx: Prisma.TransactionClient,
  shopDomain: string,
  customerShopifyId: bigint,
): Promise<void> {
  const mention = `(^|[^0-9])${customerShopifyId.toString()}([^0-9]|$)`;
  await tx.$executeRaw`
    DELETE FROM "WebhookQuarantine"
     WHERE "shopDomain" = ${shopDomain} AND encode("body", 'escape') ~ ${mention}`;
}

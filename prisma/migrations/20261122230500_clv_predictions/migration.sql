-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "annualDiscountRate" DECIMAL(5,4) NOT NULL DEFAULT 0.1,
ADD COLUMN     "grossMargin" DECIMAL(5,4) NOT NULL DEFAULT 0.5;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "clvPercentile" DOUBLE PRECISION,
ADD COLUMN     "expectedOrders365d" DOUBLE PRECISION,
ADD COLUMN     "expectedOrders90d" DOUBLE PRECISION,
ADD COLUMN     "predictedClv365d" DECIMAL(14,2),
ADD COLUMN     "probabilityAlive" DOUBLE PRECISION,
ADD COLUMN     "rfmSegment" TEXT,
ADD COLUMN     "scoredAt" TIMESTAMP(3),
ADD COLUMN     "secondOrderAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ClvRun" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "model" TEXT,
    "params" JSONB,
    "logLikelihood" DOUBLE PRECISION,
    "spendParams" JSONB,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "repeatCustomers" INTEGER NOT NULL DEFAULT 0,
    "backtest" JSONB,
    "message" TEXT,
    "phases" JSONB,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ClvRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopInsight" (
    "shopId" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "ShopInsight_pkey" PRIMARY KEY ("shopId")
);

-- CreateIndex
CREATE INDEX "ClvRun_shopId_startedAt_idx" ON "ClvRun"("shopId", "startedAt");

-- CreateIndex
CREATE INDEX "Customer_shopId_predictedClv365d_idx" ON "Customer"("shopId", "predictedClv365d");

-- CreateIndex
CREATE INDEX "Customer_shopId_rfmSegment_idx" ON "Customer"("shopId", "rfmSegment");

-- AddForeignKey
ALTER TABLE "ClvRun" ADD CONSTRAINT "ClvRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopInsight" ADD CONSTRAINT "ShopInsight_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Rollups now include the second order's time (repeat purchase and days-to-second-order figures).
CREATE OR REPLACE FUNCTION perennial_refresh_rollups(p_shop_id text, p_customer_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_customer_ids IS NULL THEN
    UPDATE "Customer" AS c
       SET "ordersCount" = coalesce(r.orders, 0), "firstOrderAt" = r.first_order_at,
           "secondOrderAt" = r.second_order_at, "lastOrderAt" = r.last_order_at,
           "netRevenue" = coalesce(r.net_revenue, 0), "updatedAt" = now()
      FROM "Customer" AS target
      LEFT JOIN (
        SELECT o."customerId", count(*)::int AS orders, min(o."processedAt") AS first_order_at,
               (array_agg(o."processedAt" ORDER BY o."processedAt"))[2] AS second_order_at,
               max(o."processedAt") AS last_order_at, sum(o."netRevenue") AS net_revenue
          FROM "Order" AS o
         WHERE o."shopId" = p_shop_id AND o."customerId" IS NOT NULL
           AND o."cancelledAt" IS NULL AND NOT o."test" AND o."deletedAt" IS NULL
         GROUP BY o."customerId"
      ) AS r ON r."customerId" = target."id"
     WHERE c."id" = target."id" AND c."shopId" = p_shop_id;
  ELSE
    UPDATE "Customer" AS c
       SET "ordersCount" = coalesce(r.orders, 0), "firstOrderAt" = r.first_order_at,
           "secondOrderAt" = r.second_order_at, "lastOrderAt" = r.last_order_at,
           "netRevenue" = coalesce(r.net_revenue, 0), "updatedAt" = now()
      FROM (
        SELECT target."id", count(o."id")::int AS orders, min(o."processedAt") AS first_order_at,
               (array_agg(o."processedAt" ORDER BY o."processedAt") FILTER (WHERE o."id" IS NOT NULL))[2] AS second_order_at,
               max(o."processedAt") AS last_order_at, sum(o."netRevenue") AS net_revenue
          FROM "Customer" AS target
          LEFT JOIN "Order" AS o
            ON o."customerId" = target."id"
           AND o."cancelledAt" IS NULL AND NOT o."test" AND o."deletedAt" IS NULL
         WHERE target."id" = ANY (p_customer_ids) AND target."shopId" = p_shop_id
         GROUP BY target."id"
      ) AS r
     WHERE c."id" = r."id";
  END IF;
END
$$;

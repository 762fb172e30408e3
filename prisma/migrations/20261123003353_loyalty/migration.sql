-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "discountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "fulfillmentStatus" TEXT;

-- CreateTable
CREATE TABLE "LoyaltyProgram" (
    "shopId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "settings" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "launchedAt" TIMESTAMP(3),
    "updatedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoyaltyProgram_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "LoyaltyProgramChange" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "settings" JSONB NOT NULL,
    "staffMember" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoyaltyProgramChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoyaltyAccount" (
    "customerId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "birthday" TEXT,
    "pointsBalance" INTEGER NOT NULL DEFAULT 0,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    "owedPoints" INTEGER NOT NULL DEFAULT 0,
    "tierId" TEXT,
    "tierSince" TIMESTAMP(3),
    "tierReviewedAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3),
    "statusVersion" INTEGER NOT NULL DEFAULT 0,
    "metafieldVersion" INTEGER NOT NULL DEFAULT 0,
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoyaltyAccount_pkey" PRIMARY KEY ("customerId")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "pendingPoints" INTEGER NOT NULL,
    "owedPoints" INTEGER NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "orderId" TEXT,
    "refundId" TEXT,
    "redemptionId" TEXT,
    "rewardId" TEXT,
    "adjustmentId" TEXT,
    "cartToken" TEXT,
    "bonus" TEXT,
    "earnRate" TEXT,
    "tierMultiplier" TEXT,
    "netSpendCents" INTEGER,
    "staffMember" TEXT,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoyaltyOrder" (
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoyaltyOrder_pkey" PRIMARY KEY ("shopId","orderId")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "rewardName" TEXT NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "shopifyDiscountId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyProgramChange_shopId_version_key" ON "LoyaltyProgramChange"("shopId", "version");

-- CreateIndex
CREATE INDEX "LoyaltyAccount_shopId_tierId_idx" ON "LoyaltyAccount"("shopId", "tierId");

-- CreateIndex
CREATE INDEX "LedgerEntry_customerId_occurredAt_idx" ON "LedgerEntry"("customerId", "occurredAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_occurredAt_idx" ON "LedgerEntry"("shopId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_shopId_customerId_key_key" ON "LedgerEntry"("shopId", "customerId", "key");

-- CreateIndex
CREATE INDEX "LoyaltyOrder_customerId_idx" ON "LoyaltyOrder"("customerId");

-- CreateIndex
CREATE INDEX "Redemption_customerId_createdAt_idx" ON "Redemption"("customerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_code_key" ON "Redemption"("shopId", "code");

-- AddForeignKey
ALTER TABLE "LoyaltyProgram" ADD CONSTRAINT "LoyaltyProgram_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyProgramChange" ADD CONSTRAINT "LoyaltyProgramChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyAccount" ADD CONSTRAINT "LoyaltyAccount_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyAccount" ADD CONSTRAINT "LoyaltyAccount_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "LoyaltyAccount"("customerId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyOrder" ADD CONSTRAINT "LoyaltyOrder_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "LoyaltyAccount"("customerId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Balances never go below zero, whatever code writes them.
ALTER TABLE "LoyaltyAccount" ADD CONSTRAINT "LoyaltyAccount_points_not_negative"
  CHECK ("pointsBalance" >= 0 AND "pendingPoints" >= 0 AND "owedPoints" >= 0);

-- The ledger is append-only: an entry is never changed (rows go only with their shop or customer).
CREATE OR REPLACE FUNCTION perennial_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'LedgerEntry is append-only: add a correcting entry instead of updating %', OLD."id";
END
$$;
CREATE TRIGGER "LedgerEntry_append_only" BEFORE UPDATE ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION perennial_ledger_append_only();

-- The metafield job finds the members whose storefront balance is behind without a scan.
CREATE INDEX "LoyaltyAccount_metafield_due" ON "LoyaltyAccount" ("shopId")
  WHERE "statusVersion" <> "metafieldVersion";

-- Customers now keep Shopify's tags (loyalty exclusions); a snapshot without tags keeps the stored ones.
CREATE OR REPLACE FUNCTION perennial_upsert_customer(p_shop_id text, p_customer jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_id   text;
  v_tags text[] := CASE WHEN jsonb_typeof(p_customer->'tags') = 'array'
                        THEN ARRAY(SELECT jsonb_array_elements_text(p_customer->'tags')) END;
BEGIN
  INSERT INTO "Customer" AS c ("id", "shopId", "shopifyId", "email", "firstName", "lastName", "tags",
                               "shopifyCreatedAt", "shopifyUpdatedAt", "updatedAt")
  VALUES (perennial_new_id(), p_shop_id, (p_customer->>'shopifyId')::bigint, p_customer->>'email',
          p_customer->>'firstName', p_customer->>'lastName', coalesce(v_tags, ARRAY[]::text[]),
          perennial_utc(p_customer->>'createdAt'), perennial_utc(p_customer->>'updatedAt'), now())
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
    "email"            = EXCLUDED."email",
    "firstName"        = EXCLUDED."firstName",
    "lastName"         = EXCLUDED."lastName",
    "tags"             = CASE WHEN v_tags IS NULL THEN c."tags" ELSE EXCLUDED."tags" END,
    "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt",
    "shopifyCreatedAt" = coalesce(c."shopifyCreatedAt", EXCLUDED."shopifyCreatedAt"),
    "updatedAt"        = now()
  -- Only newer data, never after redaction; an unchanged customer is not rewritten at all.
  WHERE c."redactedAt" IS NULL
    AND (c."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= c."shopifyUpdatedAt")
    AND (c."email", c."firstName", c."lastName", c."shopifyUpdatedAt", c."tags")
        IS DISTINCT FROM (EXCLUDED."email", EXCLUDED."firstName", EXCLUDED."lastName", EXCLUDED."shopifyUpdatedAt",
                          CASE WHEN v_tags IS NULL THEN c."tags" ELSE EXCLUDED."tags" END)
  RETURNING c."id" INTO v_id;
  IF v_id IS NULL THEN
    SELECT "id" INTO v_id FROM "Customer" WHERE "shopId" = p_shop_id AND "shopifyId" = (p_customer->>'shopifyId')::bigint;
  END IF;
  RETURN v_id;
END
$$;

-- Orders now keep their fulfilment status and the discount codes they used (loyalty: points on
-- fulfilment, and the reward an order redeemed).
CREATE OR REPLACE FUNCTION perennial_apply_order(p_shop_id text, p_order jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_order_id   bigint := (p_order->>'shopifyId')::bigint;
  v_updated_at timestamp(3) := perennial_utc(p_order->>'updatedAt');
  v_previous    record;
  v_customer    text;
  v_refunded    numeric;
  v_unreflected numeric;
BEGIN
  SELECT "customerId", "shopifyUpdatedAt" INTO v_previous
    FROM "Order" WHERE "shopId" = p_shop_id AND "shopifyId" = v_order_id FOR UPDATE;
  IF FOUND AND v_previous."shopifyUpdatedAt" > v_updated_at THEN
    RETURN 'stale';
  END IF;
  IF jsonb_typeof(p_order->'customer') = 'object' THEN
    v_customer := perennial_upsert_customer(p_shop_id, p_order->'customer');
  END IF;
  IF jsonb_array_length(coalesce(p_order->'refunds', '[]'::jsonb)) > 0 THEN
    PERFORM perennial_upsert_refunds(p_shop_id, p_order->'refunds', true);
  END IF;
  SELECT coalesce(sum("amount"), 0), coalesce(sum("merchandiseAmount") FILTER (WHERE NOT "reflected"), 0)
    INTO v_refunded, v_unreflected
    FROM "Refund" WHERE "shopId" = p_shop_id AND "orderShopifyId" = v_order_id;
  INSERT INTO "Order" AS o ("id", "shopId", "shopifyId", "customerId", "name", "processedAt", "shopifyUpdatedAt",
                            "currencyCode", "financialStatus", "cancelledAt", "test", "subtotal", "currentSubtotal",
                            "totalDiscounts", "totalShipping", "totalTax", "totalPrice", "totalRefunded", "netRevenue",
                            "fulfillmentStatus", "discountCodes", "updatedAt")
  VALUES (perennial_new_id(), p_shop_id, v_order_id, v_customer, p_order->>'name', perennial_utc(p_order->>'processedAt'),
          v_updated_at, p_order->>'currencyCode', p_order->>'financialStatus', perennial_utc(p_order->>'cancelledAt'),
          (p_order->>'test')::boolean, (p_order->>'subtotal')::numeric, (p_order->>'currentSubtotal')::numeric,
          (p_order->>'discounts')::numeric, (p_order->>'shipping')::numeric, (p_order->>'tax')::numeric,
          (p_order->>'total')::numeric, v_refunded,
          greatest(0, (p_order->>'currentSubtotal')::numeric - v_unreflected),
          p_order->>'fulfillmentStatus',
          ARRAY(SELECT jsonb_array_elements_text(coalesce(p_order->'discountCodes', '[]'::jsonb))), now())
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
    "customerId" = EXCLUDED."customerId", "name" = EXCLUDED."name", "processedAt" = EXCLUDED."processedAt",
    "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "currencyCode" = EXCLUDED."currencyCode",
    "financialStatus" = EXCLUDED."financialStatus", "cancelledAt" = EXCLUDED."cancelledAt", "test" = EXCLUDED."test",
    "subtotal" = EXCLUDED."subtotal", "currentSubtotal" = EXCLUDED."currentSubtotal",
    "totalDiscounts" = EXCLUDED."totalDiscounts", "totalShipping" = EXCLUDED."totalShipping",
    "totalTax" = EXCLUDED."totalTax", "totalPrice" = EXCLUDED."totalPrice",
    "totalRefunded" = EXCLUDED."totalRefunded", "netRevenue" = EXCLUDED."netRevenue",
    "fulfillmentStatus" = EXCLUDED."fulfillmentStatus", "discountCodes" = EXCLUDED."discountCodes", "updatedAt" = now();
  PERFORM perennial_refresh_rollups(p_shop_id,
    array_remove(ARRAY[CASE WHEN v_previous IS NULL THEN NULL ELSE v_previous."customerId" END, v_customer], NULL));
  RETURN 'applied';
END
$$;

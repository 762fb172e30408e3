-- The functions whose files in prisma/functions changed (docs/decisions/011-sql-functions-as-source-files.md).

-- Applies an order snapshot (app/core/orders/snapshot.ts, as JSON: ids and amounts as text) unless
-- a newer one is stored; returns 'applied' or 'stale'. A deleted order takes newer data but stays
-- deleted ("deletedAt" is not written here). Its money is the rule of
-- perennial_recompute_order_money, computed before the write so that the row is written once.
-- The rollups of its customer, and of the customer it moved from, follow in the same transaction.
CREATE OR REPLACE FUNCTION perennial_apply_order(p_shop_id text, p_order jsonb)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  v_order_id    bigint := (p_order->>'shopifyId')::bigint;
  v_updated_at  timestamp(3) := perennial_utc(p_order->>'updatedAt');
  v_previous    record;
  v_customer    text;
  v_refunded    numeric;
  v_unreflected numeric;
BEGIN
  -- The stored order, locked: a newer snapshot already applied wins.
  SELECT "customerId", "shopifyUpdatedAt" INTO v_previous
    FROM "Order"
   WHERE "shopId" = p_shop_id AND "shopifyId" = v_order_id
     FOR UPDATE;
  IF FOUND AND v_previous."shopifyUpdatedAt" > v_updated_at THEN
    RETURN 'stale';
  END IF;

  IF jsonb_typeof(p_order->'customer') = 'object' THEN
    v_customer := perennial_upsert_customer(p_shop_id, p_order->'customer');
  END IF;
  IF jsonb_array_length(coalesce(p_order->'refunds', '[]'::jsonb)) > 0 THEN
    PERFORM perennial_upsert_refunds(p_shop_id, p_order->'refunds', true);
  END IF;

  -- Every refund's money, and the merchandise of those the snapshot does not list yet.
  SELECT coalesce(sum("amount"), 0),
         coalesce(sum("merchandiseAmount") FILTER (WHERE NOT "reflected"), 0)
    INTO v_refunded, v_unreflected
    FROM "Refund"
   WHERE "shopId" = p_shop_id AND "orderShopifyId" = v_order_id;

  INSERT INTO "Order" AS o (
    "id", "shopId", "shopifyId", "customerId", "name", "processedAt", "shopifyUpdatedAt",
    "currencyCode", "financialStatus", "cancelledAt", "test",
    "subtotal", "currentSubtotal", "totalDiscounts", "totalShipping", "totalTax", "totalPrice",
    "totalRefunded", "netRevenue", "fulfillmentStatus", "discountCodes", "updatedAt")
  VALUES (
    perennial_new_id(), p_shop_id, v_order_id, v_customer, p_order->>'name',
    perennial_utc(p_order->>'processedAt'), v_updated_at,
    p_order->>'currencyCode', p_order->>'financialStatus', perennial_utc(p_order->>'cancelledAt'),
    (p_order->>'test')::boolean,
    (p_order->>'subtotal')::numeric,
    (p_order->>'currentSubtotal')::numeric,
    (p_order->>'discounts')::numeric,
    (p_order->>'shipping')::numeric,
    (p_order->>'tax')::numeric,
    (p_order->>'total')::numeric,
    v_refunded,
    greatest(0, (p_order->>'currentSubtotal')::numeric - v_unreflected),  -- "netRevenue"
    p_order->>'fulfillmentStatus',
    ARRAY(SELECT jsonb_array_elements_text(coalesce(p_order->'discountCodes', '[]'::jsonb))),
    now())
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
    "customerId"        = EXCLUDED."customerId",
    "name"              = EXCLUDED."name",
    "processedAt"       = EXCLUDED."processedAt",
    "shopifyUpdatedAt"  = EXCLUDED."shopifyUpdatedAt",
    "currencyCode"      = EXCLUDED."currencyCode",
    "financialStatus"   = EXCLUDED."financialStatus",
    "cancelledAt"       = EXCLUDED."cancelledAt",
    "test"              = EXCLUDED."test",
    "subtotal"          = EXCLUDED."subtotal",
    "currentSubtotal"   = EXCLUDED."currentSubtotal",
    "totalDiscounts"    = EXCLUDED."totalDiscounts",
    "totalShipping"     = EXCLUDED."totalShipping",
    "totalTax"          = EXCLUDED."totalTax",
    "totalPrice"        = EXCLUDED."totalPrice",
    "totalRefunded"     = EXCLUDED."totalRefunded",
    "netRevenue"        = EXCLUDED."netRevenue",
    "fulfillmentStatus" = EXCLUDED."fulfillmentStatus",
    "discountCodes"     = EXCLUDED."discountCodes",
    "updatedAt"         = now();

  -- The customer it belongs to now, and the one it belonged to before (when it moved).
  PERFORM perennial_refresh_rollups(
    p_shop_id,
    array_remove(ARRAY[CASE WHEN v_previous IS NULL THEN NULL ELSE v_previous."customerId" END, v_customer], NULL));
  RETURN 'applied';
END
$$;

-- The member's account, entries (oldest first, in a fixed order) and orders (by id), as app/core/loyalty's LoyaltyState;
-- NULL for a customer who is not a member. With p_lock the account is created if missing and
-- locked until the transaction ends. This function is VOLATILE, so each statement takes a new
-- snapshot: the account and its entries are read after the lock is held, and include every change
-- committed before it. The rules stay in app/core/loyalty; this only reads rows (decision 010).
CREATE OR REPLACE FUNCTION perennial_loyalty_state(p_shop_id text, p_customer_id text, p_lock boolean)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  v_account jsonb;
BEGIN
  IF p_lock THEN
    PERFORM 1 FROM "LoyaltyAccount"
     WHERE "customerId" = p_customer_id AND "shopId" = p_shop_id
       FOR UPDATE;
    IF NOT FOUND THEN
      -- Not a member yet: enrolment is having an account. A concurrent transaction enrolling the
      -- same customer makes this wait for it and insert nothing; the row it made is locked next.
      INSERT INTO "LoyaltyAccount" ("customerId", "shopId", "updatedAt")
      VALUES (p_customer_id, p_shop_id, now())
      ON CONFLICT ("customerId") DO NOTHING;
      PERFORM 1 FROM "LoyaltyAccount"
       WHERE "customerId" = p_customer_id AND "shopId" = p_shop_id
         FOR UPDATE;
    END IF;
  END IF;

  SELECT jsonb_build_object(
           'customerId',     a."customerId",
           'customerTags',   to_jsonb(coalesce(c."tags", ARRAY[]::text[])),
           'birthday',       a."birthday",
           'pointsBalance',  a."pointsBalance",
           'pendingPoints',  a."pendingPoints",
           'owedPoints',     a."owedPoints",
           'tierId',         a."tierId",
           'tierSince',      perennial_iso(a."tierSince"),
           'tierReviewedAt', perennial_iso(a."tierReviewedAt"))
    INTO v_account
    FROM "LoyaltyAccount" AS a
    JOIN "Customer" AS c ON c."id" = a."customerId"
   WHERE a."customerId" = p_customer_id AND a."shopId" = p_shop_id;
  IF v_account IS NULL THEN
    RETURN NULL;
  END IF;

  RETURN jsonb_build_object(
    'account', v_account,
    'entries', coalesce((
      SELECT jsonb_agg(
               jsonb_build_object(
                 'key',            e."key",
                 'customerId',     e."customerId",
                 'kind',           e."kind",
                 'points',         e."points",
                 'pendingPoints',  e."pendingPoints",
                 'owedPoints',     e."owedPoints",
                 'occurredAt',     perennial_iso(e."occurredAt"),
                 'orderId',        e."orderId",
                 'refundId',       e."refundId",
                 'redemptionId',   e."redemptionId",
                 'rewardId',       e."rewardId",
                 'adjustmentId',   e."adjustmentId",
                 'cartToken',      e."cartToken",
                 'bonus',          e."bonus",
                 'earnRate',       e."earnRate",
                 'tierMultiplier', e."tierMultiplier",
                 'netSpendCents',  e."netSpendCents",
                 'staffMember',    e."staffMember",
                 'reason',         e."reason")
               -- Entries of one transaction share "createdAt": ties go by key, so every read
               -- sees the same order and the core's "latest entry" is always the same one.
               ORDER BY e."occurredAt", e."createdAt", e."key")
        FROM "LedgerEntry" AS e
       WHERE e."customerId" = p_customer_id), '[]'::jsonb),
    'orders', coalesce((
      SELECT jsonb_agg(o."data" ORDER BY o."orderId")
        FROM "LoyaltyOrder" AS o
       WHERE o."customerId" = p_customer_id), '[]'::jsonb));
END
$$;

-- An order's money from its refunds. Net revenue = current subtotal less the merchandise of refunds
-- the snapshot does not list yet; total refunded = every refund's money. Returns the order's
-- customer (NULL for a guest).
CREATE OR REPLACE FUNCTION perennial_recompute_order_money(p_shop_id text, p_order_shopify_id bigint)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  v_customer text;
BEGIN
  UPDATE "Order" AS o
     SET "totalRefunded" = r.refunded,
         "netRevenue"    = greatest(0, o."currentSubtotal" - r.unreflected_merchandise),
         "updatedAt"     = now()
    FROM (SELECT coalesce(sum("amount"), 0) AS refunded,
                 coalesce(sum("merchandiseAmount") FILTER (WHERE NOT "reflected"), 0) AS unreflected_merchandise
            FROM "Refund"
           WHERE "shopId" = p_shop_id AND "orderShopifyId" = p_order_shopify_id) AS r
   WHERE o."shopId" = p_shop_id AND o."shopifyId" = p_order_shopify_id
  RETURNING o."customerId" INTO v_customer;
  RETURN v_customer;
END
$$;

-- A customer's rollups over counted orders (not cancelled, not test, not deleted; see
-- docs/net-revenue.md): order count, first, second and last order, net revenue.
-- With p_customer_ids NULL: the whole shop, in one statement. Otherwise each customer once, one at a
-- time by primary key alone: with "shopId" in the condition too, plpgsql's cached generic plan could
-- walk every customer of the shop (decision 010).
CREATE OR REPLACE FUNCTION perennial_refresh_rollups(p_shop_id text, p_customer_ids text[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  v_customer_id text;
BEGIN
  IF p_customer_ids IS NULL THEN
    -- The whole shop: every customer, those without a counted order back to zero.
    UPDATE "Customer" AS c
       SET "ordersCount"   = coalesce(r.orders, 0),
           "firstOrderAt"  = r.first_order_at,
           "secondOrderAt" = r.second_order_at,
           "lastOrderAt"   = r.last_order_at,
           "netRevenue"    = coalesce(r.net_revenue, 0),
           "updatedAt"     = now()
      FROM "Customer" AS target
      LEFT JOIN (
        SELECT o."customerId",
               count(*)::int AS orders,
               min(o."processedAt") AS first_order_at,
               (array_agg(o."processedAt" ORDER BY o."processedAt"))[2] AS second_order_at,
               max(o."processedAt") AS last_order_at,
               sum(o."netRevenue") AS net_revenue
          FROM "Order" AS o
         WHERE o."shopId" = p_shop_id AND o."customerId" IS NOT NULL
           AND o."cancelledAt" IS NULL AND NOT o."test" AND o."deletedAt" IS NULL
         GROUP BY o."customerId"
      ) AS r ON r."customerId" = target."id"
     WHERE c."id" = target."id" AND c."shopId" = p_shop_id;
    RETURN;
  END IF;
  -- Each customer once (an order that stays with its customer passes it twice), in a fixed order
  -- so that two orders moving between the same customers lock them alike.
  FOR v_customer_id IN SELECT DISTINCT id FROM unnest(p_customer_ids) AS id ORDER BY id LOOP
    UPDATE "Customer" AS c
       SET ("ordersCount", "firstOrderAt", "secondOrderAt", "lastOrderAt", "netRevenue", "updatedAt") =
           (SELECT count(*)::int,
                   min(o."processedAt"),
                   (array_agg(o."processedAt" ORDER BY o."processedAt"))[2],
                   max(o."processedAt"),
                   coalesce(sum(o."netRevenue"), 0),
                   now()
              FROM "Order" AS o
             WHERE o."customerId" = c."id"
               AND o."cancelledAt" IS NULL AND NOT o."test" AND o."deletedAt" IS NULL)
     WHERE c."id" = v_customer_id;
  END LOOP;
END
$$;

-- Creates the customer if new, and returns its id. Name, email and tags change only from data at
-- least as recent as what is stored, and never after the customer was redacted; a snapshot without
-- tags keeps the stored ones (loyalty exclusions). An unchanged customer is not rewritten.
CREATE OR REPLACE FUNCTION perennial_upsert_customer(p_shop_id text, p_customer jsonb)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  v_id   text;
  v_tags text[] := CASE WHEN jsonb_typeof(p_customer->'tags') = 'array'
                        THEN ARRAY(SELECT jsonb_array_elements_text(p_customer->'tags')) END;
BEGIN
  INSERT INTO "Customer" AS c (
    "id", "shopId", "shopifyId", "email", "firstName", "lastName", "tags",
    "shopifyCreatedAt", "shopifyUpdatedAt", "updatedAt")
  VALUES (
    perennial_new_id(), p_shop_id, (p_customer->>'shopifyId')::bigint,
    p_customer->>'email', p_customer->>'firstName', p_customer->>'lastName', coalesce(v_tags, ARRAY[]::text[]),
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
        IS DISTINCT FROM
        (EXCLUDED."email", EXCLUDED."firstName", EXCLUDED."lastName", EXCLUDED."shopifyUpdatedAt",
         CASE WHEN v_tags IS NULL THEN c."tags" ELSE EXCLUDED."tags" END)
  RETURNING c."id" INTO v_id;
  -- Not written (older data, redacted, or unchanged): the stored customer's id.
  IF v_id IS NULL THEN
    SELECT "id" INTO v_id
      FROM "Customer"
     WHERE "shopId" = p_shop_id AND "shopifyId" = (p_customer->>'shopifyId')::bigint;
  END IF;
  RETURN v_id;
END
$$;

-- Refunds, keyed by their own id. `reflected`: an order snapshot lists the refund, so the order's
-- current subtotal already includes it. Merchandise stays as stored when a source omits it.
CREATE OR REPLACE FUNCTION perennial_upsert_refunds(p_shop_id text, p_refunds jsonb, p_reflected boolean)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  v_refund      jsonb;
  v_merchandise numeric;
BEGIN
  FOR v_refund IN SELECT value FROM jsonb_array_elements(coalesce(p_refunds, '[]'::jsonb)) LOOP
    v_merchandise := (v_refund->>'merchandise')::numeric;
    INSERT INTO "Refund" AS r (
      "id", "shopId", "shopifyId", "orderShopifyId", "processedAt", "amount", "merchandiseAmount",
      "reflected", "updatedAt")
    VALUES (
      perennial_new_id(), p_shop_id, (v_refund->>'shopifyId')::bigint, (v_refund->>'orderShopifyId')::bigint,
      perennial_utc(v_refund->>'processedAt'), (v_refund->>'amount')::numeric, coalesce(v_merchandise, 0),
      p_reflected, now())
    ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
      "amount"            = EXCLUDED."amount",
      "merchandiseAmount" = CASE WHEN v_merchandise IS NULL THEN r."merchandiseAmount"
                                 ELSE EXCLUDED."merchandiseAmount" END,
      "reflected"         = r."reflected" OR EXCLUDED."reflected",
      "updatedAt"         = now();
  END LOOP;
END
$$;

-- Order ingest as PostgreSQL functions: one definition of how a snapshot, a refund and the
-- customer rollups are applied, used by webhooks, the backfill and jobs alike, and one round
-- trip per webhook (bench:ingest). Timestamps are stored as UTC `timestamp(3)`, as Prisma does.
-- Counted orders: not cancelled, not test, not deleted (app/core/orders/net-revenue.ts).

CREATE OR REPLACE FUNCTION perennial_new_id() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT 'c' || replace(gen_random_uuid()::text, '-', '')
$$;

CREATE OR REPLACE FUNCTION perennial_utc(value text) RETURNS timestamp(3) LANGUAGE sql IMMUTABLE AS $$
  SELECT (value::timestamptz AT TIME ZONE 'UTC')::timestamp(3)
$$;

-- Creates the customer if new; name and email change only from data at least as recent as what
-- is stored, and never after the customer was redacted.
CREATE OR REPLACE FUNCTION perennial_upsert_customer(p_shop_id text, p_customer jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_id text;
BEGIN
  INSERT INTO "Customer" AS c ("id", "shopId", "shopifyId", "email", "firstName", "lastName",
                               "shopifyCreatedAt", "shopifyUpdatedAt", "updatedAt")
  VALUES (perennial_new_id(), p_shop_id, (p_customer->>'shopifyId')::bigint, p_customer->>'email',
          p_customer->>'firstName', p_customer->>'lastName', perennial_utc(p_customer->>'createdAt'),
          perennial_utc(p_customer->>'updatedAt'), now())
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
    "email"            = EXCLUDED."email",
    "firstName"        = EXCLUDED."firstName",
    "lastName"         = EXCLUDED."lastName",
    "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt",
    "shopifyCreatedAt" = coalesce(c."shopifyCreatedAt", EXCLUDED."shopifyCreatedAt"),
    "updatedAt"        = now()
  -- Only newer data, never after redaction; an unchanged customer is not rewritten at all.
  WHERE c."redactedAt" IS NULL
    AND (c."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= c."shopifyUpdatedAt")
    AND (c."email", c."firstName", c."lastName", c."shopifyUpdatedAt")
        IS DISTINCT FROM (EXCLUDED."email", EXCLUDED."firstName", EXCLUDED."lastName", EXCLUDED."shopifyUpdatedAt")
  RETURNING c."id" INTO v_id;
  IF v_id IS NULL THEN
    SELECT "id" INTO v_id FROM "Customer" WHERE "shopId" = p_shop_id AND "shopifyId" = (p_customer->>'shopifyId')::bigint;
  END IF;
  RETURN v_id;
END
$$;

-- Refunds keyed by their own id. `reflected`: an order snapshot lists the refund, so its
-- current subtotal already includes it. Merchandise stays as stored when a source omits it.
CREATE OR REPLACE FUNCTION perennial_upsert_refunds(p_shop_id text, p_refunds jsonb, p_reflected boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_refund      jsonb;
  v_merchandise numeric;
BEGIN
  FOR v_refund IN SELECT value FROM jsonb_array_elements(coalesce(p_refunds, '[]'::jsonb)) LOOP
    v_merchandise := (v_refund->>'merchandise')::numeric;
    INSERT INTO "Refund" AS r ("id", "shopId", "shopifyId", "orderShopifyId", "processedAt", "amount",
                               "merchandiseAmount", "reflected", "updatedAt")
    VALUES (perennial_new_id(), p_shop_id, (v_refund->>'shopifyId')::bigint, (v_refund->>'orderShopifyId')::bigint,
            perennial_utc(v_refund->>'processedAt'), (v_refund->>'amount')::numeric, coalesce(v_merchandise, 0),
            p_reflected, now())
    ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
      "amount"            = EXCLUDED."amount",
      "merchandiseAmount" = CASE WHEN v_merchandise IS NULL THEN r."merchandiseAmount" ELSE EXCLUDED."merchandiseAmount" END,
      "reflected"         = r."reflected" OR EXCLUDED."reflected",
      "updatedAt"         = now();
  END LOOP;
END
$$;

-- Net revenue = current subtotal less the merchandise of refunds the snapshot does not list yet;
-- total refunded = every refund's money. Returns the order's customer (NULL for a guest).
CREATE OR REPLACE FUNCTION perennial_recompute_order_money(p_shop_id text, p_order_shopify_id bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_customer text;
BEGIN
  UPDATE "Order" AS o
     SET "totalRefunded" = r.refunded,
         "netRevenue"    = greatest(0, o."currentSubtotal" - r.unreflected_merchandise),
         "updatedAt"     = now()
    FROM (SELECT coalesce(sum("amount"), 0) AS refunded,
                 coalesce(sum("merchandiseAmount") FILTER (WHERE NOT "reflected"), 0) AS unreflected_merchandise
            FROM "Refund" WHERE "shopId" = p_shop_id AND "orderShopifyId" = p_order_shopify_id) AS r
   WHERE o."shopId" = p_shop_id AND o."shopifyId" = p_order_shopify_id
  RETURNING o."customerId" INTO v_customer;
  RETURN v_customer;
END
$$;

-- Rollups over counted orders, for the given customers or, with NULL, the whole shop. Two
-- static queries, not one with "ids IS NULL OR …": a webhook must touch only its customer's rows
-- through the indexes, never scan the shop.
CREATE OR REPLACE FUNCTION perennial_refresh_rollups(p_shop_id text, p_customer_ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF p_customer_ids IS NULL THEN
    UPDATE "Customer" AS c
       SET "ordersCount" = coalesce(r.orders, 0), "firstOrderAt" = r.first_order_at,
           "lastOrderAt" = r.last_order_at, "netRevenue" = coalesce(r.net_revenue, 0), "updatedAt" = now()
      FROM "Customer" AS target
      LEFT JOIN (
        SELECT o."customerId", count(*)::int AS orders, min(o."processedAt") AS first_order_at,
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
           "lastOrderAt" = r.last_order_at, "netRevenue" = coalesce(r.net_revenue, 0), "updatedAt" = now()
      FROM (
        SELECT target."id", count(o."id")::int AS orders, min(o."processedAt") AS first_order_at,
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

-- Applies an order snapshot (app/core/orders/snapshot.ts, as JSON: ids and amounts as text) unless
-- a newer one is stored. A deleted order takes newer data but stays deleted. Its money is the
-- rule of perennial_recompute_order_money, computed before the write so the row is written once.
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
                            "updatedAt")
  VALUES (perennial_new_id(), p_shop_id, v_order_id, v_customer, p_order->>'name', perennial_utc(p_order->>'processedAt'),
          v_updated_at, p_order->>'currencyCode', p_order->>'financialStatus', perennial_utc(p_order->>'cancelledAt'),
          (p_order->>'test')::boolean, (p_order->>'subtotal')::numeric, (p_order->>'currentSubtotal')::numeric,
          (p_order->>'discounts')::numeric, (p_order->>'shipping')::numeric, (p_order->>'tax')::numeric,
          (p_order->>'total')::numeric, v_refunded,
          greatest(0, (p_order->>'currentSubtotal')::numeric - v_unreflected), now())
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
    "customerId" = EXCLUDED."customerId", "name" = EXCLUDED."name", "processedAt" = EXCLUDED."processedAt",
    "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "currencyCode" = EXCLUDED."currencyCode",
    "financialStatus" = EXCLUDED."financialStatus", "cancelledAt" = EXCLUDED."cancelledAt", "test" = EXCLUDED."test",
    "subtotal" = EXCLUDED."subtotal", "currentSubtotal" = EXCLUDED."currentSubtotal",
    "totalDiscounts" = EXCLUDED."totalDiscounts", "totalShipping" = EXCLUDED."totalShipping",
    "totalTax" = EXCLUDED."totalTax", "totalPrice" = EXCLUDED."totalPrice",
    "totalRefunded" = EXCLUDED."totalRefunded", "netRevenue" = EXCLUDED."netRevenue", "updatedAt" = now();
  PERFORM perennial_refresh_rollups(p_shop_id,
    array_remove(ARRAY[CASE WHEN v_previous IS NULL THEN NULL ELSE v_previous."customerId" END, v_customer], NULL));
  RETURN 'applied';
END
$$;

CREATE OR REPLACE FUNCTION perennial_apply_refund(p_shop_id text, p_refund jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  v_customer text;
BEGIN
  PERFORM perennial_upsert_refunds(p_shop_id, jsonb_build_array(p_refund), false);
  v_customer := perennial_recompute_order_money(p_shop_id, (p_refund->>'orderShopifyId')::bigint);
  IF v_customer IS NOT NULL THEN
    PERFORM perennial_refresh_rollups(p_shop_id, ARRAY[v_customer]);
  END IF;
  RETURN 'applied';
END
$$;

-- A webhook's order snapshot in one statement: the delivery is recorded and the order applied
-- atomically; a delivery already recorded changes nothing.
CREATE OR REPLACE FUNCTION perennial_ingest_order(p_shop_domain text, p_event_id text, p_topic text,
                                                  p_webhook_id text, p_shop_id text, p_order jsonb) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WebhookDelivery" ("shopDomain", "eventId", "topic", "webhookId")
  VALUES (p_shop_domain, p_event_id, p_topic, p_webhook_id)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN 'duplicate';
  END IF;
  PERFORM perennial_apply_order(p_shop_id, p_order);
  RETURN 'applied';
END
$$;

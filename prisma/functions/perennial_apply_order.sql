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

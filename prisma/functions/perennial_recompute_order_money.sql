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

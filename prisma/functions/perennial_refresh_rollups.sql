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

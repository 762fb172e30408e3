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

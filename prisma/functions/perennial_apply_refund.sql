-- Applies a refund on its own (the refunds/create webhook, the backfill): the refund is stored as
-- not yet in the order's snapshot, then the order's money and its customer's rollups follow.
CREATE OR REPLACE FUNCTION perennial_apply_refund(p_shop_id text, p_refund jsonb)
RETURNS text
LANGUAGE plpgsql
AS $$
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

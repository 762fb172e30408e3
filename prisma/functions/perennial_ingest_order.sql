-- A webhook's order snapshot in one statement: the delivery is recorded and the order applied
-- atomically; a delivery already recorded changes nothing and returns 'duplicate'.
CREATE OR REPLACE FUNCTION perennial_ingest_order(p_shop_domain text, p_event_id text, p_topic text,
                                                  p_webhook_id text, p_shop_id text, p_order jsonb)
RETURNS text
LANGUAGE plpgsql
AS $$
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

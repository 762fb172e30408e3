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

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

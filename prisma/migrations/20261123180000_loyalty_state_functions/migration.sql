-- A member's loyalty state read, and a ledger change written, in one round trip each. Every
-- order webhook of a shop with a program does both, and with Prisma each query costs a
-- compilation on the app's main thread as well as a round trip (decision 010): the state took
-- three or four queries and a change three. The rules stay in app/core/loyalty; these only move
-- rows. Times travel as ISO 8601 UTC text, as the core writes them.

-- STABLE, as to_char is: an IMMUTABLE wrapper would not be inlined into the queries using it.
CREATE OR REPLACE FUNCTION perennial_iso(value timestamp) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(value, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The member's account, entries (oldest first) and orders, as app/core/loyalty's LoyaltyState;
-- NULL for a customer who is not a member. With p_lock the account is created if missing and
-- locked until the transaction ends. This function is VOLATILE, so each statement takes a new
-- snapshot: the account and its entries are read after the lock is held, and include every change
-- committed before it.
CREATE OR REPLACE FUNCTION perennial_loyalty_state(p_shop_id text, p_customer_id text, p_lock boolean) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_account jsonb;
BEGIN
  IF p_lock THEN
    PERFORM 1 FROM "LoyaltyAccount" WHERE "customerId" = p_customer_id AND "shopId" = p_shop_id FOR UPDATE;
    IF NOT FOUND THEN
      -- Not a member yet: enrolment is having an account. A concurrent transaction enrolling the
      -- same customer makes this wait for it and insert nothing; the row it made is locked next.
      INSERT INTO "LoyaltyAccount" ("customerId", "shopId", "updatedAt") VALUES (p_customer_id, p_shop_id, now())
      ON CONFLICT ("customerId") DO NOTHING;
      PERFORM 1 FROM "LoyaltyAccount" WHERE "customerId" = p_customer_id AND "shopId" = p_shop_id FOR UPDATE;
    END IF;
  END IF;
  SELECT jsonb_build_object(
           'customerId', a."customerId", 'customerTags', to_jsonb(coalesce(c."tags", ARRAY[]::text[])),
           'birthday', a."birthday", 'pointsBalance', a."pointsBalance", 'pendingPoints', a."pendingPoints",
           'owedPoints', a."owedPoints", 'tierId', a."tierId", 'tierSince', perennial_iso(a."tierSince"),
           'tierReviewedAt', perennial_iso(a."tierReviewedAt"))
    INTO v_account
    FROM "LoyaltyAccount" AS a JOIN "Customer" AS c ON c."id" = a."customerId"
   WHERE a."customerId" = p_customer_id AND a."shopId" = p_shop_id;
  IF v_account IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN jsonb_build_object(
    'account', v_account,
    'entries', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'key', e."key", 'customerId', e."customerId", 'kind', e."kind", 'points', e."points",
               'pendingPoints', e."pendingPoints", 'owedPoints', e."owedPoints",
               'occurredAt', perennial_iso(e."occurredAt"), 'orderId', e."orderId", 'refundId', e."refundId",
               'redemptionId', e."redemptionId", 'rewardId', e."rewardId", 'adjustmentId', e."adjustmentId",
               'cartToken', e."cartToken", 'bonus', e."bonus", 'earnRate', e."earnRate",
               'tierMultiplier', e."tierMultiplier", 'netSpendCents', e."netSpendCents",
               'staffMember', e."staffMember", 'reason', e."reason")
             ORDER BY e."occurredAt", e."createdAt")
        FROM "LedgerEntry" AS e WHERE e."customerId" = p_customer_id), '[]'::jsonb),
    'orders', coalesce((SELECT jsonb_agg(o."data") FROM "LoyaltyOrder" AS o WHERE o."customerId" = p_customer_id),
                       '[]'::jsonb));
END
$$;

-- Writes one change decided by the core from a state locked in this transaction: its entries
-- (LedgerEntry's unique key and CHECKs still refuse a double award), the order it reconciled,
-- and the account's new sums (NULL when they did not change). p_activity_at: the latest entry
-- that counts as activity, for expiry.
CREATE OR REPLACE FUNCTION perennial_save_ledger_change(p_shop_id text, p_customer_id text, p_entries jsonb,
                                                        p_order jsonb, p_account jsonb, p_activity_at text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "LedgerEntry" ("id", "shopId", "customerId", "key", "kind", "points", "pendingPoints", "owedPoints",
                             "occurredAt", "orderId", "refundId", "redemptionId", "rewardId", "adjustmentId",
                             "cartToken", "bonus", "earnRate", "tierMultiplier", "netSpendCents", "staffMember",
                             "reason")
  SELECT perennial_new_id(), p_shop_id, e."customerId", e."key", e."kind", e."points", e."pendingPoints",
         e."owedPoints", perennial_utc(e."occurredAt"), e."orderId", e."refundId", e."redemptionId", e."rewardId",
         e."adjustmentId", e."cartToken", e."bonus", e."earnRate", e."tierMultiplier", e."netSpendCents",
         e."staffMember", e."reason"
    FROM jsonb_to_recordset(p_entries) AS e(
           "customerId" text, "key" text, "kind" text, "points" int, "pendingPoints" int, "owedPoints" int,
           "occurredAt" text, "orderId" text, "refundId" text, "redemptionId" text, "rewardId" text,
           "adjustmentId" text, "cartToken" text, "bonus" text, "earnRate" text, "tierMultiplier" text,
           "netSpendCents" int, "staffMember" text, "reason" text);
  IF p_order IS NOT NULL THEN
    INSERT INTO "LoyaltyOrder" AS o ("shopId", "orderId", "customerId", "data", "updatedAt")
    VALUES (p_shop_id, p_order->>'orderId', p_order->>'customerId', p_order, now())
    ON CONFLICT ("shopId", "orderId") DO UPDATE SET
      "data" = EXCLUDED."data", "customerId" = EXCLUDED."customerId", "updatedAt" = now();
  END IF;
  IF p_account IS NOT NULL THEN
    UPDATE "LoyaltyAccount" SET
      "pointsBalance"  = (p_account->>'pointsBalance')::int,
      "pendingPoints"  = (p_account->>'pendingPoints')::int,
      "owedPoints"     = (p_account->>'owedPoints')::int,
      "tierId"         = p_account->>'tierId',
      "tierSince"      = perennial_utc(p_account->>'tierSince'),
      "tierReviewedAt" = perennial_utc(p_account->>'tierReviewedAt'),
      "lastActivityAt" = coalesce(perennial_utc(p_activity_at), "lastActivityAt"),
      "statusVersion"  = "statusVersion" + 1,
      "updatedAt"      = now()
    WHERE "customerId" = p_customer_id;
  END IF;
END
$$;

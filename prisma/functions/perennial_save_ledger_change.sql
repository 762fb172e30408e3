-- Writes one change decided by app/core/loyalty from a state locked in this transaction: its
-- entries (LedgerEntry's unique key still refuses a double award), the order it reconciled, and
-- the account's new sums (NULL when they did not change; LoyaltyAccount's CHECK refuses a negative
-- balance). p_activity_at: the latest entry that counts as activity, for expiry.
CREATE OR REPLACE FUNCTION perennial_save_ledger_change(p_shop_id text, p_customer_id text, p_entries jsonb,
                                                        p_order jsonb, p_account jsonb, p_activity_at text)
RETURNS void
LANGUAGE plpgsql
AS $$
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

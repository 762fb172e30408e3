-- Trigger "LedgerEntry_append_only" (BEFORE UPDATE ON "LedgerEntry"): the ledger is append-only.
-- An entry is never changed; rows go only with their shop or customer (decision 005).
CREATE OR REPLACE FUNCTION perennial_ledger_append_only()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'LedgerEntry is append-only: add a correcting entry instead of updating %', OLD."id";
END
$$;

-- Search of the Customers list by name or email (app/services/customers-list.server.ts): a
-- substring of "first last" or of the email, case-insensitive. Without an index a rare term reads
-- every customer of the shop (1.5 s at 1M customers, bench:admin); a trigram index finds the few
-- rows whose text holds all the term's trigrams.
--
-- The searched text lives in its own table, kept by a trigger that fires only when a name or an
-- email is written. An index on "Customer" itself would be rewritten by every rollup (each order
-- webhook) and every prediction (the CLV refresh), since those updates are not HOT: measured,
-- it doubled the refresh's write phase at 1M customers. Here they never touch it.
--
-- The text is the full name as concat_ws(' ', first, last) gives it, a line break, and the email:
-- a term without a line break matches it exactly when it matches the name or the email.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE "CustomerSearch" (
    "customerId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "CustomerSearch_pkey" PRIMARY KEY ("customerId"),
    CONSTRAINT "CustomerSearch_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE OR REPLACE FUNCTION perennial_customer_search_text(first_name text, last_name text, email text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(first_name || ' ' || last_name, first_name, last_name, '') || E'\n' || coalesce(email, '')
$$;

CREATE OR REPLACE FUNCTION perennial_customer_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "CustomerSearch" ("customerId", "shopId", "text")
  VALUES (NEW."id", NEW."shopId", perennial_customer_search_text(NEW."firstName", NEW."lastName", NEW."email"))
  ON CONFLICT ("customerId") DO UPDATE SET "text" = EXCLUDED."text"
  WHERE "CustomerSearch"."text" IS DISTINCT FROM EXCLUDED."text";
  RETURN NULL;
END
$$;

CREATE TRIGGER "Customer_search" AFTER INSERT OR UPDATE OF "firstName", "lastName", "email" ON "Customer"
  FOR EACH ROW EXECUTE FUNCTION perennial_customer_search();

INSERT INTO "CustomerSearch" ("customerId", "shopId", "text")
SELECT "id", "shopId", perennial_customer_search_text("firstName", "lastName", "email") FROM "Customer";

CREATE INDEX "CustomerSearch_text_trgm_idx" ON "CustomerSearch" USING gin ("text" gin_trgm_ops);

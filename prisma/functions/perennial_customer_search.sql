-- Trigger "Customer_search" (AFTER INSERT OR UPDATE OF "firstName", "lastName", "email" ON
-- "Customer"): keeps the customer's "CustomerSearch" row (decision 009), writing it only when its
-- text changes.
CREATE OR REPLACE FUNCTION perennial_customer_search()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO "CustomerSearch" ("customerId", "shopId", "text")
  VALUES (NEW."id", NEW."shopId", perennial_customer_search_text(NEW."firstName", NEW."lastName", NEW."email"))
  ON CONFLICT ("customerId") DO UPDATE SET "text" = EXCLUDED."text"
  WHERE "CustomerSearch"."text" IS DISTINCT FROM EXCLUDED."text";
  RETURN NULL;
END
$$;

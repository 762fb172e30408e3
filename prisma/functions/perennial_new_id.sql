-- A new primary key for a row made in SQL: 'c' and the 32 hex digits of a random UUID.
CREATE OR REPLACE FUNCTION perennial_new_id()
RETURNS text
LANGUAGE sql
VOLATILE
AS $$
  SELECT 'c' || replace(gen_random_uuid()::text, '-', '')
$$;

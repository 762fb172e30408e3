-- A stored UTC timestamp as ISO 8601 text, the form app/core writes times in. STABLE, as to_char
-- is: an IMMUTABLE wrapper would not be inlined into the queries that use it.
CREATE OR REPLACE FUNCTION perennial_iso(value timestamp)
RETURNS text
LANGUAGE sql
STABLE
AS $$
  SELECT to_char(value, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

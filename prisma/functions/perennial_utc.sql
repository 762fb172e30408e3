-- ISO 8601 text, with any offset, as the UTC timestamp(3) Prisma stores (NULL stays NULL).
CREATE OR REPLACE FUNCTION perennial_utc(value text)
RETURNS timestamp(3)
LANGUAGE sql
IMMUTABLE
AS $$
  SELECT (value::timestamptz AT TIME ZONE 'UTC')::timestamp(3)
$$;

-- The text the Customers search matches (decision 009): the full name as concat_ws(' ', first,
-- last) gives it, a line break, and the email. A term without a line break matches it exactly when
-- it matches the name or the email.
CREATE OR REPLACE FUNCTION perennial_customer_search_text(first_name text, last_name text, email text)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
  SELECT coalesce(first_name || ' ' || last_name, first_name, last_name, '') || E'\n' || coalesce(email, '')
$$;

import type { LoaderFunctionArgs } from "@remix-run/node";

import { customersCsv } from "~/insight/customer-export.server";
import { parseCustomerListQuery } from "~/insight/customers-list.server";
import { authenticate } from "~/shopify.server";

// GET /app/customers/export, fetched by the admin with its session token (Bearer). Takes the
// Customers list's search params (sort, direction, segment, atRisk, q) and writes every customer
// they match, in that order; without any, every customer.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseCustomerListQuery(new URL(request.url).searchParams);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(customersCsv(session.shop, query), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="perennial-customers-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};

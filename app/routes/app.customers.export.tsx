import type { LoaderFunctionArgs } from "@remix-run/node";

import { customersCsv } from "~/services/customer-export.server";
import { authenticate } from "~/shopify.server";

// GET /app/customers/export, fetched by the admin with its session token (Bearer).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(customersCsv(session.shop), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="perennial-customers-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};

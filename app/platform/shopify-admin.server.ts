// Admin GraphQL calls made from jobs (no merchant request at hand): with the shop's offline session.
import { unauthenticated } from "~/shopify.server";

interface GraphqlResponse<Data> {
  data?: Data;
  errors?: { message: string }[] | { message: string };
}

export async function adminGraphql<Data>(
  shop: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Data> {
  const { admin } = await unauthenticated.admin(shop);
  const response = await admin.graphql(query, { variables });
  const body = (await response.json()) as GraphqlResponse<Data>;
  const errors = body.errors ? [body.errors].flat() : [];
  if (errors.length || !body.data) {
    throw new Error(`Admin API: ${errors.map((error) => error.message).join("; ") || "no data"}`);
  }
  return body.data;
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, InlineGrid, Layout, Page, Text } from "@shopify/polaris";

import { formatMoney, formatPercent } from "~/lib/format";
import { loadShopOverview } from "~/services/shop-overview.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { overview: await loadShopOverview(session.shop) };
};

function Figure({ label, value, metric, help }: { label: string; value: string; metric: string; help: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          <span data-metric={metric}>{value}</span>
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { overview } = useLoaderData<typeof loader>();
  if (!overview || overview.orders === 0) {
    return (
      <Page title="Perennial">
        <Card>
          <EmptyState heading="No orders yet" image="">
            <p>Perennial shows what your customers are worth once your store&apos;s orders are imported.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const money = (amount: number | null) => formatMoney(amount, overview.currencyCode);
  return (
    <Page title="Perennial">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
            <Figure
              label="Customers"
              metric="customers"
              value={overview.customers.toLocaleString("en-US")}
              help="Customers with at least one order"
            />
            <Figure
              label="Orders"
              metric="orders"
              value={overview.orders.toLocaleString("en-US")}
              help="Excluding cancelled and test orders; guest orders included"
            />
            <Figure
              label="Repeat-purchase rate"
              metric="repeatPurchaseRate"
              value={formatPercent(overview.repeatPurchaseRate)}
              help="Share of customers who ordered twice or more"
            />
            <Figure
              label="Average order value"
              metric="averageOrderValue"
              value={money(overview.averageOrderValue)}
              help="Net revenue per order: after discounts and refunds, before tax and shipping"
            />
            <Figure
              label="Net revenue per customer"
              metric="averageNetRevenuePerCustomer"
              value={money(overview.averageNetRevenuePerCustomer)}
              help="Average net revenue to date of customers with an order"
            />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

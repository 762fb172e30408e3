import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  DataTable,
  InlineStack,
  Layout,
  Page,
  SkeletonPage,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";

import { PointsCard, type AdjustmentActionResult } from "~/components/loyalty/PointsCard";
import { FigureGrid } from "~/components/ui/Figure";
import { SkeletonCard } from "~/components/ui/page-states";
import { SectionCard } from "~/components/ui/SectionCard";
import { formatMoney, formatNumber, formatPercent, formatShortDate } from "~/components/ui/format";
import { adjustCustomerPoints, loadCustomerPoints, staffMemberOf } from "~/loyalty/customer-points.server";
import { loadCustomerPage } from "~/insight/customers-list.server";
import { authenticate } from "~/shopify.server";
import { customersStrings } from "~/strings/customers";
import { loyaltyStrings } from "~/strings/loyalty";

const text = customersStrings.customer;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Another shop's customer is as unknown here as one that never existed.
  const pointsCursor = new URL(request.url).searchParams.get("pointsCursor");
  // PostgreSQL takes no NUL in text: such an id or cursor is a bad request, not a server error.
  if (params.id?.includes("\u0000") || pointsCursor?.includes("\u0000")) {
    throw new Response("Bad request", { status: 400 });
  }
  const [customer, points] = params.id
    ? await Promise.all([
        loadCustomerPage(session.shop, params.id),
        loadCustomerPoints(session.shop, params.id, pointsCursor),
      ])
    : [null, null];
  if (!customer || !points) throw new Response("Not found", { status: 404 });
  return { ...customer, points };
};

// The Points card's manual adjustment (loyalty/customer-points.server.ts).
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "adjustPoints" || !params.id)
    return data<AdjustmentActionResult>(
      { ok: false, problems: [{ field: "", message: loyaltyStrings.customer.unknownAction }] },
      { status: 400 },
    );
  const result = await adjustCustomerPoints(
    session.shop,
    params.id,
    { adjustmentId: form.get("adjustmentId"), points: form.get("points"), reason: form.get("reason") },
    staffMemberOf(sessionToken),
  );
  if (!result.ok)
    return data<AdjustmentActionResult>({ ok: false, problems: result.problems }, { status: result.status });
  return data<AdjustmentActionResult>({ ok: true, pointsBalance: result.pointsBalance });
};

function CustomerSkeleton() {
  return (
    <SkeletonPage backAction>
      <Layout>
        <Layout.Section>
          <SkeletonCard lines={4} />
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

export default function Customer() {
  const customer = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  // Going to another customer: show the page's outline rather than this customer's figures (a new
  // page of this customer's points history shows its own loading state).
  const leaving =
    navigation.state === "loading" &&
    navigation.location.pathname.startsWith("/app/customers/") &&
    navigation.location.pathname !== location.pathname;
  if (leaving) return <CustomerSkeleton />;

  const { metrics, prediction, modelInputs, explanation } = customer.prediction;
  const money = (amount: number | null) => formatMoney(amount, customer.currencyCode);
  const date = (value: Date | string | null) =>
    value === null ? customersStrings.none : formatShortDate(value, customer.timeZone);
  const number = (value: number | null, digits: number) =>
    value === null ? customersStrings.none : formatNumber(value, digits);
  const title = customer.name ?? customersStrings.list.noName(customer.shopifyId);
  const hasPrediction = prediction.scoredAt !== null && prediction.probabilityAlive !== null;

  return (
    <Page
      title={title}
      subtitle={customer.email ?? undefined}
      backAction={{ content: text.back, url: "/app/customers" }}
    >
      <Layout>
        <Layout.Section>
          <SectionCard title={text.figuresHeading}>
            <FigureGrid
              columns={{ xs: 2, md: 3 }}
              size="large"
              labels={text.figures}
              values={{
                ordersCount: number(metrics.ordersCount, 0),
                firstOrderAt: date(metrics.firstOrderAt),
                lastOrderAt: date(metrics.lastOrderAt),
                netRevenue: money(metrics.netRevenueToDate),
                averageOrderValue: money(metrics.averageOrderValue),
                averageDaysBetweenOrders:
                  metrics.averageDaysBetweenOrders === null
                    ? customersStrings.none
                    : text.days(metrics.averageDaysBetweenOrders),
              }}
            />
            <Text as="p" variant="bodySm" tone="subdued">
              {prediction.scoredAt ? text.figuresNote(date(prediction.scoredAt)) : text.figuresNoteUnscored}
            </Text>
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title={text.predictionHeading}>
            {hasPrediction ? (
              <FigureGrid
                columns={{ xs: 2, md: 3 }}
                size="large"
                labels={text.prediction}
                values={{
                  expectedOrders90d: number(prediction.expectedOrders90d, 2),
                  expectedOrders365d: number(prediction.expectedOrders365d, 2),
                  probabilityAlive: formatPercent(prediction.probabilityAlive),
                  predictedClv365d: money(prediction.predictedClv365d),
                  clvPercentile:
                    prediction.clvPercentile === null
                      ? customersStrings.none
                      : text.percentile(prediction.clvPercentile),
                }}
              />
            ) : (
              <Text as="p">{text.noPrediction}</Text>
            )}
            {prediction.segment ? (
              <Box background="bg-surface-secondary" padding="400" borderRadius="200">
                <BlockStack gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h3" variant="headingSm">
                      {text.prediction.segment}
                    </Text>
                    <span data-figure="segment">
                      <Badge>{prediction.segment.name}</Badge>
                    </span>
                  </InlineStack>
                  <Text as="p">
                    <Text as="span" fontWeight="semibold">
                      {text.whatToDo}:{" "}
                    </Text>
                    <span data-figure="whatToDo">{prediction.segment.whatToDo}</span>
                  </Text>
                </BlockStack>
              </Box>
            ) : null}
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title={text.explanationHeading}>
            <Text as="p" variant="bodyLg">
              <span data-figure="explanation">{explanation}</span>
            </Text>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {text.modelInputsHeading}
              </Text>
              {modelInputs ? (
                <FigureGrid
                  columns={{ xs: 2, md: 4 }}
                  size="large"
                  labels={text.modelInputs}
                  values={{
                    repeatPurchaseDays: number(modelInputs.repeatPurchaseDays, 0),
                    daysFirstToLast: number(modelInputs.daysFirstToLast, 0),
                    daysObserved: number(modelInputs.daysObserved, 0),
                    meanRepeatOrderValue: money(modelInputs.meanRepeatOrderValue),
                  }}
                />
              ) : (
                <Text as="p">{text.modelInputsNone}</Text>
              )}
            </BlockStack>
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <PointsCard points={customer.points} currencyCode={customer.currencyCode} date={(iso) => date(iso)} />
        </Layout.Section>

        <Layout.Section>
          <SectionCard title={text.ordersHeading}>
            {customer.orders.length ? (
              <BlockStack gap="200">
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
                  headings={[
                    text.orderColumns.date,
                    text.orderColumns.name,
                    text.orderColumns.netRevenue,
                    text.orderColumns.refunded,
                    text.orderColumns.status,
                  ]}
                  rows={customer.orders.map((order) => [
                    date(order.processedAt),
                    order.name ?? customersStrings.none,
                    money(order.netRevenue),
                    order.refunded ? money(order.refunded) : customersStrings.none,
                    order.cancelled ? (
                      <Badge key="status" tone="critical">
                        {text.cancelled}
                      </Badge>
                    ) : order.test ? (
                      <Badge key="status">{text.test}</Badge>
                    ) : (
                      text.counted
                    ),
                  ])}
                />
                {customer.ordersTotal > customer.orders.length ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {text.ordersCapped(customer.orders.length, customer.ordersTotal)}
                  </Text>
                ) : null}
              </BlockStack>
            ) : (
              <Text as="p">{text.noOrders}</Text>
            )}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// An unknown customer is expected (an old link, a deleted customer): say so in the page. Anything
// else goes through Shopify's boundary, which lets the library's auth responses through.
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page title={text.notFoundTitle} backAction={{ content: text.back, url: "/app/customers" }}>
        <Banner
          tone="warning"
          title={text.notFoundTitle}
          action={{ content: text.backToCustomers, url: "/app/customers" }}
        >
          <p>{text.notFoundBody}</p>
        </Banner>
      </Page>
    );
  }
  return boundary.error(error);
}

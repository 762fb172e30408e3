// Model accuracy: the holdout test of the last refresh in a merchant's words (the stored summary,
// what a holdout test is, predicted against actual per group of customers, the error figures),
// the fitted parameters for analysts, and the textbook CLV formula beside the model's figure.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Collapsible,
  DataTable,
  Divider,
  InlineGrid,
  Layout,
  Text,
} from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";

import { RouteError } from "~/components/ui/page-states";
import { Figure } from "~/components/ui/Figure";
import { SectionCard, SubSection } from "~/components/ui/SectionCard";
import { useId, useState } from "react";

import { BacktestChart } from "~/components/insight/BacktestChart";
import { DeferredInsightPage } from "~/components/insight/insight-states";
import { formatCount, formatDate, formatDecimal, formatMoney, formatPercent } from "~/components/ui/format";
import type {
  FittedModel,
  Holdout,
  ModelAccuracyInsufficient,
  ModelAccuracyReady,
  SimpleFormula,
} from "~/insight/shop-insight.server";
import { loadModelAccuracyPage } from "~/insight/shop-insight.server";
import { authenticate } from "~/shopify.server";
import { insightStrings } from "~/strings/insight";

const text = insightStrings.modelAccuracy;

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Not awaited: the page renders its loading state and the insight streams in.
  return { page: loadModelAccuracyPage(session.shop) };
};

function describePeriod(days: number): string {
  return days % 7 === 0 ? text.weeks(formatCount(days / 7)) : text.days(formatCount(days));
}

function HoldoutCard({ holdout }: { holdout: Holdout | null }) {
  if (!holdout) {
    return (
      <SectionCard title={text.summaryHeading} gap="200">
        <Text as="p">
          <span data-state="no-backtest">{text.noBacktest}</span>
        </Text>
      </SectionCard>
    );
  }
  const difference = holdout.actualVersusPredicted;
  return (
    <SectionCard title={text.summaryHeading}>
      <Text as="p" variant="headingMd" fontWeight="regular">
        <span data-figure="backtestSummary">{holdout.summary}</span>
      </Text>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {text.howItWorksHeading}
        </Text>
        <Text as="p">{text.howItWorks(describePeriod(holdout.holdoutDays), formatDate(holdout.calibrationEnd))}</Text>
      </BlockStack>
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <Figure label={text.predictedTotal} figure="predictedRepeatOrders" value={formatCount(holdout.predicted)} />
        <Figure label={text.actualTotal} figure="actualRepeatOrders" value={formatCount(holdout.actual)} />
        <Figure
          label={text.difference}
          figure="actualVersusPredicted"
          value={
            difference === null
              ? insightStrings.common.noValue
              : `${difference > 0 ? "+" : ""}${formatPercent(difference)}`
          }
          help={text.differenceHelp}
        />
        <Figure
          label={text.groupError}
          figure="meanAbsolutePercentageError"
          value={formatPercent(holdout.meanAbsolutePercentageError)}
          help={text.groupErrorHelp}
        />
      </InlineGrid>
      {holdout.meanAbsoluteErrorPerCustomer !== null ? (
        <Text as="p" tone="subdued" variant="bodySm">
          <span data-figure="meanAbsoluteErrorPerCustomer">
            {text.customerErrorHelp(formatDecimal(holdout.meanAbsoluteErrorPerCustomer))}
          </span>
        </Text>
      ) : null}
      <Divider />
      <SubSection title={text.chartHeading} help={text.chartHelp}>
        <BacktestChart bins={holdout.bins} />
      </SubSection>
    </SectionCard>
  );
}

function SimpleFormulaCard({
  formula,
  modelValue,
  currencyCode,
}: {
  formula: SimpleFormula;
  modelValue: number | null;
  currencyCode: string;
}) {
  const money = (amount: number | null) => formatMoney(amount, currencyCode);
  const complete =
    formula.customerValue !== null &&
    formula.averagePurchaseValue !== null &&
    formula.purchaseFrequency !== null &&
    formula.customerLifespanYears !== null;
  return (
    <SectionCard title={text.formulaHeading} gap="300">
      <Text as="p">{text.formulaIntro}</Text>
      <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
        <BlockStack gap="200">
          <Text as="p" tone="subdued">
            {text.formulaResult}
          </Text>
          <Text as="p" variant="headingXl">
            <span data-figure="simpleFormulaValue">{money(formula.customerValue)}</span>
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {complete ? (
              <span data-figure="simpleFormulaArithmetic">
                {text.formulaArithmetic(
                  money(formula.averagePurchaseValue),
                  formatDecimal(formula.purchaseFrequency),
                  formatDecimal(formula.customerLifespanYears, 1),
                  money(formula.customerValue),
                )}
              </span>
            ) : (
              text.formulaUnavailable
            )}
          </Text>
        </BlockStack>
        <BlockStack gap="200">
          <Text as="p" tone="subdued">
            {text.modelResult}
          </Text>
          <Text as="p" variant="headingXl">
            <span data-figure="modelValue">{money(modelValue)}</span>
          </Text>
          {modelValue === null ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {text.modelUnavailable}
            </Text>
          ) : null}
        </BlockStack>
      </InlineGrid>
      <Text as="p" tone="subdued">
        {text.formulaDifference}
      </Text>
    </SectionCard>
  );
}

// The literature's order (BG/NBD r, α, a, b; Pareto/NBD r, α, s, β; Gamma-Gamma p, q, γ): the
// stored jsonb comes back with its keys sorted by length instead.
const PARAMETER_ORDER = ["r", "alpha", "a", "b", "s", "beta", "p", "q", "gamma"];
const parameterRank = (name: string) => {
  const rank = PARAMETER_ORDER.indexOf(name);
  return rank < 0 ? PARAMETER_ORDER.length : rank;
};

function ParameterTable({ params }: { params: Record<string, number> }) {
  const entries = Object.entries(params).sort(([a], [b]) => parameterRank(a) - parameterRank(b));
  return (
    <DataTable
      columnContentTypes={["text", "numeric"]}
      headings={[text.parameter, text.value]}
      rows={entries.map(([name, value]) => [
        name,
        <span key={name} data-param={name}>
          {value.toPrecision(5)}
        </span>,
      ])}
      increasedTableDensity
      hoverable={false}
    />
  );
}

function AnalystDetails({ model, holdout }: { model: FittedModel; holdout: Holdout | null }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const rows: [string, string][] = [
    [text.model, text.modelNames[model.kind] ?? model.kind],
    [text.logLikelihood, formatDecimal(model.logLikelihood)],
    [text.fittedOn, formatCount(model.fittedOnCustomers)],
    ...(model.repeatBuyers !== null ? [[text.repeatBuyers, formatCount(model.repeatBuyers)] as [string, string]] : []),
    [text.customersScored, formatCount(model.customersScored)],
    [text.grossMargin, formatPercent(model.grossMargin)],
    [text.discountRate, formatPercent(model.annualDiscountRate)],
  ];
  if (holdout) {
    rows.push(
      [text.holdout, describePeriod(holdout.holdoutDays)],
      [text.calibrationEnd, formatDate(holdout.calibrationEnd)],
    );
  }
  return (
    <Card>
      <BlockStack gap="300">
        <Button
          onClick={() => setOpen((value) => !value)}
          ariaExpanded={open}
          ariaControls={id}
          disclosure={open ? "up" : "down"}
          variant="plain"
        >
          {open ? text.analystsToggleHide : text.analystsToggleShow}
        </Button>
        <Collapsible id={id} open={open} transition={false}>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              {text.analystsHeading}
            </Text>
            <DataTable
              columnContentTypes={["text", "numeric"]}
              headings={[text.parameter, text.value]}
              rows={rows}
              increasedTableDensity
              hoverable={false}
            />
            <SubSection title={text.purchaseParams}>
              <ParameterTable params={model.params} />
            </SubSection>
            <SubSection title={text.spendModel}>
              {model.spendParams ? (
                <ParameterTable params={model.spendParams} />
              ) : (
                <Text as="p">{text.noSpendModel}</Text>
              )}
            </SubSection>
            {holdout?.params ? (
              <SubSection title={text.backtestParams}>
                <ParameterTable params={holdout.params} />
              </SubSection>
            ) : null}
          </BlockStack>
        </Collapsible>
      </BlockStack>
    </Card>
  );
}

function ReadyContent({ page }: { page: ModelAccuracyReady }) {
  return (
    <>
      <Layout.Section>
        <HoldoutCard holdout={page.holdout} />
      </Layout.Section>
      <Layout.Section>
        <SimpleFormulaCard
          formula={page.simpleFormula}
          modelValue={page.averagePredictedClv}
          currencyCode={page.currencyCode}
        />
      </Layout.Section>
      <Layout.Section>
        <AnalystDetails model={page.model} holdout={page.holdout} />
      </Layout.Section>
    </>
  );
}

function ModelAccuracyBody({ data }: { data: ModelAccuracyInsufficient | ModelAccuracyReady }) {
  return data.state === "insufficient" ? (
    <>
      <Layout.Section>
        <Banner tone="info" title={insightStrings.common.insufficientHeading}>
          <p data-state="insufficient">{data.reason}</p>
        </Banner>
      </Layout.Section>
      <Layout.Section>
        <SimpleFormulaCard formula={data.simpleFormula} modelValue={null} currencyCode={data.currencyCode} />
      </Layout.Section>
    </>
  ) : (
    <ReadyContent page={data} />
  );
}

export default function ModelAccuracy() {
  const { page } = useLoaderData<typeof loader>();
  return (
    <DeferredInsightPage page={page} title={text.title} subtitle={text.subtitle}>
      {(data) => <ModelAccuracyBody data={data} />}
    </DeferredInsightPage>
  );
}

// The library's auth responses pass through its boundary; any other error is a page with a message.
export function ErrorBoundary() {
  return <RouteError title={text.title} />;
}

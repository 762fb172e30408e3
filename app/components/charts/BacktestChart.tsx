// Predicted against actual repeat orders per customer in the holdout period, for customers
// grouped by their repeat orders before it: the usual check of a purchase model, as two bars
// side by side per group. Per customer rather than totals, so small and large groups compare.
import { BarChart } from "@shopify/polaris-viz";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";

import { formatCount, formatDecimal, formatPercent } from "~/components/ui/format";
import type { BacktestBin } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

import { ClientChart, FiguresTable } from "./chart-kit";

const text = insightStrings.modelAccuracy;

// polaris-viz's own legend measures itself after the first paint and draws the chart at a
// negative height until then (the browser logs an error per bar), so the colours are fixed here
// and the legend is ours.
const PREDICTED_COLOUR = "#13ACF0";
const ACTUAL_COLOUR = "#6A42E9";

function LegendItem({ colour, label }: { colour: string; label: string }) {
  return (
    <InlineStack gap="100" blockAlign="center">
      <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 5, background: colour }} />
      <Text as="span" variant="bodySm">
        {label}
      </Text>
    </InlineStack>
  );
}

export function BacktestChart({ bins }: { bins: BacktestBin[] }) {
  const shown = bins.filter((bin) => bin.customers > 0);
  const data = [
    {
      name: text.predictedSeries,
      color: PREDICTED_COLOUR,
      data: shown.map((bin) => ({ key: text.binLabel(bin.label), value: bin.predictedPerCustomer })),
    },
    {
      name: text.actualSeries,
      color: ACTUAL_COLOUR,
      data: shown.map((bin) => ({ key: text.binLabel(bin.label), value: bin.actualPerCustomer })),
    },
  ];
  const columns = text.binColumns;
  return (
    <BlockStack gap="200">
      <ClientChart
        label={text.chartHeading}
        height={280}
        chart={() => (
          <BarChart
            data={data}
            showLegend={false}
            isAnimated={false}
            tooltipOptions={{ valueFormatter: (value) => formatDecimal(typeof value === "number" ? value : null) }}
          />
        )}
      />
      <InlineStack gap="400" align="center">
        <LegendItem colour={PREDICTED_COLOUR} label={text.predictedSeries} />
        <LegendItem colour={ACTUAL_COLOUR} label={text.actualSeries} />
      </InlineStack>
      <FiguresTable
        caption={text.chartHeading}
        headings={[
          columns.group,
          columns.customers,
          columns.predicted,
          columns.actual,
          columns.predictedTotal,
          columns.actualTotal,
          columns.error,
        ]}
        rows={shown.map((bin) => [
          bin.label,
          formatCount(bin.customers),
          formatDecimal(bin.predictedPerCustomer),
          formatDecimal(bin.actualPerCustomer),
          formatDecimal(bin.predicted, 1),
          formatCount(bin.actual),
          formatPercent(bin.absolutePercentageError),
        ])}
      />
    </BlockStack>
  );
}

// Points issued against points redeemed, month by month: two bars per month, drawn after
// hydration (polaris-viz needs the browser), with the same figures as a table for screen readers
// and keyboard users.
import { BarChart } from "@shopify/polaris-viz";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";

import { ClientChart, FiguresTable } from "~/components/charts/chart-kit";
import { formatCount, formatMonth } from "~/components/ui/format";
import { loyaltyStrings } from "~/strings/loyalty";

const text = loyaltyStrings.results;

// Fixed colours and our own legend, as the other two-series charts do (polaris-viz's legend
// measures itself after the first paint).
const ISSUED_COLOUR = "#13ACF0";
const REDEEMED_COLOUR = "#6A42E9";

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

export function PointsByMonthChart({ months }: { months: { month: string; issued: number; redeemed: number }[] }) {
  const data = [
    {
      name: text.chartSeries.issued,
      color: ISSUED_COLOUR,
      data: months.map((month) => ({ key: formatMonth(month.month), value: month.issued })),
    },
    {
      name: text.chartSeries.redeemed,
      color: REDEEMED_COLOUR,
      data: months.map((month) => ({ key: formatMonth(month.month), value: month.redeemed })),
    },
  ];
  const columns = text.chartColumns;
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
            yAxisOptions={{ integersOnly: true }}
            tooltipOptions={{ valueFormatter: (value) => formatCount(Number(value ?? 0)) }}
          />
        )}
      />
      <InlineStack gap="400" align="center">
        <LegendItem colour={ISSUED_COLOUR} label={text.chartSeries.issued} />
        <LegendItem colour={REDEEMED_COLOUR} label={text.chartSeries.redeemed} />
      </InlineStack>
      <FiguresTable
        caption={text.chartHeading}
        headings={[columns.month, columns.issued, columns.redeemed]}
        rows={months.map((month) => [
          formatMonth(month.month),
          <span key="issued" data-month={month.month} data-series="issued">
            {formatCount(month.issued)}
          </span>,
          <span key="redeemed" data-month={month.month} data-series="redeemed">
            {formatCount(month.redeemed)}
          </span>,
        ])}
      />
    </BlockStack>
  );
}

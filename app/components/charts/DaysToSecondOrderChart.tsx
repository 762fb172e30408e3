// How soon repeat customers placed their second order: tells a merchant when to send the
// "come back" message (just before most customers would return on their own).
import { BlockStack, Text } from "@shopify/polaris";

import { formatCount, formatNumber, formatPercent } from "~/components/ui/format";
import type { SegmentsPage } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

import { CountBarChart, FiguresTable } from "./chart-kit";

const text = insightStrings.segments;

// The stored labels are English ("8–14 days", "Over 365 days"); built from the edges here so a
// translation controls them.
function rangeLabel(bin: { from: number; to: number | null }): string {
  return bin.to === null ? `> ${formatCount(bin.from - 1)}` : `${formatCount(bin.from)}–${formatCount(bin.to)}`;
}

export function DaysToSecondOrderChart({ days }: { days: SegmentsPage["daysToSecondOrder"] }) {
  if (days.customers === 0) {
    return (
      <Text as="p" tone="subdued">
        {text.daysNoRepeat}
      </Text>
    );
  }
  const data = [
    { name: text.daysSeries, data: days.bins.map((bin) => ({ key: rangeLabel(bin), value: bin.customers })) },
  ];
  return (
    <BlockStack gap="200">
      {days.medianDays !== null ? (
        <Text as="p" tone="subdued">
          <span data-figure="medianDaysToSecondOrder">{text.daysHelp(formatNumber(days.medianDays, 1))}</span>
        </Text>
      ) : null}
      <CountBarChart label={text.daysHeading} data={data} />
      <FiguresTable
        caption={text.daysHeading}
        headings={[text.daysColumns.range, text.daysColumns.customers, text.daysColumns.share]}
        rows={days.bins.map((bin) => [rangeLabel(bin), formatCount(bin.customers), formatPercent(bin.share)])}
      />
    </BlockStack>
  );
}

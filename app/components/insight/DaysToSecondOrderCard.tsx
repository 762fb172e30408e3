// How soon repeat customers placed their second order: tells a merchant when to send the
// "come back" message (just before most customers would return on their own).
import { Chart, ChartCard } from "~/components/ui/ChartCard";
import { formatCount, formatNumber, formatPercent } from "~/components/ui/format";
import type { SegmentsPage } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

const text = insightStrings.segments;

// The stored labels are English ("8–14 days", "Over 365 days"); built from the edges here so a
// translation controls them.
function rangeLabel(bin: { from: number; to: number | null }): string {
  return bin.to === null ? `> ${formatCount(bin.from - 1)}` : `${formatCount(bin.from)}–${formatCount(bin.to)}`;
}

export function DaysToSecondOrderCard({ days }: { days: SegmentsPage["daysToSecondOrder"] }) {
  return (
    <ChartCard title={text.daysHeading}>
      <Chart
        label={text.daysHeading}
        empty={days.customers === 0 ? text.daysNoRepeat : null}
        summary={
          days.medianDays !== null ? (
            <span data-figure="medianDaysToSecondOrder">{text.daysHelp(formatNumber(days.medianDays, 1))}</span>
          ) : null
        }
        rows={days.bins}
        x={rangeLabel}
        series={[{ name: text.daysSeries, value: (bin) => bin.customers }]}
        format={(value) => formatCount(Number(value ?? 0))}
        wholeNumbers
        headings={[text.daysColumns.range, text.daysColumns.customers, text.daysColumns.share]}
        cells={(bin) => [rangeLabel(bin), formatCount(bin.customers), formatPercent(bin.share)]}
      />
    </ChartCard>
  );
}

// Points issued against points redeemed, month by month: two bars per month, drawn after
// hydration (polaris-viz needs the browser), with the same figures as a table for screen readers
// and keyboard users.
import { Chart } from "~/components/ui/ChartCard";
import { formatCount, formatMonth } from "~/components/ui/format";
import { loyaltyStrings } from "~/strings/loyalty";

const text = loyaltyStrings.results;

export function PointsByMonthChart({ months }: { months: { month: string; issued: number; redeemed: number }[] }) {
  const columns = text.chartColumns;
  return (
    <Chart
      label={text.chartHeading}
      height={280}
      legend
      rows={months}
      x={(month) => formatMonth(month.month)}
      series={[
        { name: text.chartSeries.issued, value: (month) => month.issued },
        { name: text.chartSeries.redeemed, value: (month) => month.redeemed },
      ]}
      format={(value) => formatCount(Number(value ?? 0))}
      wholeNumbers
      headings={[columns.month, columns.issued, columns.redeemed]}
      cells={(month) => [
        formatMonth(month.month),
        <span key="issued" data-month={month.month} data-series="issued">
          {formatCount(month.issued)}
        </span>,
        <span key="redeemed" data-month={month.month} data-series="redeemed">
          {formatCount(month.redeemed)}
        </span>,
      ]}
    />
  );
}

// What every chart of the admin pages shares: its card, polaris-viz drawn in the browser only, a
// line of what to read from it, the same figures as a table for screen readers, keyboard users
// and anyone who wants exact numbers, and what stands instead when there is nothing to draw.
//
// polaris-viz reads `window` while rendering (ChartContainer's touch detection), so it cannot
// render on the server: the chart mounts after hydration, in a box of its final height so the
// page does not jump, and the table is in the server's HTML from the start.
import { BarChart, LineChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";
import { BlockStack, DataTable, Text } from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";

import { insightStrings } from "~/strings/insight";

import { Legend, SERIES_COLOURS } from "./LegendItem";
import { SectionCard, type SectionCardProps } from "./SectionCard";

/** A chart or a table of figures in a card under its title. */
export function ChartCard(props: Omit<SectionCardProps, "gap">) {
  return <SectionCard gap="300" {...props} />;
}

function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

function ClientChart({ label, height = 260, chart }: { label: string; height?: number; chart: () => ReactNode }) {
  const mounted = useMounted();
  return (
    <div style={{ height }} aria-label={label} role="group">
      {mounted ? (
        <PolarisVizProvider>{chart()}</PolarisVizProvider>
      ) : (
        <Text as="p" tone="subdued">
          {insightStrings.common.chartLoading}
        </Text>
      )}
    </div>
  );
}

interface FiguresTableProps {
  caption: string;
  headings: string[];
  /** The first column is text, the others numbers. */
  rows: (string | ReactNode)[][];
}

// A native <details>: opens with Enter or Space, and works before the page's JavaScript runs.
function FiguresTable({ caption, headings, rows }: FiguresTableProps) {
  return (
    <details>
      <summary style={{ cursor: "pointer" }}>
        <Text as="span" variant="bodySm">
          {insightStrings.common.showTable}
        </Text>
      </summary>
      <BlockStack gap="100">
        <Text as="p" visuallyHidden>
          {caption}
        </Text>
        <DataTable
          columnContentTypes={headings.map((_, i) => (i === 0 ? "text" : "numeric"))}
          headings={headings}
          rows={rows}
          increasedTableDensity
          hoverable={false}
        />
      </BlockStack>
    </details>
  );
}

export interface ChartProps<Row> {
  /** The chart's name: the drawing's label and the table's caption. */
  label: string;
  kind?: "bar" | "line";
  /** What is drawn, a point (or a group of bars) and a table row each. */
  rows: Row[];
  /** A row's place on the horizontal axis. */
  x: (row: Row) => string;
  series: { name: string; value: (row: Row) => number | null }[];
  /** How a value reads in the tooltip (and on a line chart's axis). */
  format: (value: string | number | null) => string;
  /** Bars of whole numbers: the axis steps by whole numbers. */
  wholeNumbers?: boolean;
  /** The series named under the chart, in fixed colours. */
  legend?: boolean;
  height?: number;
  /** A line above the chart: what to read from it. */
  summary?: ReactNode;
  /** What stands instead of the chart and its table when there is nothing to draw. */
  empty?: string | null;
  /** The table's columns, and a row's cells in them. */
  headings: string[];
  cells: (row: Row) => FiguresTableProps["rows"][number];
}

export function Chart<Row>({
  label,
  kind = "bar",
  rows,
  x,
  series,
  format,
  wholeNumbers = false,
  legend = false,
  height,
  summary,
  empty,
  headings,
  cells,
}: ChartProps<Row>) {
  if (empty) {
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  }
  const data: DataSeries[] = series.map((one, index) => ({
    name: one.name,
    ...(legend ? { color: SERIES_COLOURS[index] } : {}),
    data: rows.map((row) => ({ key: x(row), value: one.value(row) })),
  }));
  const draw = () =>
    kind === "line" ? (
      <LineChart
        data={data}
        showLegend={false}
        isAnimated={false}
        yAxisOptions={{ labelFormatter: format }}
        tooltipOptions={{ valueFormatter: format }}
      />
    ) : (
      <BarChart
        data={data}
        showLegend={false}
        isAnimated={false}
        yAxisOptions={wholeNumbers ? { integersOnly: true } : undefined}
        tooltipOptions={{ valueFormatter: format }}
      />
    );
  return (
    <BlockStack gap="200">
      {summary ? (
        <Text as="p" tone="subdued">
          {summary}
        </Text>
      ) : null}
      <ClientChart label={label} height={height} chart={draw} />
      {legend ? (
        <Legend items={series.map((one, index) => ({ colour: SERIES_COLOURS[index], label: one.name }))} />
      ) : null}
      <FiguresTable caption={label} headings={headings} rows={rows.map(cells)} />
    </BlockStack>
  );
}

// A chart's legend, drawn by us: polaris-viz's own legend measures itself after the first paint
// and draws the chart at a negative height until then (the browser logs an error per bar), so a
// chart with a legend fixes its series' colours and shows this one under it.
import { InlineStack, Text } from "@shopify/polaris";

/** The colours of a chart's series, in order, where the legend is ours. */
export const SERIES_COLOURS = ["#13ACF0", "#6A42E9"];

export function LegendItem({ colour, label }: { colour: string; label: string }) {
  return (
    <InlineStack gap="100" blockAlign="center">
      <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 5, background: colour }} />
      <Text as="span" variant="bodySm">
        {label}
      </Text>
    </InlineStack>
  );
}

export function Legend({ items }: { items: { colour: string; label: string }[] }) {
  return (
    <InlineStack gap="400" align="center">
      {items.map((item) => (
        <LegendItem key={item.label} colour={item.colour} label={item.label} />
      ))}
    </InlineStack>
  );
}

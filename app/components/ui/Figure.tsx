// One figure of a page: its label, the value large, and optionally its change and a line of help.
// The value carries data-figure="<name>", the one attribute every page tags its figures with (the
// browser tests read figures by it).
import { BlockStack, Card, InlineGrid, Text, type InlineGridProps, type TextProps } from "@shopify/polaris";
import type { ReactNode } from "react";

const SIZES = { large: "headingLg", xLarge: "headingXl", xxLarge: "heading2xl" } as const satisfies Record<
  string,
  TextProps["variant"]
>;

export interface FigureProps {
  label: string;
  /** The name the value is tagged with: data-figure="…". */
  figure: string;
  value: ReactNode;
  size?: keyof typeof SIZES;
  /** The label as a heading of this level, where each figure heads its own part of the page. */
  heading?: "h2" | "h3";
  /** Below the value: how it changed (Home's headline figures). */
  change?: ReactNode;
  help?: ReactNode;
  /** The figure in a card of its own. */
  card?: boolean;
}

export function Figure({ label, figure, value, size = "xLarge", heading, change, help, card = false }: FigureProps) {
  const body = (
    <BlockStack gap={card ? "200" : "100"}>
      {heading ? (
        <Text as={heading} variant="headingSm" tone="subdued">
          {label}
        </Text>
      ) : (
        <Text as="p" tone="subdued">
          {label}
        </Text>
      )}
      <Text as="p" variant={SIZES[size]}>
        <span data-figure={figure}>{value}</span>
      </Text>
      {change}
      {help ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      ) : null}
    </BlockStack>
  );
  return card ? <Card>{body}</Card> : body;
}

// Figures side by side, each labelled by its name's entry in `labels`, in the order of `values`;
// `children` follow them in the grid.
export function FigureGrid<Name extends string>({
  columns,
  labels,
  values,
  size,
  children,
}: {
  columns: InlineGridProps["columns"];
  labels: Record<Name, string>;
  values: Partial<Record<Name, string>>;
  size?: FigureProps["size"];
  children?: ReactNode;
}) {
  return (
    <InlineGrid columns={columns} gap="400">
      {(Object.entries(values) as [Name, string][]).map(([name, value]) => (
        <Figure key={name} label={labels[name]} figure={name} value={value} size={size} />
      ))}
      {children}
    </InlineGrid>
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  ChoiceList,
  EmptySearchResult,
  EmptyState,
  IndexFilters,
  IndexFiltersMode,
  IndexTable,
  Link,
  Page,
  Text,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
  type IndexTableProps,
} from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";

import { RouteError } from "~/components/ui/page-states";
import { AT_RISK } from "~/core/metrics/at-risk";
import { SEGMENTS } from "~/core/metrics/rfm";
import { formatCount, formatMoney, formatPercent, formatShortDate } from "~/components/ui/format";
import {
  listCustomers,
  parseCustomerListQuery,
  type CustomerListQuery,
  type CustomerListRow,
  type CustomerSort,
  type SortDirection,
} from "~/insight/customers-list.server";
import { authenticate } from "~/shopify.server";
import { customersStrings } from "~/strings/customers";

const text = customersStrings.list;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseCustomerListQuery(new URL(request.url).searchParams);
  return { query, atRisk: AT_RISK, list: await listCustomers(session.shop, query) };
};

// The list's search params: only what differs from the defaults, so a plain /app/customers is
// the default view.
function listParams(query: CustomerListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.sort !== "lastOrder") params.set("sort", query.sort);
  if (query.direction !== "desc") params.set("direction", query.direction);
  if (query.segment) params.set("segment", query.segment);
  if (query.tier) params.set("tier", query.tier);
  if (query.atRisk) params.set("atRisk", "1");
  if (query.q) params.set("q", query.q);
  return params;
}

const withSearch = (path: string, params: URLSearchParams) => {
  const search = params.toString();
  return search ? `${path}?${search}` : path;
};

function listUrl(query: CustomerListQuery, change: Partial<CustomerListQuery>): string {
  // Cursors come only from Previous and Next: a new sort or filter starts from the first page.
  const params = listParams({ ...query, ...change });
  if (change.after) params.set("after", change.after);
  if (change.before) params.set("before", change.before);
  return withSearch("/app/customers", params);
}

// The export of what the list shows: its filters, search and sort, every page of it.
const exportUrl = (query: CustomerListQuery): string => withSearch("/app/customers/export", listParams(query));

// Table columns in order; the sortable ones name their sort key.
const COLUMNS: { title: string; sort?: CustomerSort; numeric?: boolean }[] = [
  { title: text.columns.customer },
  { title: text.columns.email },
  { title: text.columns.orders, sort: "orders", numeric: true },
  { title: text.columns.netRevenue, sort: "netRevenue", numeric: true },
  { title: text.columns.lastOrder, sort: "lastOrder" },
  { title: text.columns.predictedClv, sort: "predictedClv", numeric: true },
  { title: text.columns.probabilityAlive, sort: "probabilityAlive", numeric: true },
  { title: text.columns.segment },
  { title: text.columns.loyalty },
];

const SORT_OPTIONS: IndexFiltersProps["sortOptions"] = (Object.keys(text.sorts) as CustomerSort[]).flatMap((sort) =>
  (["asc", "desc"] as const).map((direction) => ({
    label: text.sorts[sort],
    value: `${sort} ${direction}`,
    directionLabel: text.sortDirections[sort === "lastOrder" ? "date" : "number"][direction],
  })),
);

// A cell tagged data-cell="<name>", numbers aligned at the end.
function Cell({ name, numeric = false, children }: { name: string; numeric?: boolean; children: ReactNode }) {
  const value = <span data-cell={name}>{children}</span>;
  return (
    <IndexTable.Cell>
      {numeric ? (
        <Text as="span" alignment="end" numeric>
          {value}
        </Text>
      ) : (
        value
      )}
    </IndexTable.Cell>
  );
}

function CustomerRow({
  row,
  index,
  currencyCode,
  timeZone,
  tiers,
}: {
  row: CustomerListRow;
  index: number;
  currencyCode: string;
  timeZone: string;
  tiers: { id: string; name: string }[];
}) {
  return (
    <IndexTable.Row id={row.id} position={index}>
      <IndexTable.Cell>
        <Link url={`/app/customers/${row.id}`} dataPrimaryLink monochrome removeUnderline>
          <Text as="span" fontWeight="semibold">
            <span data-cell="name">{row.name ?? text.noName(row.shopifyId)}</span>
          </Text>
        </Link>
      </IndexTable.Cell>
      <Cell name="email">{row.email ?? ""}</Cell>
      <Cell name="orders" numeric>
        {formatCount(row.ordersCount)}
      </Cell>
      <Cell name="netRevenue" numeric>
        {formatMoney(row.netRevenue, currencyCode)}
      </Cell>
      <Cell name="lastOrder">{row.lastOrderAt ? formatShortDate(row.lastOrderAt, timeZone) : text.noDate}</Cell>
      <Cell name="predictedClv" numeric>
        {formatMoney(row.predictedClv365d, currencyCode)}
      </Cell>
      <Cell name="probabilityAlive" numeric>
        {formatPercent(row.probabilityAlive)}
      </Cell>
      <Cell name="segment">{row.segment?.name ?? text.noSegment}</Cell>
      <Cell name="loyalty">
        {row.pointsBalance === null
          ? text.notMember
          : text.points(row.pointsBalance, tiers.find((tier) => tier.id === row.tierId)?.name ?? null)}
      </Cell>
    </IndexTable.Row>
  );
}

// The export is fetched (App Bridge adds the session token to the app's own fetches) and handed
// to the browser as a file: a plain link would leave the embedded app without a token.
function useExport(url: string) {
  const [exporting, setExporting] = useState(false);
  const [failed, setFailed] = useState(false);
  const start = async () => {
    setExporting(true);
    setFailed(false);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`export answered ${response.status}`);
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
      const file = URL.createObjectURL(await response.blob());
      const anchor = Object.assign(document.createElement("a"), { href: file, download: name ?? "customers.csv" });
      anchor.style.display = "none";
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      // Released once the browser has taken the file.
      setTimeout(() => URL.revokeObjectURL(file), 60_000);
    } catch {
      setFailed(true);
    } finally {
      setExporting(false);
    }
  };
  return { exporting, failed, start, dismiss: () => setFailed(false) };
}

export default function Customers() {
  const { query, atRisk, list } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname.startsWith("/app/customers");
  const go = (change: Partial<CustomerListQuery>) => navigate(listUrl(query, change));
  const exporter = useExport(exportUrl(query));

  const filtered = Boolean(query.segment || query.tier || query.atRisk || query.q);
  const { mode, setMode } = useSetIndexFiltersMode(filtered ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);

  // The search box updates the list after a short pause in typing, replacing the history entry.
  const [search, setSearch] = useState(query.q ?? "");
  useEffect(() => {
    const wanted = search.trim();
    if (wanted === (query.q ?? "")) return;
    const timer = setTimeout(() => navigate(listUrl(query, { q: wanted || undefined }), { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [search, query, navigate]);

  const clearAll = () => {
    setSearch("");
    navigate(listUrl(query, { segment: undefined, tier: undefined, atRisk: false, q: undefined }));
  };

  const segmentName = SEGMENTS.find((segment) => segment.id === query.segment)?.name;
  const tierName = list.tiers.find((tier) => tier.id === query.tier)?.name;
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "segment",
      label: text.filters.segment,
      shortcut: true,
      filter: (
        <ChoiceList
          title={text.filters.segment}
          titleHidden
          choices={SEGMENTS.map((segment) => ({ label: segment.name, value: segment.id }))}
          selected={query.segment ? [query.segment] : []}
          onChange={(selected) => go({ segment: selected[0] as CustomerListQuery["segment"] })}
        />
      ),
    },
    ...(list.tiers.length
      ? [
          {
            key: "tier",
            label: text.filters.tier,
            shortcut: true,
            filter: (
              <ChoiceList
                title={text.filters.tier}
                titleHidden
                choices={list.tiers.map((tier) => ({ label: tier.name, value: tier.id }))}
                selected={query.tier ? [query.tier] : []}
                onChange={(selected) => go({ tier: selected[0] })}
              />
            ),
          },
        ]
      : []),
    {
      key: "atRisk",
      label: text.filters.atRisk,
      shortcut: true,
      filter: (
        <ChoiceList
          title={text.filters.atRisk}
          titleHidden
          allowMultiple
          choices={[
            {
              label: text.filters.atRiskChoice,
              value: "atRisk",
              helpText: text.filters.atRiskHelp(atRisk.minClvPercentile, formatPercent(atRisk.maxProbabilityAlive)),
            },
          ]}
          selected={query.atRisk ? ["atRisk"] : []}
          onChange={(selected) => go({ atRisk: selected.includes("atRisk") })}
        />
      ),
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [
    ...(segmentName
      ? [
          {
            key: "segment",
            label: text.filters.segmentApplied(segmentName),
            onRemove: () => go({ segment: undefined }),
          },
        ]
      : []),
    ...(tierName
      ? [{ key: "tier", label: text.filters.tierApplied(tierName), onRemove: () => go({ tier: undefined }) }]
      : []),
    ...(query.atRisk ? [{ key: "atRisk", label: text.filters.atRisk, onRemove: () => go({ atRisk: false }) }] : []),
  ];

  const sortColumn = COLUMNS.findIndex((column) => column.sort === query.sort);
  const onSort: IndexTableProps["onSort"] = (headingIndex, direction) => {
    const sort = COLUMNS[headingIndex]?.sort;
    if (sort) go({ sort, direction: direction === "ascending" ? "asc" : "desc" });
  };

  const emptyState =
    list.anyCustomers || filtered ? (
      <EmptySearchResult
        title={text.empty.noMatchHeading}
        description={text.empty.noMatchBody}
        withIllustration={false}
      />
    ) : (
      <EmptyState heading={text.empty.noCustomersHeading} image="">
        <p>{text.empty.noCustomersBody}</p>
      </EmptyState>
    );

  return (
    <Page
      title={text.title}
      fullWidth
      secondaryActions={[{ content: text.export, onAction: exporter.start, loading: exporter.exporting }]}
    >
      <BlockStack gap="400">
        {exporter.failed ? (
          <Banner tone="critical" onDismiss={exporter.dismiss}>
            {text.exportFailed}
          </Banner>
        ) : null}
        <Card padding="0">
          <IndexFilters
            tabs={[{ id: "all", content: text.allTab }]}
            selected={0}
            canCreateNewView={false}
            queryValue={search}
            queryPlaceholder={text.searchPlaceholder}
            onQueryChange={setSearch}
            onQueryClear={() => setSearch("")}
            filters={filters}
            appliedFilters={appliedFilters}
            onClearAll={clearAll}
            sortOptions={SORT_OPTIONS}
            sortSelected={[`${query.sort} ${query.direction}`]}
            onSort={([selected]) => {
              const [sort, direction] = (selected ?? "").split(" ") as [CustomerSort, SortDirection];
              if (sort && direction) go({ sort, direction });
            }}
            cancelAction={{ onAction: clearAll }}
            mode={mode}
            setMode={setMode}
            loading={loading}
            autoFocusSearchField={false}
          />
          <IndexTable
            resourceName={text.resourceName}
            itemCount={list.rows.length}
            selectable={false}
            loading={loading}
            headings={
              COLUMNS.map((column) => ({
                title: column.title,
                alignment: column.numeric ? "end" : "start",
              })) as IndexTableProps["headings"]
            }
            sortable={COLUMNS.map((column) => Boolean(column.sort))}
            sortColumnIndex={sortColumn}
            sortDirection={query.direction === "asc" ? "ascending" : "descending"}
            defaultSortDirection="descending"
            onSort={onSort}
            emptyState={
              filtered ? (
                <BlockStack gap="200" inlineAlign="center">
                  {emptyState}
                  <Button onClick={clearAll}>{text.empty.clearFilters}</Button>
                </BlockStack>
              ) : (
                emptyState
              )
            }
            pagination={{
              hasPrevious: list.previousCursor !== null,
              hasNext: list.nextCursor !== null,
              previousURL: list.previousCursor ? listUrl(query, { before: list.previousCursor }) : undefined,
              nextURL: list.nextCursor ? listUrl(query, { after: list.nextCursor }) : undefined,
            }}
          >
            {list.rows.map((row, index) => (
              <CustomerRow
                key={row.id}
                row={row}
                index={index}
                currencyCode={list.currencyCode}
                timeZone={list.timeZone}
                tiers={list.tiers}
              />
            ))}
          </IndexTable>
        </Card>
        <Text as="p" variant="bodySm" tone="subdued">
          {text.pageNote}
        </Text>
      </BlockStack>
    </Page>
  );
}

// The library's auth responses pass through; any other error shows the page's error state.
export function ErrorBoundary() {
  return <RouteError title={text.title} />;
}

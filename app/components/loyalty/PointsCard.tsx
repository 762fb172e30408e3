// The Customer page's Points card: balance, pending, owed and tier, the points history (newest
// first, a page at a time) and a staff member's manual adjustment. The adjustment form carries an
// id made when the page was loaded, so submitting it twice (a double click, a retry) adjusts once;
// the page's data reloads after a successful adjustment and the form takes the new id (the form
// stays mounted, so focus stays where it was).
import { Link as RemixLink, useFetcher, useLocation, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  DataTable,
  FormLayout,
  InlineStack,
  Link,
  List,
  SkeletonBodyText,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";

import { FigureGrid } from "~/components/ui/Figure";
import { formatCount, formatMoney } from "~/components/ui/format";
import { SectionCard, SubSection } from "~/components/ui/SectionCard";
import type { AdjustmentProblem, CustomerPoints, PointsHistoryEntry } from "~/loyalty/customer-points.server";
import { loyaltyStrings } from "~/strings/loyalty";

const text = loyaltyStrings.customer;

export type AdjustmentActionResult = { ok: true; pointsBalance: number } | { ok: false; problems: AdjustmentProblem[] };

const signed = (points: number) =>
  points === 0 ? loyaltyStrings.none : `${points > 0 ? "+" : "−"}${formatCount(Math.abs(points))}`;

function whatHappened(entry: PointsHistoryEntry): string {
  const parts = [
    entry.kind === "bonus" && entry.bonus
      ? (text.bonuses[entry.bonus] ?? text.kinds.bonus)
      : (text.kinds[entry.kind] ?? entry.kind),
  ];
  if (entry.orderName) parts.push(text.order(entry.orderName));
  if (entry.rewardName) parts.push(text.reward(entry.rewardName));
  if (entry.kind === "adjustment" && entry.reason) parts.push(text.staff(entry.staffMember ?? "", entry.reason));
  if (entry.owedPoints) parts.push(text.owed(signed(entry.owedPoints)));
  return parts.join(" · ");
}

function History({ history, date }: { history: CustomerPoints["history"]; date: (iso: string) => string }) {
  const location = useLocation();
  const navigation = useNavigation();
  const paging =
    navigation.state === "loading" &&
    navigation.location.pathname === location.pathname &&
    navigation.location.search !== location.search;
  const columns = text.historyColumns;
  const pageUrl = (cursor: string | null) => {
    const params = new URLSearchParams(location.search);
    if (cursor) params.set("pointsCursor", cursor);
    else params.delete("pointsCursor");
    const search = params.toString();
    return search ? `?${search}` : location.pathname;
  };
  return (
    <SubSection title={text.historyHeading}>
      {paging ? (
        <div role="status" aria-label={loyaltyStrings.loading}>
          <SkeletonBodyText lines={6} />
        </div>
      ) : history.entries.length ? (
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric"]}
          headings={[columns.date, columns.what, columns.points, columns.pending]}
          rows={history.entries.map((entry) => [
            date(entry.occurredAt),
            <span key="what" data-entry={entry.id} data-kind={entry.kind}>
              {whatHappened(entry)}
            </span>,
            <span key="points" data-entry-points={entry.id}>
              {signed(entry.points)}
            </span>,
            <span key="pending" data-entry-pending={entry.id}>
              {signed(entry.pendingPoints)}
            </span>,
          ])}
        />
      ) : (
        <Text as="p" tone="subdued">
          <span data-state="no-points-history">{text.historyEmpty}</span>
        </Text>
      )}
      {history.cursor || history.nextCursor ? (
        <InlineStack gap="400">
          {history.cursor ? (
            <RemixLink to={pageUrl(null)} preventScrollReset data-page="newest">
              {text.newest}
            </RemixLink>
          ) : null}
          {history.nextCursor ? (
            <RemixLink to={pageUrl(history.nextCursor)} preventScrollReset data-page="older">
              {text.older}
            </RemixLink>
          ) : null}
        </InlineStack>
      ) : null}
    </SubSection>
  );
}

function AdjustmentForm({ adjustmentId }: { adjustmentId: string }) {
  const fetcher = useFetcher<AdjustmentActionResult>();
  const shopify = useAppBridge();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const problems = result && !result.ok ? result.problems : [];
  const fieldError = (field: AdjustmentProblem["field"]) =>
    problems
      .filter((problem) => problem.field === field)
      .map((problem) => problem.message)
      .join(" ") || undefined;
  const formProblems = problems.filter((problem) => problem.field === "");

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data?.ok) return;
    shopify.toast.show(text.adjusted(formatCount(fetcher.data.pointsBalance)));
    setPoints("");
    setReason("");
  }, [fetcher.state, fetcher.data, shopify]);

  return (
    <fetcher.Form method="post" data-form="adjust-points">
      <input type="hidden" name="intent" value="adjustPoints" />
      <input type="hidden" name="adjustmentId" value={adjustmentId} />
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          {text.adjustHeading}
        </Text>
        {formProblems.length ? (
          <Banner tone="critical" title={text.adjustFailed}>
            <List>
              {formProblems.map((problem) => (
                <List.Item key={problem.message}>{problem.message}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        <FormLayout>
          <FormLayout.Group>
            <TextField
              id="adjust-points"
              name="points"
              label={text.adjustPoints}
              helpText={text.adjustPointsHelp}
              value={points}
              onChange={setPoints}
              error={fieldError("points")}
              inputMode="numeric"
              autoComplete="off"
            />
            <TextField
              id="adjust-reason"
              name="reason"
              label={text.adjustReason}
              helpText={text.adjustReasonHelp}
              value={reason}
              onChange={setReason}
              error={fieldError("reason")}
              autoComplete="off"
            />
          </FormLayout.Group>
        </FormLayout>
        <InlineStack>
          <Button submit loading={fetcher.state !== "idle"}>
            {text.adjustSubmit}
          </Button>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}

export function PointsCard({
  points,
  currencyCode,
  date,
}: {
  points: CustomerPoints;
  currencyCode: string;
  date: (iso: string) => string;
}) {
  const { program, member } = points;
  return (
    <SectionCard
      title={text.heading}
      action={
        member ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {text.memberSince(date(member.enrolledAt))}
          </Text>
        ) : null
      }
    >
      {!program ? (
        <Text as="p">
          <span data-state="no-program">{text.noProgram}</span> <Link url="/app/loyalty">{text.setUp}</Link>
        </Text>
      ) : (
        <>
          {program.enabled ? null : (
            <Text as="p" tone="subdued">
              {text.programOff}
            </Text>
          )}
          {member ? (
            <BlockStack gap="300">
              <FigureGrid
                columns={{ xs: 2, md: 4 }}
                size="large"
                labels={text.figures}
                values={{
                  pointsBalance: formatCount(member.pointsBalance),
                  pendingPoints: formatCount(member.pendingPoints),
                  owedPoints: formatCount(member.owedPoints),
                }}
              >
                <BlockStack gap="100">
                  <Text as="p" tone="subdued">
                    {text.figures.tier}
                  </Text>
                  <span data-figure="tier">
                    {member.tier ? <Badge tone="info">{member.tier.name}</Badge> : text.noTier}
                  </span>
                </BlockStack>
              </FigureGrid>
              {member.nextTier || member.expiring ? (
                <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                  <BlockStack gap="100">
                    {member.nextTier ? (
                      <Text as="p">
                        <span data-figure="nextTier">
                          {text.nextTier(
                            member.nextTier.unit === "money"
                              ? formatMoney(Number(member.nextTier.remaining), currencyCode)
                              : text.nextTierPoints(formatCount(Number(member.nextTier.remaining))),
                            member.nextTier.name,
                          )}
                        </span>
                      </Text>
                    ) : null}
                    {member.expiring ? (
                      <Text as="p" tone="caution">
                        <span data-figure="expiring">
                          {text.expiring(formatCount(member.expiring.points), date(member.expiring.on))}
                        </span>
                      </Text>
                    ) : null}
                  </BlockStack>
                </Box>
              ) : null}
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              <span data-state="not-member">{text.notMember}</span>
            </Text>
          )}
          <History history={points.history} date={date} />
          <AdjustmentForm adjustmentId={points.adjustmentId} />
        </>
      )}
    </SectionCard>
  );
}

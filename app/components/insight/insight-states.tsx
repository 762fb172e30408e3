// The states of the pages that show the stored insight (Segments, Model accuracy; Home the
// outdated one): loading (the stored insight streams in after the page shell), no analysis yet,
// an analysis too old to read, a warning when the latest run failed, and when the analysis shown
// was made. Built from the kit's
// page states (components/ui/page-states.tsx).
import { Await } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page, SkeletonPage } from "@shopify/polaris";
import { Suspense, type ReactNode } from "react";

import { formatDateTime } from "~/components/ui/format";
import { EmptyCard, LoadingStatus, SkeletonCard } from "~/components/ui/page-states";
import { PageNote } from "~/components/ui/PageNote";
import type { FailedRun } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

const text = insightStrings.common;

export function InsightLoading({ title }: { title: string }) {
  return (
    <SkeletonPage title={title}>
      <LoadingStatus label={text.loading} />
      <Layout>
        {[0, 1, 2].map((key) => (
          <Layout.Section key={key}>
            <SkeletonCard lines={4} />
          </Layout.Section>
        ))}
      </Layout>
    </SkeletonPage>
  );
}

function NoInsight({ failedRun }: { failedRun: FailedRun | null }) {
  return (
    <BlockStack gap="400">
      {failedRun ? <FailedRunBanner failedRun={failedRun} /> : null}
      <EmptyCard heading={text.emptyHeading} state="empty" action={{ content: text.goHome, url: "/app" }}>
        {text.emptyBody}
      </EmptyCard>
    </BlockStack>
  );
}

// On the home page itself the link home is left out (its Analyse now button is at hand).
export function OutdatedInsight({ linkHome = true }: { linkHome?: boolean }) {
  return (
    <Banner
      tone="warning"
      title={text.outdatedHeading}
      action={linkHome ? { content: text.goHome, url: "/app" } : undefined}
    >
      <p data-state="outdated">{text.outdatedBody}</p>
    </Banner>
  );
}

function FailedRunBanner({ failedRun }: { failedRun: FailedRun }) {
  return (
    <Banner tone="warning">
      <p>{text.lastRunFailed(failedRun.message)}</p>
    </Banner>
  );
}

function LoadFailed() {
  return (
    <Banner tone="critical">
      <p role="alert" data-state="load-failed">
        {text.loadFailed}
      </p>
    </Banner>
  );
}

// What a page's stored insight can be besides something to show.
type Empty = { state: "empty"; failedRun: FailedRun | null };
type NotReady = Empty | { state: "outdated" };
// What every analysis shown carries.
type Analysed = { failedRun: FailedRun | null; computedAt: string };
const isEmpty = (data: { state: string }): data is Empty => data.state === "empty";

// An insight page: its loader streams the stored insight, shown as a skeleton until it arrives,
// as a banner if reading it failed, and as the empty or outdated state when there is nothing to
// show. Otherwise `children` lays out the page's sections, between a warning if the latest run
// failed and when the shown analysis was made.
export function DeferredInsightPage<Data extends NotReady | ({ state: string } & Analysed)>({
  page,
  title,
  subtitle,
  children,
}: {
  page: Promise<Data>;
  title: string;
  subtitle: string;
  children: (data: Exclude<Data, NotReady>) => ReactNode;
}) {
  return (
    <Suspense fallback={<InsightLoading title={title} />}>
      <Await
        resolve={page}
        errorElement={
          <Page title={title}>
            <LoadFailed />
          </Page>
        }
      >
        {(data) => (
          <Page title={title} subtitle={subtitle}>
            <InsightBody data={data as Data}>{children}</InsightBody>
          </Page>
        )}
      </Await>
    </Suspense>
  );
}

function InsightBody<Data extends { state: string }>({
  data,
  children,
}: {
  data: Data;
  children: (data: Exclude<Data, NotReady>) => ReactNode;
}) {
  if (isEmpty(data)) return <NoInsight failedRun={data.failedRun} />;
  if (data.state === "outdated") return <OutdatedInsight />;
  const shown = data as Exclude<Data, NotReady> & Analysed;
  return (
    <Layout>
      {shown.failedRun ? (
        <Layout.Section>
          <FailedRunBanner failedRun={shown.failedRun} />
        </Layout.Section>
      ) : null}
      {children(shown)}
      <PageNote>{text.analysedAt(formatDateTime(shown.computedAt))}</PageNote>
    </Layout>
  );
}

// The states of the pages that show the stored insight (Segments, Model accuracy; Home the
// outdated one): loading (the stored insight streams in after the page shell), no analysis yet,
// an analysis too old to read, and a warning when the latest run failed. Built from the kit's
// page states (components/ui/page-states.tsx).
import { Await } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page, SkeletonPage } from "@shopify/polaris";
import { Suspense, type ReactNode } from "react";

import { formatDateTime } from "~/components/ui/format";
import { EmptyCard, LoadingStatus, SkeletonCard } from "~/components/ui/page-states";
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

export function NoInsight({ failedRun }: { failedRun: FailedRun | null }) {
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

export function FailedRunBanner({ failedRun }: { failedRun: FailedRun }) {
  return (
    <Banner tone="warning">
      <p>{text.lastRunFailed(failedRun.message)}</p>
    </Banner>
  );
}

export function LoadFailed() {
  return (
    <Banner tone="critical">
      <p role="alert" data-state="load-failed">
        {text.loadFailed}
      </p>
    </Banner>
  );
}

// An insight page: its loader streams the stored insight, shown as a skeleton until it arrives
// and as a banner if reading it failed.
export function DeferredInsightPage<Data>({
  page,
  title,
  subtitle,
  children,
}: {
  page: Promise<Data>;
  title: string;
  subtitle: string;
  children: (data: Data) => ReactNode;
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
            {children(data as Data)}
          </Page>
        )}
      </Await>
    </Suspense>
  );
}

export function AnalysedAt({ computedAt }: { computedAt: string }) {
  return <>{text.analysedAt(formatDateTime(computedAt))}</>;
}

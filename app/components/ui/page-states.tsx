// The states every admin page can be in besides showing its figures: loading (a skeleton, and a
// status for screen readers), empty (nothing to show yet, and what to do about it) and failed.
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  EmptyState,
  Page,
  SkeletonBodyText,
  SkeletonDisplayText,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { ReactNode } from "react";

import { insightStrings } from "~/strings/insight";

/** Says to screen readers what the skeleton around it shows. */
export function LoadingStatus({ label }: { label: string }) {
  return (
    <div role="status">
      <Text as="span" visuallyHidden>
        {label}
      </Text>
    </div>
  );
}

/** A card's outline while its figures load. */
export function SkeletonCard({ lines }: { lines: number }) {
  return (
    <Card>
      <BlockStack gap="300">
        <SkeletonDisplayText size="small" />
        <SkeletonBodyText lines={lines} />
      </BlockStack>
    </Card>
  );
}

/** Nothing to show yet: why, tagged data-state="<state>", and what to do about it. */
export function EmptyCard({
  heading,
  state,
  action,
  children,
}: {
  heading: string;
  state: string;
  action?: { content: string; url: string };
  children: ReactNode;
}) {
  return (
    <Card>
      <EmptyState heading={heading} image="" action={action}>
        <p data-state={state}>{children}</p>
      </EmptyState>
    </Card>
  );
}

// A route's error state. The Shopify library's responses (authentication redirects, the
// re-authentication page) pass through its boundary as on every admin route; anything else is a
// page with the route's title and a message, inside the admin's frame, rather than a blank screen.
export function RouteError({ title }: { title: string }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <Page title={title}>
      <Banner tone="critical">
        <p role="alert" data-state="error">
          {insightStrings.common.errorBody}
        </p>
      </Banner>
    </Page>
  );
}

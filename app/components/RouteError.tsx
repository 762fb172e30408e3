// A route's error state. The Shopify library's responses (authentication redirects, the
// re-authentication page) pass through its boundary as on every admin route; anything else is a
// page with the route's title and a message, inside the admin's frame, rather than a blank screen.
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";

import { insightStrings } from "~/strings/insight";

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

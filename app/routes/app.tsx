import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";

import { isDemoMode } from "~/demo/demo-mode.server";
import { config } from "~/platform/env.server";
import { authenticate } from "~/shopify.server";
import { loyaltyStrings } from "~/strings/loyalty";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { apiKey: config().SHOPIFY_API_KEY, demo: isDemoMode() };
};

export default function App() {
  const { apiKey, demo } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      {/* Outside the Shopify admin (the demo), a local stand-in provides the `shopify` global. */}
      {demo ? <script src="/demo/app-bridge.js" /> : null}
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/segments">Segments</Link>
        <Link to="/app/model-accuracy">Model accuracy</Link>
        <Link to="/app/loyalty">{loyaltyStrings.nav.program}</Link>
        <Link to="/app/loyalty/results">{loyaltyStrings.nav.results}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify's boundary lets the library's auth redirects and headers pass through.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

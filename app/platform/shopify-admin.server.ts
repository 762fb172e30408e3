// The one Shopify Admin GraphQL client for calls made with no merchant request at hand (jobs, the
// app proxy): the shop's offline session, a timeout, retries for Shopify's THROTTLED answer and
// for 5xx, pacing on the reported query cost, and every failure classified (AdminApiError.kind).
//
// How the library answers (shopify-api 15's GraphqlClient.request, under shopify-app-remix's
// admin.graphql): an answer with `errors` in its body (THROTTLED included) is thrown as
// GraphqlQueryError whose `body` is {data?, extensions?, errors: {graphQLErrors, message,
// networkStatusCode}}; a 5xx as HttpInternalError (an HttpRetriableError, `response.code`); a 429
// as HttpThrottlingError; another status as HttpResponseError; no answer at all (a timeout, a
// dropped connection) as HttpRequestError. None of these is retried by the library here (tries 1).
import { GraphqlQueryError, HttpRequestError, HttpResponseError, HttpThrottlingError } from "@shopify/shopify-api";

import { throttleWaitMs, type ThrottleStatus } from "~/core/shopify/throttle";
import { unauthenticated } from "~/shopify.server";

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * throttled: still THROTTLED (or 429) after every retry; http: a 5xx after every retry, or another
 * status; graphql: Shopify answered with GraphQL errors (or no data), never retried; userErrors: a
 * mutation's userErrors (see requireNoUserErrors); timeout: no answer within timeoutMs (or the
 * caller's signal aborted); network: no answer at all.
 */
export type AdminErrorKind = "throttled" | "http" | "graphql" | "userErrors" | "timeout" | "network";

export interface GraphqlErrorEntry {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export class AdminApiError extends Error {
  readonly kind: AdminErrorKind;
  readonly status?: number;
  readonly errors: readonly (GraphqlErrorEntry | { field?: string[] | null; message: string })[];
  /** With graphql errors, what of the operation ran anyway (a mutation's partial answer): null if nothing. */
  readonly partialData: unknown;

  constructor(
    kind: AdminErrorKind,
    message: string,
    extra: { status?: number; errors?: AdminApiError["errors"]; partialData?: unknown; cause?: unknown } = {},
  ) {
    super(`Admin API (${kind}): ${message}`, { cause: extra.cause });
    this.name = "AdminApiError";
    this.kind = kind;
    this.status = extra.status;
    this.errors = extra.errors ?? [];
    this.partialData = extra.partialData ?? null;
  }
}

export interface QueryCost {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

export interface AdminCallOptions {
  /** The whole call, retries and waits included (default 30 s). */
  timeoutMs?: number;
  /** Retries after a 5xx (default 3); 0 for a mutation that must not run twice. */
  retries?: number;
  /** Retries after THROTTLED (default 10): a throttled call never ran, so it is always safe. */
  throttleRetries?: number;
  /** After an answer, wait until the bucket holds this call's cost again (default true). */
  pace?: boolean;
  sleep?: Sleep;
  signal?: AbortSignal;
}

export interface AdminAnswer<Data> {
  data: Data;
  cost?: QueryCost;
}

interface AnswerBody<Data> {
  data?: Data;
  extensions?: { cost?: QueryCost };
}

/** The wait before retry `attempt` (0-based) after a 5xx: 1 s, 2 s, 4 s, … at most 30 s. */
export const backoffMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

function graphqlErrorsOf(error: GraphqlQueryError): GraphqlErrorEntry[] {
  const errors = (error.body as { errors?: { graphQLErrors?: unknown } } | undefined)?.errors?.graphQLErrors;
  return Array.isArray(errors) ? (errors as GraphqlErrorEntry[]) : [];
}

/** One Admin API call, with its answer's query cost. Throws AdminApiError on every failure of Shopify's. */
export async function adminRequest<Data>(
  shop: string,
  query: string,
  variables: Record<string, unknown>,
  options: AdminCallOptions = {},
): Promise<AdminAnswer<Data>> {
  const sleep = options.sleep ?? realSleep;
  const retries = options.retries ?? 3;
  const throttleRetries = options.throttleRetries ?? 10;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const timedOut = (cause?: unknown) =>
    new AdminApiError("timeout", signal.reason instanceof Error ? signal.reason.message : "aborted", { cause });

  const { admin } = await unauthenticated.admin(shop);
  let serverErrors = 0;
  let throttles = 0;
  for (;;) {
    if (signal.aborted) throw timedOut();
    let failure: AdminApiError;
    let wait: number;
    try {
      const response = await admin.graphql(query, { variables, signal });
      const body = (await response.json()) as AnswerBody<Data>;
      if (body.data == null) throw new AdminApiError("graphql", "no data");
      const cost = body.extensions?.cost;
      if (options.pace !== false) {
        const paceMs = throttleWaitMs(cost?.throttleStatus, cost?.actualQueryCost ?? cost?.requestedQueryCost ?? 0);
        if (paceMs > 0) await sleep(paceMs);
      }
      return { data: body.data, cost };
    } catch (error) {
      if (error instanceof AdminApiError) throw error;
      if (error instanceof GraphqlQueryError) {
        const errors = graphqlErrorsOf(error);
        if (!errors.some((entry) => entry.extensions?.code === "THROTTLED"))
          throw new AdminApiError("graphql", errors.map((entry) => entry.message).join("; ") || error.message, {
            errors,
            partialData: (error.body as AnswerBody<Data> | undefined)?.data,
            cause: error,
          });
        const cost = (error.body as AnswerBody<Data> | undefined)?.extensions?.cost;
        failure = new AdminApiError("throttled", "THROTTLED", { errors, cause: error });
        wait = throttleWaitMs(cost?.throttleStatus, cost?.requestedQueryCost ?? 10) || 1000;
        throttles += 1;
        if (throttles > throttleRetries) throw failure;
      } else if (error instanceof HttpThrottlingError) {
        failure = new AdminApiError("throttled", error.message, { status: 429, cause: error });
        wait = (error.response.retryAfter ?? 1) * 1000;
        throttles += 1;
        if (throttles > throttleRetries) throw failure;
      } else if (error instanceof HttpResponseError) {
        const status = error.response.code;
        failure = new AdminApiError(status === 200 ? "graphql" : "http", error.message, { status, cause: error });
        if (status < 500 || serverErrors >= retries) throw failure;
        wait = backoffMs(serverErrors);
        serverErrors += 1;
      } else if (error instanceof HttpRequestError) {
        if (signal.aborted) throw timedOut(error);
        throw new AdminApiError("network", error.message, { cause: error });
      } else if (signal.aborted) {
        throw timedOut(error);
      } else {
        throw error;
      }
    }
    await sleep(wait);
    if (signal.aborted) throw timedOut(failure);
  }
}

/** One Admin API call's data (see adminRequest). */
export async function adminGraphql<Data>(
  shop: string,
  query: string,
  variables: Record<string, unknown>,
  options: AdminCallOptions = {},
): Promise<Data> {
  return (await adminRequest<Data>(shop, query, variables, options)).data;
}

/** A mutation's payload, or AdminApiError "userErrors" when Shopify refused it. */
export function requireNoUserErrors<Payload extends { userErrors?: { field?: string[] | null; message: string }[] }>(
  name: string,
  payload: Payload | null | undefined,
): Payload {
  if (!payload) throw new AdminApiError("graphql", `${name}: no payload`);
  const errors = payload.userErrors ?? [];
  if (errors.length)
    throw new AdminApiError("userErrors", `${name}: ${errors.map((error) => error.message).join("; ")}`, { errors });
  return payload;
}

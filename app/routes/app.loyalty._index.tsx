// Loyalty program: the settings form, a live preview of what shoppers will read, and the change
// history. The loader reads the program (loyalty/program.server.ts, two indexed
// lookups); the action saves it through saveLoyaltyProgram, which validates with the loyalty
// core's schema and records who changed it. Each problem comes back with its settings path, which
// is its field's id, so it shows at the field and in a summary whose links move focus there.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  Form,
  InlineStack,
  Layout,
  Link,
  List,
  Page,
  SkeletonBodyText,
  SkeletonPage,
  Text,
} from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import {
  BonusesSection,
  EarningSection,
  EnabledSection,
  ExclusionsSection,
  ExpirySection,
  RewardsSection,
  TiersSection,
  type UpdateDraft,
} from "~/components/loyalty/program-form";
import { ProgramPreview } from "~/components/loyalty/ProgramPreview";
import {
  draftFromSettings,
  fieldIdOf,
  problemsByField,
  settingsFromDraft,
  type ProgramDraft,
} from "~/components/loyalty/program-form/program-draft";
import { LoadingStatus, RouteError, SkeletonCard } from "~/components/ui/page-states";
import { ChartCard } from "~/components/ui/ChartCard";
import { formatDateTimeWithZone } from "~/components/ui/format";
import { loyaltySettingsSchema } from "~/core/loyalty";
import { loyaltyPreview, type LoyaltyPreview } from "~/core/loyalty/preview";
import { staffMemberOf } from "~/loyalty/customer-points.server";
import { readLoyaltyProgram, saveLoyaltyProgram, type SettingsProblem } from "~/loyalty/program.server";
import { authenticate } from "~/shopify.server";
import { loyaltyStrings } from "~/strings/loyalty";

const text = loyaltyStrings.program;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const program = await readLoyaltyProgram(session.shop);
  if (!program) throw new Response("Not found", { status: 404 });
  return program;
};

export type ProgramActionResult = { ok: true; version: number } | { ok: false; problems: SettingsProblem[] };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  let body: { enabled?: unknown; settings?: unknown };
  try {
    body = (await request.json()) as typeof body;
  } catch {
    return data<ProgramActionResult>(
      { ok: false, problems: [{ path: "", message: "The form could not be read. Reload the page and try again." }] },
      { status: 400 },
    );
  }
  const result = await saveLoyaltyProgram(
    session.shop,
    { enabled: body.enabled === true, settings: body.settings },
    staffMemberOf(sessionToken),
  );
  if (!result.ok) return data<ProgramActionResult>({ ok: false, problems: result.problems }, { status: 400 });
  return data<ProgramActionResult>({ ok: true, version: result.program.version });
};

function ProgramSkeleton() {
  return (
    <SkeletonPage title={text.title} primaryAction>
      <LoadingStatus label={loyaltyStrings.loading} />
      <Layout>
        <Layout.Section>
          {[0, 1, 2].map((key) => (
            <SkeletonCard key={key} lines={3} />
          ))}
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <SkeletonBodyText lines={8} />
          </Card>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

function focusField(id: string) {
  const element = document.getElementById(id);
  if (!element) return;
  element.scrollIntoView({ block: "center" });
  element.focus();
}

function ProblemsBanner({ problems, draft }: { problems: SettingsProblem[]; draft: ProgramDraft }) {
  const banner = useRef<{ focus: () => void }>(null);
  useEffect(() => banner.current?.focus(), [problems]);
  return (
    <Banner ref={banner} tone="critical" title={text.problemsTitle(problems.length)}>
      <List>
        {problems.map((problem, index) => {
          const id = fieldIdOf(problem.path, draft);
          return (
            <List.Item key={`${problem.path}:${index}`}>
              <span data-problem={problem.path}>
                {problem.path ? <Link onClick={() => focusField(id)}>{problem.message}</Link> : problem.message}
              </span>
            </List.Item>
          );
        })}
      </List>
    </Banner>
  );
}

function ChangeHistory({ changes }: { changes: ReturnType<typeof useLoaderData<typeof loader>>["changes"] }) {
  const columns = text.history.columns;
  return (
    <ChartCard title={text.history.heading} help={text.history.help}>
      {changes.length ? (
        <DataTable
          columnContentTypes={["numeric", "text", "text", "text"]}
          headings={[columns.version, columns.changedAt, columns.staffMember, columns.enabled]}
          rows={changes.map((change) => [
            <span key="version" data-change-version={change.version}>
              {change.version}
            </span>,
            formatDateTimeWithZone(change.changedAt),
            <span key="staff" data-change-staff={change.version}>
              {change.staffMember}
            </span>,
            change.enabled ? text.status.on : text.status.off,
          ])}
        />
      ) : (
        <Text as="p" tone="subdued">
          <span data-state="no-history">{text.history.empty}</span>
        </Text>
      )}
    </ChartCard>
  );
}

function usePreview(draft: ProgramDraft, currencyCode: string, initial: LoyaltyPreview) {
  const lastValid = useRef(initial);
  return useMemo(() => {
    const parsed = loyaltySettingsSchema.safeParse(settingsFromDraft(draft));
    if (!parsed.success) return { preview: { ...lastValid.current, ...offNotice(draft.enabled) }, stale: true };
    lastValid.current = loyaltyPreview(draft.enabled, parsed.data, { currencyCode, words: loyaltyStrings.preview });
    return { preview: lastValid.current, stale: false };
  }, [draft, currencyCode]);
}

const offNotice = (enabled: boolean) => ({ enabled, offNotice: enabled ? null : loyaltyStrings.preview.programOff });

export default function LoyaltyProgram() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const { program, changes, currencyCode } = loaded;

  const saved = useMemo(() => draftFromSettings(program.enabled, program.settings), [program]);
  const [draft, setDraft] = useState(saved);
  // A new saved version (this save, or another staff member's): the form shows it. The same
  // version read again leaves the merchant's edits alone.
  const savedVersion = `${program.version}:${program.updatedAt}`;
  const savedRef = useRef(saved);
  savedRef.current = saved;
  useEffect(() => setDraft(savedRef.current), [savedVersion]);
  const update: UpdateDraft = useCallback((change) => setDraft((current) => change(current)), []);

  const initialPreview = useMemo(
    () => loyaltyPreview(program.enabled, program.settings, { currencyCode, words: loyaltyStrings.preview }),
    [program, currencyCode],
  );
  const { preview, stale } = usePreview(draft, currencyCode, initialPreview);

  const saving = navigation.state !== "idle" && navigation.formMethod?.toLowerCase() === "post";
  const problems = useMemo(() => (actionData && !actionData.ok ? actionData.problems : []), [actionData]);
  // Each message under its field: by its path, and by the field that fixes it when that differs.
  const errors = useMemo(() => {
    const byField = problemsByField(problems);
    for (const [path, message] of [...byField]) {
      const field = fieldIdOf(path, draft);
      if (!byField.has(field)) byField.set(field, message);
    }
    return byField;
  }, [problems, draft]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  useEffect(() => {
    if (actionData?.ok) shopify.toast.show(text.saved);
  }, [actionData, shopify]);

  // Opening the page again from the navigation: its outline until the program is read.
  if (navigation.state === "loading" && !navigation.formMethod && navigation.location.pathname === "/app/loyalty")
    return <ProgramSkeleton />;

  const isNew = program.version === 0;
  // Enter in any field saves, as the Save button does: only a change, and only once at a time.
  const save = () => {
    if (saving || (!dirty && !isNew)) return;
    submit(
      { enabled: draft.enabled, settings: JSON.parse(JSON.stringify(settingsFromDraft(draft))) },
      { method: "post", encType: "application/json" },
    );
  };
  const sections = { draft, update, errors, currencyCode };

  return (
    <Page
      title={text.title}
      subtitle={text.subtitle}
      titleMetadata={
        <InlineStack gap="200">
          <Badge tone={program.enabled ? "success" : undefined}>
            {program.enabled ? text.status.on : text.status.off}
          </Badge>
          {dirty ? <Badge tone="attention">{text.status.unsaved}</Badge> : null}
        </InlineStack>
      }
    >
      <Form onSubmit={save}>
        <Layout>
          {isNew ? (
            <Layout.Section>
              <Banner tone="info" title={text.noProgramHeading}>
                <p data-state="no-program">{text.noProgramBody}</p>
              </Banner>
            </Layout.Section>
          ) : null}
          {problems.length ? (
            <Layout.Section>
              <ProblemsBanner problems={problems} draft={draft} />
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <BlockStack gap="400">
              <EnabledSection {...sections} />
              <EarningSection {...sections} />
              <BonusesSection {...sections} />
              <ExpirySection {...sections} />
              <RewardsSection {...sections} />
              <TiersSection {...sections} />
              <ExclusionsSection {...sections} />
              <InlineStack align="end" gap="300">
                <Button disabled={!dirty || saving} onClick={() => setDraft(saved)}>
                  {text.discard}
                </Button>
                <Button variant="primary" submit loading={saving} disabled={!dirty && !isNew}>
                  {text.save}
                </Button>
              </InlineStack>
              <ChangeHistory changes={changes} />
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <div style={{ position: "sticky", top: 16 }}>
              <ProgramPreview preview={preview} stale={stale} />
            </div>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title={text.title} />;
}

// What the Loyalty program form's sections share. Each field's id is the settings path the
// validation reports problems at (program-draft.ts), so a problem from the server shows under its
// own field and the summary banner can move focus to it. Everything is a native control or a
// Polaris button: the form works by keyboard alone (Tab, Space, arrows in radio groups, Enter to
// save).
import { BlockStack, InlineError } from "@shopify/polaris";
import type { ReactNode } from "react";

import { loyaltyStrings } from "~/strings/loyalty";

import type { ProgramDraft } from "./program-draft";

export const text = loyaltyStrings.program;

export type UpdateDraft = (change: (draft: ProgramDraft) => ProgramDraft) => void;

export interface SectionProps {
  draft: ProgramDraft;
  update: UpdateDraft;
  errors: ReadonlyMap<string, string>;
  currencyCode: string;
}

// A group of radio buttons or a list that has no input of its own: focusable by the summary.
export function FieldGroup({ id, error, children }: { id: string; error?: string; children: ReactNode }) {
  return (
    <div id={id} tabIndex={-1}>
      <BlockStack gap="100">
        {children}
        {error ? <InlineError message={error} fieldID={id} /> : null}
      </BlockStack>
    </div>
  );
}

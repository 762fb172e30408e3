// Staff corrections. Every adjustment names the staff member and a reason, and is keyed by its
// id so a double-submitted form adjusts once. Added points first pay off owed points; removing
// more points than are available is refused rather than clamped, so staff see what happened.
import { LedgerDraft } from "./ledger";
import { manualAdjustmentSchema, type ManualAdjustmentInput } from "./settings";
import type { IsoTime, LedgerChange, LoyaltyState } from "./types";

export type AdjustmentResult = { ok: true; change: LedgerChange } | { ok: false; messages: string[] };

export function adjustPoints(state: LoyaltyState, input: ManualAdjustmentInput, at: IsoTime): AdjustmentResult {
  const parsed = manualAdjustmentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, messages: parsed.error.issues.map((issue) => issue.message) };
  const adjustment = parsed.data;
  const draft = new LedgerDraft(state, at);
  const source = {
    key: `adjustment:${adjustment.adjustmentId}`,
    kind: "adjustment" as const,
    adjustmentId: adjustment.adjustmentId,
    staffMember: adjustment.staffMember,
    reason: adjustment.reason,
  };
  if (draft.has(source.key)) return { ok: true, change: draft.change() };
  if (adjustment.points > 0) {
    draft.credit(source, adjustment.points, true);
  } else {
    const removing = -adjustment.points;
    if (removing > draft.pointsBalance)
      return {
        ok: false,
        messages: [`Can't remove ${removing} points: the customer has ${draft.pointsBalance} available.`],
      };
    draft.spend(source, removing);
  }
  return { ok: true, change: draft.change() };
}

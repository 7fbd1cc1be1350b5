/**
 * Review-queue urgency, pure: which open PR (or unmerged branch) an orchestrator should read first.
 *
 *     value   = debt + 10 × riskFlags
 *     waiting = 1 + log2(1 + hoursSinceLastPush / 24)
 *     mine    = 2 when the PR awaits me (review requested from me), else 1
 *     size    = 1 / sqrt(1 + effortMinutes / 15)
 *     urgency = value × waiting × mine × size
 *
 * Why: debt is the un-understood, complexity-weighted agent code the PR adds (docs/model.md) and
 * each risk flag is worth about ten such lines of attention. Waiting grows slowly (×2 after a day,
 * ×3 after three days) so an old PR rises without drowning fresh risky ones. "Awaits me" doubles it:
 * someone is blocked on me. Size is shortest-job-first, softened by the square root: of two PRs with
 * the same debt the one that reads in 10 minutes comes before the one that takes an hour, but a big
 * risky PR still outranks a small harmless one. Worked example: docs/model.md, "Review queue".
 */
export const FLAG_VALUE = 10;
export const WAIT_UNIT_HOURS = 24;
export const AWAITS_ME_FACTOR = 2;
export const SIZE_UNIT_MINUTES = 15;

export const URGENCY_FORMULA =
  'urgency = (debt + 10 × flags) × (1 + log2(1 + hoursWaited / 24)) × (2 if it awaits me else 1) / sqrt(1 + effortMinutes / 15)';

export interface UrgencyInput {
  /** Debt the PR adds: weight of its changed agent-written symbols nobody understands. */
  debt: number;
  /** Risk flags on its items (not the header line). */
  flags: number;
  /** Epoch seconds of the last push (or head commit date), null when unknown. */
  lastPushAt: number | null;
  /** Epoch seconds. */
  now: number;
  awaitsMe: boolean;
  effortMinutes: number;
}

export interface UrgencyParts {
  value: number;
  hoursWaited: number;
  waiting: number;
  mine: number;
  size: number;
  urgency: number;
}

const finite = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

export function urgencyParts(input: UrgencyInput): UrgencyParts {
  const value = finite(input.debt) + FLAG_VALUE * finite(input.flags);
  const hoursWaited = input.lastPushAt === null ? 0 : finite((input.now - input.lastPushAt) / 3600);
  const waiting = 1 + Math.log2(1 + hoursWaited / WAIT_UNIT_HOURS);
  const mine = input.awaitsMe ? AWAITS_ME_FACTOR : 1;
  const size = 1 / Math.sqrt(1 + finite(input.effortMinutes) / SIZE_UNIT_MINUTES);
  return { value, hoursWaited, waiting, mine, size, urgency: value * waiting * mine * size };
}

export function urgency(input: UrgencyInput): number {
  return urgencyParts(input).urgency;
}

/**
 * The checklist and gate of a commit range from one database: what `grasp ci github` computes
 * locally and what the service answers on POST /api/gate (so both use the service's marks alike).
 */
import { buildChecklist } from '../checklist/build.ts';
import type { Checklist } from '../checklist/types.ts';
import type { RepoStore } from '../db/store.ts';
import { evaluateGate, type GateResult } from './gate.ts';
import type { Policy } from './policy.ts';
import { loadItemHeads, loadStanding } from './standing.ts';

export interface Evaluation {
  checklist: Checklist;
  gate: GateResult;
}

export async function evaluateRange(store: RepoStore, opts: { base: string; head: string; policy: Policy }): Promise<Evaluation> {
  const checklist = await buildChecklist(store, { base: opts.base, head: opts.head });
  const heads = await loadItemHeads(store, checklist);
  const standing = await loadStanding(store, [...heads.values()].map((h) => h.hash).filter((h): h is string => h !== null));
  return { checklist, gate: evaluateGate({ checklist, heads, standing, policy: opts.policy }) };
}

/**
 * The review queue across every open PR (or, with git-only data, every unmerged branch): ranked by
 * urgency (src/core/urgency.ts), with the symbols two pieces of work change at once, and per PR what
 * is new for the reader since they last reviewed it. Pure: src/db/repo/desk.ts loads the facts.
 */
import { complexityWeight } from '../core/debt.ts';
import { collisionsOf, findCollisions, type Collision } from '../core/collisions.ts';
import { URGENCY_FORMULA, urgencyParts, type UrgencyParts } from '../core/urgency.ts';

export interface QueueItemFacts {
  symbolId: number | null;
  file: string;
  /** Qualified symbol name, '' for a file-level item. */
  name: string;
  /** Hash at the PR head; null when the PR deletes it. */
  hash: string | null;
  agentLines: number;
  complexity: number | null;
  /** Risk flag codes on the item (the header line "agent-written, unreviewed" is not one). */
  flags: readonly string[];
  /** Someone on the team understands this exact version (fresh reviewed/explained mark). */
  understood: boolean;
  /** The reader's latest mark on this symbol: its hash and level; null when never marked. */
  mine: { hash: string; level: string } | null;
}

export interface QueueWorkFacts {
  repo: string;
  number: number | null;
  branch: string | null;
  title: string;
  author: string | null;
  agent: string | null;
  headSha: string | null;
  /** Epoch seconds of the last push (or the head commit's date). */
  lastPushAt: number | null;
  /** The PR asks the reader for a review (review request, or the reader is an assignee). */
  awaitsMe: boolean;
  effortMinutes: number;
  whoToAsk: readonly string[];
  /** The merge gate at this head under the repository's policy; null when no policy could be read. */
  gate: QueueGate | null;
  items: readonly QueueItemFacts[];
}

export interface QueueGate {
  state: 'pass' | 'fail';
  /** Gated items still lacking their mark at the head version (the Action's `unreviewed=`). */
  failing: number;
}

export interface NewForMe {
  symbol: string;
  file: string;
  /** never: I never marked it; stale: my mark is on an older version. */
  since: 'never' | 'stale';
}

export interface QueueEntry {
  number: number | null;
  title: string;
  repo: string;
  author: string | null;
  agent: string | null;
  branch: string | null;
  headSha: string | null;
  urgency: number;
  debt: number;
  effortMinutes: number;
  /** Risk flags on its items, and their distinct codes. */
  flags: number;
  flagCodes: string[];
  newForMe: NewForMe[];
  whoToAsk: string[];
  /** 'pass' | 'fail' as the Action would report it; null when no policy could be read. */
  gate: QueueGate['state'] | null;
  /** How many gated items lack their mark (0 when it passes on thresholds alone); null with `gate`. */
  gateFailing: number | null;
  awaitsMe: boolean;
  hoursWaited: number;
  collisions: { symbol: string; file: string; prs: number[]; branches: string[]; agents: string[] }[];
  /** The parts of the urgency, so the ranking can be checked by hand. */
  why: UrgencyParts;
}

export interface Queue {
  as: string | null;
  formula: string;
  prs: QueueEntry[];
  collisions: Collision[];
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Debt the work adds: weight of its agent-written items at head that nobody understands. */
export function workDebt(items: readonly QueueItemFacts[]): number {
  let debt = 0;
  for (const i of items) {
    if (i.hash === null || i.understood || i.agentLines <= 0) continue;
    debt += i.agentLines * complexityWeight(i.complexity ?? 1);
  }
  return debt;
}

function newForMe(items: readonly QueueItemFacts[], reader: boolean): NewForMe[] {
  if (!reader) return [];
  const out: NewForMe[] = [];
  for (const i of items) {
    if (i.hash === null || i.name === '') continue;
    if (i.mine === null) out.push({ symbol: i.name, file: i.file, since: 'never' });
    else if (i.mine.hash !== i.hash || i.mine.level === 'viewed') out.push({ symbol: i.name, file: i.file, since: i.mine.hash !== i.hash ? 'stale' : 'never' });
  }
  return out;
}

export function buildQueue(work: readonly QueueWorkFacts[], opts: { as: string | null; now: number }): Queue {
  const collisions = findCollisions(
    work.map((w) => ({
      number: w.number,
      branch: w.branch,
      agent: w.agent,
      symbols: w.items.filter((i) => i.name !== '').map((i) => ({ repo: w.repo, symbolId: i.symbolId, file: i.file, name: i.name })),
    })),
  );
  const entries = work.map((w): QueueEntry => {
    const debt = workDebt(w.items);
    const flagCount = w.items.reduce((n, i) => n + i.flags.length, 0);
    const why = urgencyParts({ debt, flags: flagCount, lastPushAt: w.lastPushAt, now: opts.now, awaitsMe: w.awaitsMe, effortMinutes: w.effortMinutes });
    const mine = collisionsOf({ number: w.number, branch: w.branch, agent: w.agent }, collisions);
    return {
      number: w.number,
      title: w.title,
      repo: w.repo,
      author: w.author,
      agent: w.agent,
      branch: w.branch,
      headSha: w.headSha,
      urgency: round(why.urgency),
      debt: round(debt),
      effortMinutes: w.effortMinutes,
      flags: flagCount,
      flagCodes: [...new Set(w.items.flatMap((i) => i.flags))].sort(),
      newForMe: newForMe(w.items, opts.as !== null),
      whoToAsk: [...w.whoToAsk],
      gate: w.gate?.state ?? null,
      gateFailing: w.gate?.failing ?? null,
      awaitsMe: w.awaitsMe,
      hoursWaited: round(why.hoursWaited),
      collisions: mine.map((c) => ({ symbol: c.symbol, file: c.file, prs: c.prs, branches: c.branches, agents: c.agents })),
      why,
    };
  });
  // Most urgent first; ties by repository and number/branch so the order is stable.
  entries.sort(
    (a, b) =>
      b.why.urgency - a.why.urgency ||
      a.repo.localeCompare(b.repo) ||
      (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER) ||
      (a.branch ?? '').localeCompare(b.branch ?? ''),
  );
  return {
    as: opts.as,
    formula: URGENCY_FORMULA,
    prs: entries,
    collisions,
  };
}

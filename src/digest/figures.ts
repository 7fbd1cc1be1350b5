/** Small computations the team digest and its per-repository rows share (pure, no I/O). */
import type { CommitActivity } from '../db/repo/digest.ts';
import type { AgentActivity, Digest, ShareOfTotal } from './types.ts';

export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const ratio = (part: number, total: number): number | null => (total === 0 ? null : round(part / total, 4));

/** The compared weeks: [prevStart, start) is last week, [start, end) this one (epoch seconds). */
export interface Bounds {
  prevStart: number;
  start: number;
  end: number;
}

/** Agent share of changed lines and of commits this week and last, and per agent. */
export function agentShare(activity: readonly CommitActivity[], b: Bounds): Digest['agentShare'] {
  const thisWeek = activity.filter((c) => c.at >= b.start && c.at < b.end);
  const lastWeek = activity.filter((c) => c.at >= b.prevStart && c.at < b.start);
  const share = (pick: (c: CommitActivity) => number): ShareOfTotal => {
    const sum = (list: readonly CommitActivity[], agentOnly: boolean) =>
      list.reduce((n, c) => n + (agentOnly && c.kind !== 'agent' ? 0 : pick(c)), 0);
    const [agent, total, previousAgent, previousTotal] = [sum(thisWeek, true), sum(thisWeek, false), sum(lastWeek, true), sum(lastWeek, false)];
    return { agent, total, share: ratio(agent, total), previousAgent, previousTotal, previousShare: ratio(previousAgent, previousTotal) };
  };
  const byAgent = new Map<string, AgentActivity>();
  for (const c of [...thisWeek, ...lastWeek]) {
    if (c.kind !== 'agent') continue;
    const name = c.agent ?? 'unknown';
    const a = byAgent.get(name) ?? { agent: name, lines: 0, commits: 0, previousLines: 0, previousCommits: 0 };
    if (c.at >= b.start) {
      a.lines += c.lines;
      a.commits += 1;
    } else {
      a.previousLines += c.lines;
      a.previousCommits += 1;
    }
    byAgent.set(name, a);
  }
  return {
    lines: share((c) => c.lines),
    commits: share(() => 1),
    byAgent: [...byAgent.values()].sort((x, y) => y.lines - x.lines || y.commits - x.commits || x.agent.localeCompare(y.agent)),
  };
}

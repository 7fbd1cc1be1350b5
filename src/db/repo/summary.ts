/** Repository layer for the first-run summary: added lines by who wrote them. */
import { and, sql } from 'drizzle-orm';
import { commits, fileAnalyses } from '../schema.ts';
import type { Store } from '../store.ts';

export interface AgentLineCount {
  /** The agent's name, or null for people and bots. */
  agent: string | null;
  commits: number;
  agentLines: number;
  humanLines: number;
}

/** Analyzed added lines per agent (and one row for everyone else), merge diffs excluded by analysis. */
export async function countLinesByAgent(store: Store): Promise<AgentLineCount[]> {
  const agent = sql<string | null>`case when ${commits.kind} = 'agent' then ${commits.agent} else null end`;
  const rows = await store.db
    .select({
      agent,
      commits: sql<number>`count(distinct ${commits.sha})`,
      agentLines: sql<number>`coalesce(sum(${fileAnalyses.agentLines}), 0)`,
      humanLines: sql<number>`coalesce(sum(${fileAnalyses.humanLines}), 0)`,
    })
    .from(commits)
    .leftJoin(fileAnalyses, sql`${fileAnalyses.repoId} = ${commits.repoId} and ${fileAnalyses.sha} = ${commits.sha}`)
    .groupBy(agent)
    .all();
  return rows.map((r) => ({ agent: r.agent ?? null, commits: Number(r.commits), agentLines: Number(r.agentLines), humanLines: Number(r.humanLines) }));
}

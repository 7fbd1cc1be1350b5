/**
 * `--all-refs`: every branch, remote-tracking branch and PR head read in one `for-each-ref` and one
 * `rev-list` walk off the current line, instead of one process per branch or PR. The walk gives branch
 * membership (which refs reach each commit, src/core/ref-reach.ts) and the PR heads' commits for
 * squash attribution (src/ingest/pr-attribution.ts).
 */
import { refsReaching } from '../core/ref-reach.ts';
import type { RepositoryInfo } from '../git/repository.ts';
import { listRefTips, walkOffTip } from '../git/refs.ts';

export interface RefGraph {
  /** Commit -> branch names (other than the current branch) that reach it, for commits off the current line. */
  branches: Map<string, readonly string[]>;
  /** PR number -> head commit (refs/pull/N/head). */
  pullHeads: Map<number, string>;
  /** Commits off the current line (reachable from some ref but not HEAD) -> their parents. */
  offLine: ReadonlyMap<string, readonly string[]>;
}

export const EMPTY_REF_GRAPH: RefGraph = { branches: new Map(), pullHeads: new Map(), offLine: new Map() };

export async function readRefGraph(info: RepositoryInfo): Promise<RefGraph> {
  const tips = await listRefTips(info.root);
  if (tips.length === 0) return EMPTY_REF_GRAPH;
  const walk = await walkOffTip(info.root, tips.map((t) => t.sha), info.head);
  const branchTips = tips.filter((t) => !t.ref.startsWith('refs/pull/') && t.name !== info.branch);
  const pullHeads = new Map<number, string>();
  for (const t of tips) {
    const m = /^refs\/pull\/(\d+)\/head$/.exec(t.ref);
    if (m) pullHeads.set(Number(m[1]), t.sha);
  }
  return { branches: refsReaching(walk, branchTips), pullHeads, offLine: walk.parents };
}

/**
 * The analysis that follows reading history (`grasp ingest`, `grasp ci`): run only when there is
 * something to do, and loaded only then, so a re-ingest with nothing new stays fast.
 */
import { availableParallelism } from 'node:os';
import type { AnalyzeSummary } from '../analysis/analyze.ts';
import { getRepoMeta } from '../db/repo/repos.ts';
import { countPendingCommits } from '../db/repo/symbols.ts';
import type { RepoStore } from '../db/store.ts';

export interface AnalysisStepOptions {
  jobs?: number;
  onProgress?: (p: { done: number; total: number; perSecond: number }) => void;
}

/**
 * Analyzes unless up to date: every commit analyzed and the current symbols computed at `head`. Both
 * count: a run killed after its last commit batch but before the head refresh leaves nothing
 * pending, yet the current symbols still to compute (analyzeRepository does that).
 */
export async function analyzeIfNeeded(store: RepoStore, root: string, head: string | null, opts: AnalysisStepOptions = {}): Promise<AnalyzeSummary | null> {
  const upToDate = (await countPendingCommits(store)) === 0 && (await getRepoMeta(store, 'analysis.head')) === (head ?? '');
  if (upToDate) return null;
  const { analyzeRepository } = await import('../analysis/analyze.ts');
  const { collectManifestTexts } = await import('./manifests.ts');
  const summary = await analyzeRepository(store, root, { jobs: opts.jobs ?? availableParallelism(), onProgress: opts.onProgress });
  // package.json texts, so checklists can flag dependency changes without git (Workers).
  await collectManifestTexts(store, root);
  return summary;
}

/**
 * The analysis step `grasp ingest` runs after reading history. The analysis is loaded only when
 * there is something to do, so a re-ingest with nothing new stays fast.
 */
import { InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { getRepoMeta } from '../../db/repo/repos.ts';
import { countPendingCommits } from '../../db/repo/symbols.ts';
import type { RepoStore } from '../../db/store.ts';
import { progressPrinter } from '../context.ts';

/** `--jobs N`: threads that parse; default one per core. Results are identical for any N. */
export function jobsOption(): Option {
  return new Option('--jobs <n>', `threads that parse TS/JS (default: ${availableParallelism()}, one per core)`).argParser((v) => {
    const n = Number(v);
    if (!/^\d{1,3}$/.test(v) || n < 1 || n > 256) throw new InvalidArgumentError('--jobs must be a whole number from 1 to 256');
    return n;
  });
}

/**
 * Runs the analysis unless it is up to date: every commit analyzed and the current symbols computed
 * at `head`. Both count: a run killed after its last commit batch but before the head refresh
 * leaves nothing pending, yet the current symbols still to compute (analyzeRepository does that).
 */
export async function runAnalysisStep(store: RepoStore, root: string, head: string | null, showProgress: boolean, jobs = availableParallelism()) {
  const upToDate = (await countPendingCommits(store)) === 0 && (await getRepoMeta(store, 'analysis.head')) === (head ?? '');
  if (upToDate) return { commits: 0, skipped: 'nothing new to analyze' };
  const { analyzeRepository } = await import('../../analysis/analyze.ts');
  const { collectManifestTexts } = await import('../../checklist/manifests.ts');
  const progress = progressPrinter(showProgress);
  const summary = await analyzeRepository(store, root, {
    jobs,
    onProgress: (p) => progress(`analyze: ${p.done}/${p.total} commits (${Math.round(p.perSecond)}/s)`),
  });
  progress.done();
  // package.json texts, so checklists can flag dependency changes without git (Workers).
  await collectManifestTexts(store, root);
  if (showProgress) {
    process.stdout.write(`analysis: ${summary.commits} commits, ${summary.symbolChanges} symbol changes, ${summary.currentSymbols} symbols at head; ${Math.round(summary.durationMs)} ms\n`);
  }
  return { ...summary, durationMs: Math.round(summary.durationMs) };
}

/** `grasp ingest`'s analysis step on a terminal: options and progress around src/ingest/analysis-step.ts. */
import { InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import type { RepoStore } from '../../db/store.ts';
import { analyzeIfNeeded } from '../../ingest/analysis-step.ts';
import { progressPrinter } from '../context.ts';

/** `--jobs N`: threads that parse; default one per core. Results are identical for any N. */
export function jobsOption(): Option {
  return new Option('--jobs <n>', `threads that parse TS/JS (default: ${availableParallelism()}, one per core)`).argParser((v) => {
    const n = Number(v);
    if (!/^\d{1,3}$/.test(v) || n < 1 || n > 256) throw new InvalidArgumentError('--jobs must be a whole number from 1 to 256');
    return n;
  });
}

/** The analysis step with a progress line on the terminal and a summary line after it. */
export async function runAnalysisStep(store: RepoStore, root: string, head: string | null, showProgress: boolean, jobs = availableParallelism()) {
  const progress = progressPrinter(showProgress);
  const summary = await analyzeIfNeeded(store, root, head, {
    jobs,
    onProgress: (p) => progress(`analyze: ${p.done}/${p.total} commits (${Math.round(p.perSecond)}/s)`),
  });
  if (!summary) return { commits: 0, skipped: 'nothing new to analyze' };
  progress.done();
  if (showProgress) {
    process.stdout.write(`analysis: ${summary.commits} commits, ${summary.symbolChanges} symbol changes, ${summary.currentSymbols} symbols at head; ${Math.round(summary.durationMs)} ms\n`);
  }
  return { ...summary, durationMs: Math.round(summary.durationMs) };
}

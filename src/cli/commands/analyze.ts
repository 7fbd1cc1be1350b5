/** `grasp analyze`: symbol analysis of ingested commits (also run by `grasp ingest`). */
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { analyzeRepository } from '../../analysis/analyze.ts';
import { DEFAULT_IGNORE_GLOBS } from '../../analysis/classify.ts';
import { GraspError } from '../../core/errors.ts';
import { getMeta } from '../../db/repo/commits.ts';
import { defaultDbPath } from '../../db/node/open.ts';
import { acquireWriterLock } from '../../ingest/writer-lock.ts';
import { addDbOption, printJson, terminalSafe, withStore } from '../context.ts';
import { progressPrinter } from '../context.ts';
import { jobsOption } from './analysis-step.ts';

export function register(program: Command): void {
  addDbOption(
    program
      .command('analyze')
      .description('map every ingested TS/JS change to the functions, methods and types it touched')
      .argument('[repo-path]', 'the ingested repository (default: the one this database tracks)')
      .option('--ignore <glob...>', `paths kept at file granularity (replaces the defaults: ${DEFAULT_IGNORE_GLOBS.join(' ')})`)
      .option('--json', 'print a machine-readable summary')
      .addOption(jobsOption()),
  ).action(async (repoPath: string | undefined, opts: { db?: string; ignore?: string[]; json?: boolean; jobs?: number }) => {
    // Two analyses at once handed out the same symbol ids: one history writer per database.
    const lock = await acquireWriterLock(defaultDbPath(opts.db), {
      onWait: (o) => process.stderr.write(`grasp: another ingest or analysis (pid ${o.pid}) is writing this database; waiting for it to finish\n`),
    });
    await withStore(opts, async (store) => {
      const root = repoPath ?? (await getMeta(store, 'repo.root'));
      if (!root) throw new GraspError('not-found', 'no repository ingested yet: run `grasp ingest <repo-path>` first');
      const progress = progressPrinter(!opts.json);
      const summary = await analyzeRepository(store, root, {
        ignore: opts.ignore,
        jobs: opts.jobs ?? availableParallelism(),
        onProgress: (p) => progress(`analyze: ${p.done}/${p.total} commits (${Math.round(p.perSecond)}/s)`),
      });
      progress.done();
      if (opts.json) return printJson({ ...summary, durationMs: Math.round(summary.durationMs) });
      const statuses = Object.entries(summary.byStatus)
        .sort((a, b) => b[1] - a[1])
        .map(([s, n]) => `${s} ${n}`)
        .join(', ');
      process.stdout.write(
        terminalSafe(
          `${summary.root}: ${summary.commits} commits analyzed, ${summary.symbolChanges} symbol changes, ${summary.blobsParsed} file versions parsed` +
            `${statuses ? ` (files: ${statuses})` : ''}; ${summary.currentSymbols} symbols at head; ${Math.round(summary.durationMs)} ms\n`,
        ),
      );
    }).finally(() => lock.release());
  });
}

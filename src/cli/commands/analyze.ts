/** `grasp analyze`: symbol analysis of ingested commits (also run by `grasp ingest`). */
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { analyzeRepository } from '../../analysis/analyze.ts';
import { DEFAULT_IGNORE_GLOBS } from '../../analysis/classify.ts';
import { GraspError } from '../../core/errors.ts';
import { getRepoByPath, getRepoRoot } from '../../db/repo/repos.ts';
import { forRepo, type RepoStore, type Store } from '../../db/store.ts';
import { inspectRepository } from '../../git/repository.ts';
import { defaultDbPath } from '../../db/node/open.ts';
import { acquireWriterLock } from '../../ingest/writer-lock.ts';
import { addDbOption, addRepoOption, printJson, repoStoreFor, terminalSafe, withStore } from '../context.ts';
import { progressPrinter } from '../context.ts';
import { jobsOption } from './analysis-step.ts';

export function register(program: Command): void {
  addRepoOption(addDbOption(
    program
      .command('analyze')
      .description('map every ingested TS/JS change to the functions, methods and types it touched')
      .argument('[repo-path]', 'the ingested repository (default: --repo, the one of the current directory, or the only one)')
      .option('--ignore <glob...>', `paths kept at file granularity (replaces the defaults: ${DEFAULT_IGNORE_GLOBS.join(' ')})`)
      .option('--json', 'print a machine-readable summary')
      .addOption(jobsOption()),
  )).action(async (repoPath: string | undefined, opts: { db?: string; repo?: string; ignore?: string[]; json?: boolean; jobs?: number }) => {
    // Two analyses at once handed out the same symbol ids: one history writer per database.
    const lock = await acquireWriterLock(defaultDbPath(opts.db), {
      onWait: (o) => process.stderr.write(`grasp: another ingest or analysis (pid ${o.pid}) is writing this database; waiting for it to finish\n`),
    });
    await withStore(opts, async (team) => {
      const store = repoPath !== undefined ? await repoAtPath(team, repoPath) : await repoStoreFor(team, opts);
      const root = repoPath ?? (await getRepoRoot(store));
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

/** The ingested repository at `path` (analysis reads what ingest stored). */
async function repoAtPath(team: Store, path: string): Promise<RepoStore> {
  const info = await inspectRepository(path);
  const row = await getRepoByPath(team, info.root);
  if (!row) throw new GraspError('not-found', `${info.root} is not ingested in this database yet: run \`grasp ingest ${path}\` first`);
  return forRepo(team, row.id);
}

import { Option, type Command } from 'commander';
import { defaultDbPath } from '../../db/node/open.ts';
import { ingestRepository } from '../../ingest/ingest.ts';
import { acquireWriterLock } from '../../ingest/writer-lock.ts';
import { forRepo } from '../../db/store.ts';
import { addDbOption, intOption, printJson, progressPrinter, terminalSafe, withStore } from '../context.ts';
import { jobsOption, runAnalysisStep } from './analysis-step.ts';
import { alertConfig, startAlertStep, type PendingAlerts } from './alert-step.ts';

export function register(program: Command): void {
  addDbOption(
    program
      .command('ingest')
      .description('read a repository\'s history (and analyze its TS/JS symbols) into the database')
      .argument('[repo-path]', 'git repository to read', '.')
      .option('--name <name>', "the repository's name in this database (default: origin's owner/name, else the directory name)")
      .option('--all-refs', 'read every branch, tag and remote ref, and record which branches reach each commit')
      .option('--no-analyze', 'skip the symbol analysis step')
      .option('--json', 'print a machine-readable summary instead of text')
      .addOption(jobsOption())
      .option('--wait <seconds>', 'how long to wait for another ingest writing the same database', intOption('--wait', 0, 86_400), 600)
      .addOption(new Option('--batch-size <n>', 'commits per transaction').argParser(intOption('--batch-size')).hideHelp()),
  ).action(async (repoPath: string, opts: { db?: string; name?: string; allRefs?: boolean; analyze: boolean; json?: boolean; batchSize?: number; wait: number; jobs?: number }) => {
    // One writer at a time; the frontier is read only once the lock is ours.
    const lock = await acquireWriterLock(defaultDbPath(opts.db), {
      waitMs: opts.wait * 1000,
      onWait: (o) => process.stderr.write(`grasp: another ingest (pid ${o.pid}) is writing this database; waiting up to ${opts.wait} s for it to finish\n`),
    });
    let alerts: PendingAlerts | null = null;
    try {
      alerts = await ingestWithStore(repoPath, opts);
    } finally {
      lock.release();
    }
    // Delivered after the ingest committed and the next writer may go on: a slow receiver delays only our exit.
    const sent = alerts ? await alerts.send() : null;
    if (sent && sent.engineers > 0 && !opts.json) process.stdout.write(`stale-understanding alerts: ${sent.delivered} of ${sent.engineers} engineers notified\n`);
    for (const f of sent?.failed ?? []) process.stderr.write(terminalSafe(`warning: alert not delivered to ${f}\n`));
  });
}

async function ingestWithStore(repoPath: string, opts: { db?: string; name?: string; allRefs?: boolean; analyze: boolean; json?: boolean; batchSize?: number; jobs?: number }): Promise<PendingAlerts | null> {
  return withStore(opts, async (store) => {
    const alerts = startAlertStep(alertConfig());
    const progress = progressPrinter(!opts.json);
    const summary = await ingestRepository(store, repoPath, {
      allRefs: opts.allRefs,
      name: opts.name,
      batchSize: opts.batchSize,
      onProgress: (p) => progress(`ingest: ${p.done}/${p.total} commits (${Math.round(p.perSecond)}/s)`),
    });
    progress.done();
    const repo = forRepo(store, summary.repoId);
    const analysis = opts.analyze ? await runAnalysisStep(repo, summary.root, summary.head, !opts.json, opts.jobs) : null;
    if (opts.json) {
      const { repoId: _id, seqBefore: _before, ...shown } = summary;
      printJson({ ...shown, durationMs: Math.round(summary.durationMs), analysis });
      return alerts.collect(repo, summary.seqBefore);
    }
    const k = summary.kinds;
    const agents = Object.entries(summary.byAgent)
      .sort((a, b) => b[1] - a[1])
      .map(([a, n]) => `${a} ${n}`)
      .join(', ');
    process.stdout.write(
      terminalSafe(
        `${summary.name} (${summary.root}): ${summary.newCommits} new commits (${k.agent} agent, ${k.human} human, ${k.bot} bot)` +
          `${agents ? ` — agents: ${agents}` : ''}; ${summary.totalCommits} in the database; ${Math.round(summary.durationMs)} ms\n`,
      ),
    );
    if (summary.reclassified) process.stdout.write(`${summary.reclassified} earlier commits reclassified with new evidence\n`);
    for (const w of summary.warnings.slice(0, 20)) process.stderr.write(terminalSafe(`warning: ${w}\n`));
    if (summary.warnings.length > 20) process.stderr.write(`... and ${summary.warnings.length - 20} more warnings\n`);
    return alerts.collect(repo, summary.seqBefore);
  });
}

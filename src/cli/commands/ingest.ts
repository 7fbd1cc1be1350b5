import { Option, type Command } from 'commander';
import { ingestRepository } from '../../ingest/ingest.ts';
import { addDbOption, intOption, printJson, progressPrinter, terminalSafe, withStore } from '../context.ts';
import { runAnalysisStep } from './analysis-step.ts';
import { alertConfig, startAlertStep } from './alert-step.ts';

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
      .addOption(new Option('--batch-size <n>', 'commits per transaction').argParser(intOption('--batch-size')).hideHelp()),
  ).action(async (repoPath: string, opts: { db?: string; name?: string; allRefs?: boolean; analyze: boolean; json?: boolean; batchSize?: number }) => {
    await withStore(opts, async (store) => {
      const alerts = await startAlertStep(store, alertConfig());
      const progress = progressPrinter(!opts.json);
      const summary = await ingestRepository(store, repoPath, {
        allRefs: opts.allRefs,
        name: opts.name,
        batchSize: opts.batchSize,
        onProgress: (p) => progress(`ingest: ${p.done}/${p.total} commits (${Math.round(p.perSecond)}/s)`),
      });
      progress.done();
      const analysis = opts.analyze ? await runAnalysisStep(store, summary.root, summary.head, !opts.json) : null;
      if (opts.json) {
        printJson({ ...summary, durationMs: Math.round(summary.durationMs), analysis });
        await alerts.send();
        return;
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
      const sent = await alerts.send();
      if (sent && sent.engineers > 0) process.stdout.write(`stale-understanding alerts: ${sent.delivered} of ${sent.engineers} engineers notified\n`);
      for (const f of sent?.failed ?? []) process.stderr.write(terminalSafe(`warning: alert not delivered to ${f}\n`));
    });
  });
}

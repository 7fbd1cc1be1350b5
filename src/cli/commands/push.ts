/** `grasp push`: upload the local history and analysis to a grasp service (Workers + D1, or grasp serve). */
import { Option, type Command } from 'commander';
import { GraspError } from '../../core/errors.ts';
import { pushDatabase } from '../../push/client.ts';
import { addDbOption, printJson, terminalSafe, withStore } from '../context.ts';
import { progressPrinter } from '../context.ts';

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new GraspError('invalid', `${name} must be a positive integer, got "${v}"`);
  return n;
};

export function register(program: Command): void {
  addDbOption(
    program
      .command('push')
      .description('upload ingested history, provenance and symbol analysis to a grasp service, in resumable batches')
      .requiredOption('--to <url>', 'the service, e.g. https://grasp.<account>.workers.dev')
      .addOption(new Option('--token <token>', 'an admin token of the service').env('GRASP_PUSH_TOKEN'))
      .option('--batch-size <rows>', 'at most this many rows per batch (default 5000)', positiveInt('--batch-size'))
      .option('--max-bytes <bytes>', 'at most this many bytes per request (default: what the service accepts)', positiveInt('--max-bytes'))
      .option('--engineers', 'also create the local engineers and link their aliases on the service')
      .option('--json', 'print a machine-readable summary'),
  ).action(async (opts: { db?: string; to: string; token?: string; batchSize?: number; maxBytes?: number; engineers?: boolean; json?: boolean }) => {
    if (!opts.token) throw new GraspError('invalid', 'give the service\'s admin token with --token or $GRASP_PUSH_TOKEN');
    await withStore(opts, async (store) => {
      const progress = progressPrinter(!opts.json);
      const summary = await pushDatabase(store, {
        url: opts.to,
        token: opts.token!,
        batchSize: opts.batchSize,
        maxBytes: opts.maxBytes,
        engineers: opts.engineers,
        onProgress: (p) => progress(`push: ${p.batches} batches, ${p.blocks} blocks, ${p.rows} rows`),
      });
      progress.done();
      if (opts.json) return printJson({ ...summary, durationMs: Math.round(summary.durationMs) });
      const rows = Object.values(summary.rows).reduce((a, b) => a + (b ?? 0), 0);
      const out = (line: string) => process.stdout.write(`${terminalSafe(line)}\n`);
      out(
        `${summary.url}: ${summary.blocks.sent} of ${summary.blocks.total} blocks sent (${summary.blocks.unchanged} unchanged), ` +
          `${rows} rows in ${summary.batches} batches, ${(summary.bytes / 1e6).toFixed(1)} MB, ${Math.round(summary.durationMs)} ms`,
      );
      if (summary.repos.length > 1) {
        for (const r of summary.repos) out(`  ${r.name}: ${r.blocks.sent} of ${r.blocks.total} blocks sent, ${Object.values(r.rows).reduce((a, b) => a + (b ?? 0), 0)} rows`);
      }
      if (summary.engineers) {
        const e = summary.engineers;
        out(`engineers: ${e.created.length} created, ${e.updated.length} updated, ${e.skipped.length} skipped`);
        for (const s of e.skipped) out(`  skipped ${s.handle}: ${s.reason}`);
      }
    });
  });
}

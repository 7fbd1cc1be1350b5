/** `grasp summary [--json]`: agent share by agent, coverage, debt as reading time, what to read first, what to run next. */
import type { Command } from 'commander';
import { buildSummary, formatSummary } from '../../report/summary.ts';
import { addDbOption, printJson, terminalSafe, withStore } from '../context.ts';

export function register(program: Command): void {
  addDbOption(
    program
      .command('summary')
      .description('the state of the tracked code: agent share, coverage, debt as reading time, what to read first')
      .option('--json', 'print JSON'),
  ).action(async (opts: { db?: string; json?: boolean }) => {
    await withStore(opts, async (store) => {
      const summary = await buildSummary(store);
      if (opts.json) printJson(summary);
      else process.stdout.write(terminalSafe(formatSummary(summary)));
    }, 'read');
  });
}

/** `grasp marks <handle> [--stale]`: an engineer's current marks; stale ones with what changed since. */
import type { Command } from 'commander';
import { symbolLabel } from '../../core/marks.ts';
import { getEngineer } from '../../db/repo/engineers.ts';
import { currentMarksForEngineer, staleMarksForEngineer } from '../../db/repo/marks.ts';
import { addDbOption, printJson, terminalSafe, withStore } from '../context.ts';

const out = (line: string) => process.stdout.write(`${terminalSafe(line)}\n`);

export function register(program: Command): void {
  addDbOption(
    program
      .command('marks <handle>')
      .description("an engineer's current marks (fresh or stale)")
      .option('--stale', 'only stale marks, with the diff since each was written')
      .option('--json', 'print JSON'),
  ).action(async (handle: string, opts: { db?: string; stale?: boolean; json?: boolean }) => {
    await withStore(opts, async (store) => {
      const engineer = await getEngineer(store, handle);
      if (opts.stale) {
        const stale = await staleMarksForEngineer(store, engineer);
        if (opts.json) return printJson(stale);
        for (const m of stale) {
          out(`stale ${m.level.padEnd(9)} ${symbolLabel({ file: m.file, name: m.symbol })}  marked ${m.at.slice(0, 10)}`);
          if (m.diff) out(m.diff.split('\n').slice(2).map((l) => `    ${l}`).join('\n').trimEnd());
          else out('    (no stored text to compare)');
        }
        if (stale.length === 0) out(`${engineer.handle} has no stale marks`);
        return;
      }
      const list = await currentMarksForEngineer(store, engineer);
      if (opts.json) return printJson(list);
      for (const m of list) {
        out(`${m.stale ? 'stale' : 'fresh'} ${m.level.padEnd(9)} ${symbolLabel({ file: m.file, name: m.symbol })}  ${m.at.slice(0, 10)}`);
      }
      const staleCount = list.filter((m) => m.stale).length;
      out(`${list.length} current mark${list.length === 1 ? '' : 's'} for ${engineer.handle}, ${staleCount} stale`);
    }, 'read');
  });
}

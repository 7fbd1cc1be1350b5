/** `grasp mark <target> --as <handle> --level <level>`: record understanding from the command line (trusted local use). */
import type { Command } from 'commander';
import { GraspError } from '../../core/errors.ts';
import { isMarkLevel, MARK_LEVELS, symbolLabel } from '../../core/marks.ts';
import { getEngineer } from '../../db/repo/engineers.ts';
import { recordMarks } from '../../db/repo/marks.ts';
import { expandTarget } from '../../db/repo/targets.ts';
import { parseTarget } from '../../core/marks.ts';
import { addDbOption, addRepoOption, printJson, targetInRepo, terminalSafe, withStore } from '../context.ts';

export function register(program: Command): void {
  addRepoOption(addDbOption(
    program
      .command('mark <target>')
      .description('mark a symbol (path#Name), file, commit, range (base..head) or pull request (pr:N) as viewed / reviewed / explained')
      .requiredOption('--as <handle>', 'the engineer whose understanding this is')
      .requiredOption('--level <level>', `one of ${MARK_LEVELS.join(', ')}`)
      .option('--note <text>', 'what it does and why (required for explained)')
      .option('--json', 'print the written marks as JSON'),
  )).action(async (target: string, opts: { db?: string; repo?: string; as: string; level: string; note?: string; json?: boolean }) => {
    if (!isMarkLevel(opts.level)) throw new GraspError('invalid', `unknown level "${opts.level}"; use ${MARK_LEVELS.join(', ')}`);
    const level = opts.level;
    await withStore(opts, async (team) => {
      const engineer = await getEngineer(team, opts.as);
      const found = async (s: Parameters<typeof expandTarget>[0], local: string) => (await expandTarget(s, parseTarget(local))).length > 0;
      const { store, local } = await targetInRepo(team, target, opts, found);
      const written = await recordMarks(store, { engineer, target: local, level, note: opts.note, source: 'cli' });
      if (opts.json) return printJson(written);
      for (const m of written) {
        process.stdout.write(`${terminalSafe(`${m.level.padEnd(9)} ${symbolLabel({ file: m.file, name: m.symbol })}  ${m.hash.slice(0, 12)}`)}\n`);
      }
      process.stdout.write(`${written.length} mark${written.length === 1 ? '' : 's'} written for ${engineer.handle}\n`);
    });
  });
}

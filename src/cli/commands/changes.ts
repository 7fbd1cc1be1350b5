/** `grasp changes <sha>`: what one commit did to symbols, with agent and human lines. */
import type { Command } from 'commander';
import { commitChanges } from '../../analysis/views.ts';
import { symbolLabel } from '../../core/marks.ts';
import { resolveRevisionText } from '../../checklist/revisions.ts';
import { gitResolverAt } from '../../git/revisions.ts';
import { addDbOption, addRepoOption, printJson, targetInRepo, terminalSafe, withStore } from '../context.ts';

export function register(program: Command): void {
  addRepoOption(addDbOption(
    program
      .command('changes')
      .description('show the symbols a commit added, modified, deleted or moved')
      .argument('<sha>', 'a revision: sha, HEAD~1, branch, tag (NAME@rev names the repository)')
      .option('--json', 'print JSON'),
  )).action(async (sha: string, opts: { db?: string; repo?: string; json?: boolean }) => {
    await withStore(opts, async (team) => {
      const { store, target, local } = await targetInRepo(team, sha, opts);
      // Any git revision (HEAD~1, main, v1.2^): git in the repository when it is on disk, else stored shas.
      const rev = target.kind === 'commit' ? target.rev : local;
      const result = await commitChanges(store, await resolveRevisionText(store, rev, gitResolverAt));
      if (opts.json) return printJson(result);
      process.stdout.write(`${result.sha}: ${result.symbols.length} symbol changes\n`);
      for (const s of result.symbols) {
        const line = `${s.change.padEnd(9)} ${s.kind.padEnd(11)} agent ${String(s.agentLines).padStart(4)}  human ${String(s.humanLines).padStart(4)}  cx ${String(s.complexity).padStart(3)}  ${symbolLabel({ file: s.file, name: s.name })}`;
        process.stdout.write(`${terminalSafe(line)}\n`);
      }
    }, 'read');
  });
}

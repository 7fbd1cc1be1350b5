/** `grasp symbols <file>`: the symbols of a file at head or at a revision, with their last change. */
import type { Command } from 'commander';
import { listFileSymbols } from '../../analysis/views.ts';
import { addDbOption, addRepoOption, printJson, targetInRepo, terminalSafe, withStore } from '../context.ts';

export function register(program: Command): void {
  addRepoOption(addDbOption(
    program
      .command('symbols')
      .description('list the functions, methods and types of a file, with complexity, hash and last change')
      .argument('<file>', 'path relative to the repository root (NAME:path names the repository)')
      .option('--at <rev>', 'analyze the file as it is at this revision (read from git)')
      .option('--json', 'print a JSON array'),
  )).action(async (file: string, opts: { db?: string; repo?: string; at?: string; json?: boolean }) => {
    await withStore(opts, async (team) => {
      const { store, target } = await targetInRepo(team, file, opts);
      const { symbols, note } = await listFileSymbols(store, target.repo !== null && target.kind === 'file' ? target.file : file, { at: opts.at });
      if (note) process.stderr.write(terminalSafe(`${note}\n`));
      if (opts.json) return printJson(symbols);
      for (const s of symbols) {
        const last = s.lastChange ? `${s.lastChange.sha.slice(0, 10)} ${s.lastChange.kind === 'agent' ? `agent:${s.lastChange.agent ?? '?'}` : s.lastChange.kind}` : '-';
        const line = `${`${s.startLine}-${s.endLine}`.padEnd(10)} ${s.kind.padEnd(11)} ${s.exported ? 'export ' : '       '} cx ${String(s.complexity).padStart(3)}  ${s.hash.slice(0, 10)}  ${last.padEnd(24)} ${s.name}`;
        process.stdout.write(`${terminalSafe(line)}\n`);
      }
    }, 'read');
  });
}

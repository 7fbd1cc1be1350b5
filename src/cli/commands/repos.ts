/** `grasp repos [--json]`: the repositories this database tracks, with their commit counts and heads. */
import type { Command } from 'commander';
import { listRepoListings } from '../../db/repo/repos.ts';
import { colorEnabled, formatTable, type Column } from '../table.ts';
import { addDbOption, printJson, terminalSafe, withStore } from '../context.ts';
import type { RepoListing } from '../../db/repo/repos.ts';

const COLUMNS: Column<RepoListing>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'commits', value: (r) => String(r.commits), align: 'right' },
  { header: 'head', value: (r) => (r.head ?? '(empty)').slice(0, 10) },
  { header: 'path', value: (r) => r.path },
];

export function register(program: Command): void {
  addDbOption(
    program
      .command('repos')
      .description('list the repositories this database tracks: name, path, commits, head')
      .option('--json', 'print a JSON array [{ name, path, commits, head }]'),
  ).action(async (opts: { db?: string; json?: boolean }) => {
    await withStore(
      opts,
      async (store) => {
        const list = await listRepoListings(store);
        if (opts.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('no repository ingested yet: run `grasp ingest <path>`\n');
        process.stdout.write(terminalSafe(formatTable(COLUMNS, list, { color: colorEnabled(process.stdout) })));
      },
      'read',
    );
  });
}

/**
 * `grasp repos [--json]`: the repositories this database tracks, with their commit counts and heads.
 * `grasp repos remove NAME`: deletes a repository's history, symbols and pull requests; never marks.
 */
import type { Command } from 'commander';
import { listRepoListings, removeRepo } from '../../db/repo/repos.ts';
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
  const repos = program.command('repos');
  addDbOption(
    repos
      .command('remove <name>')
      .description("delete a repository's history, symbols and pull requests (marks are kept)")
      .option('--json', 'print what was removed as JSON'),
  ).action(async (name: string, own: { db?: string; json?: boolean }) => {
    // `repos` takes --db and --json too, and commander hands them to the parent: read them from
    // there as well, or `grasp repos remove NAME --db T` would open (and create) the default database.
    const parent = repos.opts() as { db?: string; json?: boolean };
    const opts = { db: own.db ?? parent.db, json: own.json ?? parent.json };
    await withStore(opts, async (store) => {
      const removed = await removeRepo(store, name);
      if (opts.json) return printJson(removed);
      process.stdout.write(terminalSafe(`removed ${removed.name}: ${removed.commits} commits and ${removed.symbols} symbols; marks kept\n`));
    });
  });
  addDbOption(
    repos
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

/** `grasp engineer add|list|alias|unlinked`: the team, their git emails and GitHub logins. */
import type { Command } from 'commander';
import { addAliases, addEngineer, getUnlinkedAuthors, listEngineers } from '../../db/repo/engineers.ts';
import { addDbOption, printJson, terminalSafe, withStore } from '../context.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const out = (line: string) => process.stdout.write(`${terminalSafe(line)}\n`);

export function register(program: Command): void {
  const engineer = program.command('engineer').description('manage engineers and the identities that resolve to them');

  addDbOption(
    engineer
      .command('add <handle>')
      .description('add an engineer')
      .option('--name <name>', 'display name (default: the handle)')
      .option('--email <email>', 'git author email (repeatable)', collect)
      .option('--login <login>', 'GitHub login (repeatable)', collect),
  ).action(async (handle: string, opts: { db?: string; name?: string; email?: string[]; login?: string[] }) => {
    await withStore(opts, async (store) => {
      const e = await addEngineer(store, { handle, name: opts.name, emails: opts.email, logins: opts.login });
      out(`added ${e.handle} (${e.name})${aliasText(e)}`);
    });
  });

  addDbOption(engineer.command('list').description('list engineers and their aliases').option('--json', 'print JSON')).action(
    async (opts: { db?: string; json?: boolean }) => {
      await withStore(opts, async (store) => {
        const list = await listEngineers(store);
        if (opts.json) return printJson(list.map((e) => ({ ...e, createdAt: new Date(e.createdAt * 1000).toISOString() })));
        for (const e of list) out(`${e.handle.padEnd(20)} ${e.name}${aliasText(e)}`);
        if (list.length === 0) out('no engineers yet: grasp engineer add <handle> --email <git email>');
      }, 'read');
    },
  );

  addDbOption(
    engineer
      .command('alias <handle>')
      .description('link more git emails / GitHub logins to an engineer')
      .option('--email <email>', 'git author email (repeatable)', collect)
      .option('--login <login>', 'GitHub login (repeatable)', collect),
  ).action(async (handle: string, opts: { db?: string; email?: string[]; login?: string[] }) => {
    await withStore(opts, async (store) => {
      const e = await addAliases(store, handle, { emails: opts.email, logins: opts.login });
      out(`${e.handle}${aliasText(e)}`);
    });
  });

  addDbOption(
    engineer
      .command('unlinked')
      .description('commit author emails that match no engineer (link them with `grasp engineer alias`)')
      .option('--json', 'print JSON'),
  ).action(async (opts: { db?: string; json?: boolean }) => {
    await withStore(opts, async (store) => {
      const list = await getUnlinkedAuthors(store);
      if (opts.json) return printJson(list.map((a) => ({ ...a, lastCommitAt: new Date(a.lastCommitAt * 1000).toISOString() })));
      for (const a of list) out(`${String(a.commits).padStart(6)}  ${a.email.padEnd(32)} ${a.name}`);
      if (list.length === 0) out('every commit author is linked to an engineer');
    }, 'read');
  });
}

function aliasText(e: { emails: string[]; logins: string[] }): string {
  const parts = [...e.emails, ...e.logins.map((l) => `@${l}`)];
  return parts.length > 0 ? `  <${parts.join(', ')}>` : '';
}

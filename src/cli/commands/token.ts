/** `grasp token create|revoke|list`: API tokens (shown once at creation, stored only hashed). */
import type { Command } from 'commander';
import { GraspError } from '../../core/errors.ts';
import { createToken, listTokens, MAX_TOKEN_DAYS, MIN_TOKEN_DAYS, revokeToken, type TokenInfo } from '../../db/repo/tokens.ts';
import { addDbOption, numberOption, printJson, terminalSafe, withStore } from '../context.ts';

const out = (line: string) => process.stdout.write(`${terminalSafe(line)}\n`);
const date = (sec: number | null) => (sec === null ? '-' : new Date(sec * 1000).toISOString().slice(0, 16).replace('T', ' '));

function describe(t: TokenInfo): string {
  const who = t.admin ? 'admin' : (t.engineer ?? '?');
  return `${String(t.id).padStart(4)}  ${who.padEnd(20)} ${t.status.padEnd(8)} created ${date(t.createdAt)}  expires ${date(t.expiresAt)}`;
}

export function register(program: Command): void {
  const token = program.command('token').description('API tokens for engineers (write their own marks) and admins (manage engineers)');

  addDbOption(
    token
      .command('create [handle]')
      .description("create a token for an engineer, or --admin; the token is printed once, as the last line")
      .option('--admin', 'an admin token (manages engineers) instead of an engineer token')
      .option('--expires <days>', 'expire after this many days (at least 1/24: one hour)', numberOption('--expires', MIN_TOKEN_DAYS, MAX_TOKEN_DAYS)),
  ).action(async (handle: string | undefined, opts: { db?: string; admin?: boolean; expires?: number }) => {
    if (!opts.admin && handle === undefined) throw new GraspError('invalid', 'give an engineer handle, or --admin');
    await withStore(opts, async (store) => {
      const t = await createToken(store, { handle, admin: opts.admin, expiresInDays: opts.expires });
      process.stderr.write(`${terminalSafe(`token ${t.id} for ${t.admin ? 'admin' : t.engineer}${t.expiresAt ? `, expires ${date(t.expiresAt)}` : ''}; store it now, it is not shown again:`)}\n`);
      process.stdout.write(`${t.token}\n`);
    });
  });

  addDbOption(token.command('revoke <id>').description('revoke a token by id (see `grasp token list`)')).action(
    async (id: string, opts: { db?: string }) => {
      if (!/^\d{1,15}$/.test(id)) throw new GraspError('invalid', `token id must be a number, got "${id}"`);
      await withStore(opts, async (store) => out(`revoked: ${describe(await revokeToken(store, Number(id)))}`));
    },
  );

  addDbOption(token.command('list').description('list tokens (never their values)').option('--json', 'print JSON')).action(
    async (opts: { db?: string; json?: boolean }) => {
      await withStore(opts, async (store) => {
        const list = await listTokens(store);
        if (opts.json) return printJson(list);
        for (const t of list) out(describe(t));
        if (list.length === 0) out('no tokens: grasp token create <handle>');
      }, 'read');
    },
  );
}

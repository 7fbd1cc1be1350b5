/** `grasp islands`: code understood by exactly one engineer, and code whose only understanding is stale. */
import type { Command } from 'commander';
import { buildIslandsReport, DEFAULT_HOTSPOT_LIMIT } from '../../report/hotspots-report.ts';
import { limitSchema, parseOption, scopeSchema } from '../../report/options.ts';
import { renderIslands } from '../../report/render.ts';
import { addDbOption, addFormatOptions, addRepoOption, outputFormat, narrowedStore, terminalSafe, withStore } from '../context.ts';

export function register(program: Command): void {
  addFormatOptions(addRepoOption(addDbOption(
    program
      .command('islands')
      .description('knowledge islands: symbols and directories understood by one engineer, or only by stale marks')
      .option('--scope <path>', 'only this file or directory')
      .option('--limit <n>', 'entries per list', String(DEFAULT_HOTSPOT_LIMIT)),
  )), ['md', 'json'], 'md').action(async (opts: { db?: string; repo?: string; scope?: string; format?: string; limit: string; json?: boolean }) => {
    const format = outputFormat(opts, ['md', 'json'] as const, 'md');
    const scope = parseOption(scopeSchema, opts.scope ?? '', 'scope');
    const limit = parseOption(limitSchema, opts.limit, 'limit');
    await withStore(opts, async (team) => {
      const store = await narrowedStore(team, opts, true);
      const { body } = renderIslands(await buildIslandsReport(store, { scope, limit }), format);
      process.stdout.write(format === 'json' ? body : terminalSafe(body));
    }, 'read');
  });
}

/** `grasp hotspots`: agent-written code that keeps changing, is complex and not understood. */
import type { Command } from 'commander';
import { buildHotspotsReport, DEFAULT_HOTSPOT_LIMIT } from '../../report/hotspots-report.ts';
import { limitSchema, parseOption, scopeSchema } from '../../report/options.ts';
import { renderHotspots } from '../../report/render.ts';
import { addDbOption, addFormatOptions, addRepoOption, outputFormat, narrowedStore, terminalSafe, withStore } from '../context.ts';

export function register(program: Command): void {
  addFormatOptions(addRepoOption(addDbOption(
    program
      .command('hotspots')
      .description('ranked symbols, files and directories: change frequency x complexity x agent share x (1 - coverage)')
      .option('--scope <path>', 'only this file or directory')
      .option('--limit <n>', 'entries per list', String(DEFAULT_HOTSPOT_LIMIT)),
  )), ['md', 'json'], 'md').action(async (opts: { db?: string; repo?: string; scope?: string; format?: string; limit: string; json?: boolean }) => {
    const format = outputFormat(opts, ['md', 'json'] as const, 'md');
    const scope = parseOption(scopeSchema, opts.scope ?? '', 'scope');
    const limit = parseOption(limitSchema, opts.limit, 'limit');
    await withStore(opts, async (team) => {
      const store = await narrowedStore(team, opts, true);
      const { body } = renderHotspots(await buildHotspotsReport(store, { scope, limit }), format);
      process.stdout.write(format === 'json' ? body : terminalSafe(body));
    }, 'read');
  });
}

/** `grasp report <handle>`: what agents wrote in the engineer's area that they don't understand yet. */
import type { Command } from 'commander';
import { handleSchema } from '../../db/repo/engineers.ts';
import { buildEngineerReport, DEFAULT_REPORT_LIMIT } from '../../report/engineer-report.ts';
import { limitSchema, parseOption, REPORT_FORMATS, scopeSchema } from '../../report/options.ts';
import { renderEngineerReport } from '../../report/render.ts';
import { addDbOption, addFormatOptions, addRepoOption, outputFormat, narrowedStore, terminalSafe, withStore } from '../context.ts';

export function register(program: Command): void {
  addFormatOptions(addRepoOption(addDbOption(
    program
      .command('report <handle>')
      .description("what agents wrote in an engineer's area that they don't understand yet, ranked")
      .option('--scope <path>', 'only this file or directory')
      .option('--limit <n>', 'number of items', String(DEFAULT_REPORT_LIMIT)),
  )), REPORT_FORMATS, 'md').action(async (handle: string, opts: { db?: string; repo?: string; scope?: string; format?: string; limit: string; json?: boolean }) => {
    const format = outputFormat(opts, REPORT_FORMATS, 'md');
    const scope = parseOption(scopeSchema, opts.scope ?? '', 'scope');
    const limit = parseOption(limitSchema, opts.limit, 'limit');
    const valid = parseOption(handleSchema, handle, 'handle');
    await withStore(opts, async (team) => {
      const store = await narrowedStore(team, opts);
      const report = await buildEngineerReport(store, valid, { scope, limit });
      // md and html escape untrusted text for their renderers, not for terminals; JSON escapes controls itself.
      const { body } = await renderEngineerReport(report, format);
      process.stdout.write(format === 'json' ? body : terminalSafe(body));
    }, 'read');
  });
}

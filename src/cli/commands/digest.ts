/**
 * `grasp digest [--week 2026-W47] [--format md|json|html] [--out FILE]`: the weekly team digest.
 * Fits cron: `grasp digest --format html --out digest.html` every Monday.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GraspError } from '../../core/errors.ts';
import { buildDigest } from '../../digest/build.ts';
import { renderDigestHtml } from '../../digest/html.tsx';
import { renderDigestMarkdown } from '../../digest/markdown.ts';
import { addDbOption, addFormatOptions, addRepoOption, outputFormat, narrowedStore, terminalSafe, withStore } from '../context.ts';

const FORMATS = ['md', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

export function register(program: Command): void {
  addFormatOptions(addRepoOption(addDbOption(
    program
      .command('digest')
      .description('weekly team digest: agent share, debt added and paid, coverage trend, hotspots, islands')
      .option('--week <week>', 'ISO week such as 2026-W47 (default: the current week, UTC)')
      .option('--out <file>', 'write to this file instead of standard output'),
  )), FORMATS, 'md').action(async (opts: { db?: string; repo?: string; week?: string; format?: string; json?: boolean; out?: string }) => {
    const format: Format = outputFormat(opts, FORMATS, 'md');
    const text = await withStore(opts, async (team) => {
      const store = await narrowedStore(team, opts);
      const digest = await buildDigest(store, { week: opts.week });
      if (format === 'json') return `${JSON.stringify(digest, null, 2)}\n`;
      if (format === 'html') return renderDigestHtml(digest);
      return renderDigestMarkdown(digest);
    }, 'read');
    if (opts.out !== undefined) {
      const path = resolve(opts.out);
      try {
        writeFileSync(path, text);
      } catch (err) {
        throw new GraspError('invalid', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
      }
      process.stderr.write(`${terminalSafe(`wrote ${path}`)}\n`);
      return;
    }
    // JSON.stringify already escapes control characters; Markdown and HTML may land on a terminal.
    process.stdout.write(format === 'json' ? text : terminalSafe(text));
  });
}

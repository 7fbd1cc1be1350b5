/** `grasp explain search <words...>`: full-text search over the team's explanations (explained marks' notes). */
import type { Command } from 'commander';
import { GraspError } from '../../core/errors.ts';
import { MAX_SEARCH_RESULTS, searchExplanations } from '../../db/repo/explanations.ts';
import { addDbOption, intOption, printJson, terminalSafe, withStore } from '../context.ts';
import { colorEnabled, formatTable } from '../table.ts';

export function register(program: Command): void {
  const explain = program.command('explain').description("search the team's explanations: the notes of explained marks");
  addDbOption(
    explain
      .command('search <words...>')
      .description('explanations matching all the words (a trailing * searches a prefix), best first')
      .option('--limit <n>', `at most N results (1-${MAX_SEARCH_RESULTS})`, intOption('--limit', 1, MAX_SEARCH_RESULTS))
      .option('--json', 'print JSON'),
  ).action(async (words: string[], opts: { db?: string; limit?: number; json?: boolean }) => {
    const text = words.join(' ');
    if (text.trim() === '') throw new GraspError('invalid', 'give the words to search for');
    await withStore(opts, async (store) => {
      const hits = await searchExplanations(store, text, opts.limit ?? 20);
      const rows = hits.map((h) => ({
        target: h.name ? `${h.file}#${h.name}` : h.file,
        engineer: h.engineer,
        stale: h.stale,
        at: new Date(h.at * 1000).toISOString(),
        note: h.note,
        snippet: h.snippet,
      }));
      if (opts.json) return printJson(rows);
      if (rows.length === 0) {
        process.stdout.write(terminalSafe(`no explanation matches "${text}"\n`));
        return;
      }
      process.stdout.write(
        formatTable(
          [
            { header: 'symbol', value: (r) => r.target, max: 60 },
            { header: 'by', value: (r) => r.engineer },
            { header: 'state', value: (r) => (r.stale ? 'stale' : 'fresh'), color: (r) => (r.stale ? 33 : 32) },
            { header: 'explanation', value: (r) => r.snippet },
          ],
          rows,
          { color: colorEnabled() },
        ),
      );
    }, 'read');
  });
}

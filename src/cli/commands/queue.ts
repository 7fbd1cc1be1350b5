/** `grasp queue [--as H] [--format text|md|json]`: every open agent PR (or unmerged branch), most urgent first, with collisions. */
import type { Command } from 'commander';
import { loadPolicy } from '../../ci/policy-file.ts';
import { loadQueue } from '../../desk/queue-load.ts';
import { unmergedBranches } from '../../git/branches.ts';
import { queueMarkdown } from '../../desk/queue-markdown.ts';
import { addDbOption, addFormatOptions, outputFormat, printJson, terminalSafe, withStore } from '../context.ts';
import { colorEnabled, formatTable } from '../table.ts';

function gateText(p: { gate: string | null; gateFailing: number | null }): string {
  if (p.gate === null) return '-';
  return p.gate === 'fail' && p.gateFailing ? `fail (${p.gateFailing})` : p.gate;
}

export function register(program: Command): void {
  addFormatOptions(addDbOption(
    program
      .command('queue')
      .description('the review queue: every open PR (or unmerged branch) ranked by urgency, with collisions and what is new for you')
      .option('--as <handle>', 'the reader: what is new for them, what awaits them')
      .option('--policy <file>', 'the merge-gate policy (default: .github/grasp.yml of the tracked repository, else the default policy)'),
  ), ['text', 'md', 'json'], 'text').action(async (opts: { db?: string; as?: string; policy?: string; format?: string; json?: boolean }) => {
    const format = outputFormat(opts, ['text', 'md', 'json'] as const, 'text');
    await withStore(opts, async (store) => {
      // An explicit --policy must be readable and valid (one line and exit 2 otherwise); the
      // repository's own file only leaves the gate out, with a warning, so the queue still shows.
      const explicit = opts.policy !== undefined ? loadPolicy({ file: opts.policy, workspace: '.' }) : null;
      const policy = (root: string) => explicit ?? loadPolicy({ workspace: root });
      const queue = await loadQueue(store, { as: opts.as ?? null, branches: unmergedBranches, policy });
      for (const w of queue.warnings) process.stderr.write(terminalSafe(`warning: ${w}\n`));
      if (format === 'json') return printJson({ prs: queue.prs, collisions: queue.collisions, formula: queue.formula, policy: queue.policy });
      if (format === 'md') return void process.stdout.write(terminalSafe(queueMarkdown(queue)));
      if (queue.prs.length === 0) return void process.stdout.write('nothing open: no pull request and no unmerged branch\n');
      process.stdout.write(
        formatTable(
          [
            { header: 'work', value: (p) => (p.number !== null ? `#${p.number}` : (p.branch ?? '')), max: 32 },
            { header: 'agent', value: (p) => p.agent ?? '-' },
            { header: 'urgency', value: (p) => p.urgency, align: 'right' },
            { header: 'debt', value: (p) => p.debt, align: 'right' },
            { header: 'flags', value: (p) => p.flags, align: 'right' },
            { header: 'min', value: (p) => p.effortMinutes, align: 'right' },
            { header: 'gate', value: (p) => gateText(p), color: (p) => (p.gate === 'fail' ? 31 : p.gate === 'pass' ? 32 : null) },
            { header: 'new', value: (p) => p.newForMe.length, align: 'right' },
            { header: 'collides', value: (p) => (p.collisions.length ? `${p.collisions.length} symbol${p.collisions.length === 1 ? '' : 's'}` : '-'), color: (p) => (p.collisions.length ? 33 : null) },
            { header: 'title', value: (p) => p.title },
          ],
          queue.prs,
          { color: colorEnabled() },
        ),
      );
    }, 'read');
  });
}

/** `grasp agents [--since DATE] [--format text|md|json]`: the scorecard per agent (and per top-level directory), with a review depth. */
import type { Command } from 'commander';
import { GraspError } from '../../core/errors.ts';
import { scorecardJson } from '../../desk/agents-json.ts';
import { loadScorecards } from '../../desk/agents-load.ts';
import { addDbOption, addFormatOptions, outputFormat, printJson, terminalSafe, withStore } from '../context.ts';
import { colorEnabled, formatTable } from '../table.ts';

const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 1000) / 10}%`);

export function parseSince(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/.test(value.trim())) throw new GraspError('invalid', `--since must be a date like 2026-09-01, got "${value}"`);
  const ms = Date.parse(value.trim());
  if (!Number.isFinite(ms)) throw new GraspError('invalid', `--since: "${value}" is not a date`);
  return Math.floor(ms / 1000);
}

export function register(program: Command): void {
  addFormatOptions(addDbOption(
    program
      .command('agents')
      .description('agent scorecard: lines, share, churn, reverts, coverage, rubber stamps, flags, and a suggested review depth')
      .option('--since <date>', 'only commits since this date (YYYY-MM-DD)'),
  ), ['text', 'md', 'json'], 'text').action(async (opts: { db?: string; since?: string; format?: string; json?: boolean }) => {
    const format = outputFormat(opts, ['text', 'md', 'json'] as const, 'text');
    const since = parseSince(opts.since);
    await withStore(opts, async (store) => {
      const cards = await loadScorecards(store, { since });
      const json = scorecardJson(cards);
      if (format === 'json') return printJson(json);
      if (json.length === 0) return void process.stdout.write('no agent-written commits in the database\n');
      if (format === 'md') {
        const rows = json.map((a) => `| ${a.agent} | ${a.commits} | ${a.agentLines} | ${pct(a.share)} | ${pct(a.churn14d)} | ${pct(a.churn30d)} | ${a.reverts} | ${pct(a.coverage)} | ${a.rubberStamps} | ${a.flagsPer100Lines?.toFixed(1) ?? '-'} | **${a.depth}**: ${a.reasons.join('; ')} |`);
        process.stdout.write(terminalSafe(['| agent | commits | lines | share | churn 14d | churn 30d | reverts | coverage | rubber stamps | flags/100 | depth |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |', ...rows, ''].join('\n')));
        return;
      }
      const depthColor = (d: string) => (d === 'deep' ? 31 : d === 'light' ? 32 : null);
      const rows = json.flatMap((a) => [{ ...a, label: a.agent }, ...a.areas.map((x) => ({ ...x, label: `  ${a.agent} · ${x.area}/` }))]);
      process.stdout.write(
        formatTable(
          [
            { header: 'agent', value: (r) => r.label, max: 40 },
            { header: 'commits', value: (r) => r.commits, align: 'right' },
            { header: 'lines', value: (r) => r.agentLines, align: 'right' },
            { header: 'share', value: (r) => pct(r.share), align: 'right' },
            { header: 'churn14', value: (r) => pct(r.churn14d), align: 'right' },
            { header: 'churn30', value: (r) => pct(r.churn30d), align: 'right' },
            { header: 'reverts', value: (r) => r.reverts, align: 'right' },
            { header: 'coverage', value: (r) => pct(r.coverage), align: 'right' },
            { header: 'depth', value: (r) => r.depth, color: (r) => depthColor(r.depth) },
            { header: 'why', value: (r) => r.reasons.join('; ') },
          ],
          rows,
          { color: colorEnabled() },
        ),
      );
    }, 'read');
  });
}

import type { Command } from 'commander';
import { escapeMarkdown } from '../../checklist/markdown.ts';
import { listCommits } from '../../db/repo/commits.ts';
import { colorEnabled, formatTable, type Column } from '../table.ts';
import { addDbOption, addFormatOptions, addRepoOption, intOption, outputFormat, printJson, repoStoreFor, terminalSafe, withStore } from '../context.ts';

export interface CommitJson {
  sha: string;
  author: string;
  email: string;
  date: string;
  kind: 'agent' | 'human' | 'bot';
  agent: string | null;
  confidence: number;
  evidence: { signal: string; detail: string }[];
  pr: number | null;
}

const who = (c: CommitJson) => (c.kind === 'agent' ? `agent:${c.agent}` : c.kind);
const why = (c: CommitJson) => c.evidence.map((e) => `${e.signal}=${e.detail}`).join('; ');

const COLUMNS: Column<CommitJson>[] = [
  { header: 'commit', value: (c) => c.sha.slice(0, 10) },
  { header: 'date', value: (c) => c.date.slice(0, 10) },
  { header: 'who', value: who, max: 20, color: (c) => (c.kind === 'agent' ? 33 : c.kind === 'bot' ? 36 : null) },
  { header: 'conf', value: (c) => c.confidence.toFixed(2), align: 'right' },
  { header: 'author', value: (c) => c.author, max: 24 },
  { header: 'evidence', value: why },
];

function commitsMarkdown(list: CommitJson[]): string {
  const rows = list.map((c) => `| \`${c.sha.slice(0, 10)}\` | ${c.date.slice(0, 10)} | ${escapeMarkdown(who(c))} | ${c.confidence.toFixed(2)} | ${escapeMarkdown(c.author)} | ${escapeMarkdown(why(c))} |`);
  return ['| commit | date | who | conf | author | evidence |', '| --- | --- | --- | ---: | --- | --- |', ...rows, ''].join('\n');
}

export function register(program: Command): void {
  addFormatOptions(addRepoOption(addDbOption(
    program
      .command('commits')
      .description('list ingested commits, newest first, with who wrote them and why grasp thinks so')
      .option('--agent', 'only agent-authored commits')
      .option('--limit <n>', 'at most N commits', intOption('--limit')),
  )), ['text', 'md', 'json'], 'text').action(async (opts: { db?: string; repo?: string; agent?: boolean; limit?: number; json?: boolean; format?: string }) => {
    const format = outputFormat(opts, ['text', 'md', 'json'] as const, 'text');
    await withStore(opts, async (team) => {
      const store = await repoStoreFor(team, opts);
      const rows = await listCommits(store, { agentOnly: opts.agent, limit: opts.limit });
      const list: CommitJson[] = rows.map((c) => ({
        sha: c.sha,
        author: c.authorName,
        email: c.authorEmail,
        date: new Date(c.authorDate * 1000).toISOString(),
        kind: c.kind,
        agent: c.agent,
        confidence: Math.round(c.confidence * 1000) / 1000,
        evidence: JSON.parse(c.evidence) as CommitJson['evidence'],
        pr: c.prNumber,
      }));
      if (format === 'json') return printJson(list);
      if (list.length > 0) process.stdout.write(format === 'md' ? terminalSafe(commitsMarkdown(list)) : formatTable(COLUMNS, list, { color: colorEnabled() }));
      if (list.length === 0) process.stdout.write('no commits ingested yet: run `grasp ingest <repo-path>`\n');
    }, 'read');
  });
}

import type { Command } from 'commander';
import { listCommits } from '../../db/repo/commits.ts';
import { addDbOption, intOption, printJson, terminalSafe, withStore } from '../context.ts';

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

export function register(program: Command): void {
  addDbOption(
    program
      .command('commits')
      .description('list ingested commits, newest first, with who wrote them and why grasp thinks so')
      .option('--agent', 'only agent-authored commits')
      .option('--limit <n>', 'at most N commits', intOption('--limit'))
      .option('--json', 'print a JSON array'),
  ).action(async (opts: { db?: string; agent?: boolean; limit?: number; json?: boolean }) => {
    await withStore(opts, async (store) => {
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
      if (opts.json) return printJson(list);
      for (const c of list) {
        const who = c.kind === 'agent' ? `agent:${c.agent}` : c.kind;
        const why = c.evidence.map((e) => `${e.signal}=${e.detail}`).join('; ');
        const line = `${c.sha.slice(0, 10)}  ${c.date.slice(0, 10)}  ${who.padEnd(16)} ${c.confidence.toFixed(2)}  ${c.author.slice(0, 24).padEnd(24)} ${why}`;
        process.stdout.write(`${terminalSafe(line)}\n`);
      }
      if (list.length === 0) process.stdout.write('no commits ingested yet: run `grasp ingest <repo-path>`\n');
    }, 'read');
  });
}

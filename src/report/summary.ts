/**
 * The first-run summary `npm start` ends with: who wrote the code (agent share by agent), how much
 * of it the team understands, the debt as reading time, the five things to read first, and what to
 * run next.
 */
import { coverage, deriveUnderstanding, totalDebt } from '../core/debt.ts';
import { debtMinutes, readingTime } from '../core/reading-time.ts';
import { loadAliveSymbols, loadEngineerDirectory, loadFreshMarkStates } from '../db/repo/report.ts';
import { countLinesByAgent } from '../db/repo/summary.ts';
import type { Store } from '../db/store.ts';
import { buildHotspotsReport } from './hotspots-report.ts';
import { round } from './options.ts';

export interface Summary {
  commits: number;
  agentShare: number;
  byAgent: { agent: string; commits: number; lines: number; share: number }[];
  engineers: number;
  coverage: number;
  debt: number;
  debtMinutes: number;
  debtReadingTime: string;
  readFirst: { target: string; kind: string; score: number; agentShare: number }[];
  next: string[];
}

export async function buildSummary(store: Store, opts: { now?: number } = {}): Promise<Summary> {
  const [counts, current, people] = await Promise.all([countLinesByAgent(store), loadAliveSymbols(store), loadEngineerDirectory(store)]);
  const understanding = deriveUnderstanding(current, await loadFreshMarkStates(store, current), people.emailOwner);
  const allLines = counts.reduce((n, c) => n + c.agentLines + c.humanLines, 0);
  const byAgent = counts
    .filter((c): c is typeof c & { agent: string } => c.agent !== null)
    .map((c) => ({ agent: c.agent, commits: c.commits, lines: c.agentLines, share: allLines === 0 ? 0 : round(c.agentLines / allLines, 4) }))
    .sort((a, b) => b.lines - a.lines || a.agent.localeCompare(b.agent));
  const debt = totalDebt(current, understanding);
  const hotspots = await buildHotspotsReport(store, { now: opts.now, limit: 5 });
  const engineers = people.byId.size;
  const next = [
    'grasp commits --agent            # which commits agents wrote, and the evidence',
    engineers === 0 ? 'grasp engineer add <handle> --name "..." --email you@example.com' : 'grasp report <handle>            # what you don\'t understand yet, ranked',
    'grasp mark <path#Symbol> --as <handle> --level reviewed',
    'grasp serve                      # the pages and the API on http://127.0.0.1:8787',
  ];
  return {
    commits: counts.reduce((n, c) => n + c.commits, 0),
    agentShare: allLines === 0 ? 0 : round(byAgent.reduce((n, a) => n + a.lines, 0) / allLines, 4),
    byAgent,
    engineers,
    coverage: round(coverage(current, understanding).ratio, 4),
    debt: round(debt, 1),
    debtMinutes: Math.round(debtMinutes(debt)),
    debtReadingTime: readingTime(debt),
    readFirst: hotspots.symbols.map((s) => ({ target: `${s.file}#${s.symbol}`, kind: s.kind, score: s.score, agentShare: s.agentShare })),
    next,
  };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function formatSummary(s: Summary): string {
  const lines: string[] = [];
  lines.push(`${s.commits} commits; agents wrote ${pct(s.agentShare)} of the analyzed added lines.`);
  for (const a of s.byAgent) lines.push(`  ${a.agent.padEnd(12)} ${String(a.commits).padStart(6)} commits  ${String(a.lines).padStart(8)} lines  ${pct(a.share)}`);
  lines.push(`Team coverage of agent-written code: ${pct(s.coverage)} (${s.engineers} engineer${s.engineers === 1 ? '' : 's'} known).`);
  lines.push(
    s.debt === 0
      ? 'Comprehension debt: none (every agent-written symbol is understood by someone).'
      : `Comprehension debt: ${s.debt} (${s.debtReadingTime} of careful reading nobody on the team has done).`,
  );
  if (s.readFirst.length > 0) {
    lines.push('Read first:');
    s.readFirst.forEach((r, i) => lines.push(`  ${i + 1}. ${r.target}  (${r.kind}, hotspot ${r.score})`));
  }
  lines.push('Next:');
  for (const n of s.next) lines.push(`  ${n}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The digest as Markdown (for a chat message, an email, a wiki page). Everything that came from
 * commits or people (symbol names, paths, emails, PR titles) is escaped so it renders as text.
 */
import type { Digest, DigestIsland, RepoFigures } from './types.ts';

/** Escapes Markdown syntax and inline HTML in untrusted text; newlines become spaces. */
export function mdText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`);
}

/** Code span for a symbol or path; backticks inside cannot end it early. */
export function mdCode(text: string): string {
  const clean = text.replace(/[\r\n\t]+/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** "1 symbol", "2 symbols". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const percent = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${Math.round(x * 1000) / 10}%`);

/** "+3.2" / "-1" / "±0": the change from last week. */
export function delta(value: number, previous: number, asPercent = false): string {
  const d = value - previous;
  const shown = asPercent ? `${Math.round(Math.abs(d) * 1000) / 10} pts` : `${Math.round(Math.abs(d) * 10) / 10}`;
  return d > 0 ? `+${shown}` : d < 0 ? `-${shown}` : `±0`;
}

const symbolRef = (file: string, symbol: string): string => mdCode(symbol === '' ? file : `${file}#${symbol}`);

/** "1a2b3c4d by Claude (agent claude)": the commit that made a mark stale. */
function staleBy(c: Digest['staleUnderstanding'][number]['items'][number]['commit']): string {
  return `${mdCode(c.sha.slice(0, 8))} by ${mdText(c.author)}${c.agent ? ` (agent ${mdText(c.agent)})` : ''}, ${c.at.slice(0, 10)}`;
}

function islandLine(i: DigestIsland): string {
  if (i.scope === 'directory') {
    return `- directory ${mdCode(i.directory)}: only ${mdText(i.engineer)} understands any of it (${i.understoodSymbols}/${i.symbols} symbols, weight ${i.weight})`;
  }
  return `- ${symbolRef(i.file, i.symbol)}: only ${mdText(i.engineer)}${i.byAuthorship ? ' (as its author)' : ''} (weight ${i.weight})`;
}

/** "60% (30/50)": a share with the counts it is taken from. */
const shareOf = (s: { share: number | null; agent: number; total: number }): string => `${percent(s.share)} (${s.agent}/${s.total})`;

/** One row per repository and the team's total row. */
function repoTable(d: Digest): string[] {
  const row = (name: string, r: RepoFigures) => {
    const top = r.topItems[0];
    return `| ${name} | ${r.commits} | ${shareOf(r.agentShare.lines)} | ${shareOf(r.agentShare.commits)} | ${percent(r.coverage.value)} (${r.coverage.understoodWeight}/${r.coverage.weight}) | ${r.debt} | ${r.debtAdded.value} | ${top ? `${symbolRef(top.file, top.symbol)} ${top.debt}` : '–'} |`;
  };
  return [
    '## Repositories',
    '',
    '| Repository | Commits | Agent share of lines | Agent share of commits | Coverage (understood/weight) | Debt | New debt | Top item |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...d.repos.map((r) => row(mdText(r.name), r)),
    row('**Total**', d.totals),
  ];
}

export function renderDigestMarkdown(d: Digest): string {
  const out: string[] = [];
  const { lines, commits, byAgent } = d.agentShare;
  out.push(`# grasp digest ${d.week}`, '', `Compared with ${d.previousWeek}.`, '');
  out.push('## Summary', '');
  out.push(`- Team coverage: **${percent(d.coverage.value)}** (${delta(d.coverage.value, d.coverage.previous, true)})`);
  out.push(`- Agent share of changed lines: **${percent(lines.share)}** (${lines.agent}/${lines.total}; last week ${percent(lines.previousShare)})`);
  out.push(`- Agent share of commits: **${percent(commits.share)}** (${commits.agent}/${commits.total}; last week ${percent(commits.previousShare)})`);
  out.push(`- Debt added: **${d.debtAdded.value}** in ${plural(d.debtAdded.symbols, 'symbol')} (last week ${d.debtAdded.previous})`);
  out.push(`- Debt paid: **${d.debtPaid.value}** in ${plural(d.debtPaid.symbols, 'symbol')} (last week ${d.debtPaid.previous})`);
  out.push('');
  if (d.repos.length > 0) out.push(...repoTable(d), '');

  out.push('## Coverage trend', '', '| Week | Coverage |', '| --- | --- |');
  for (const t of d.coverageTrend) out.push(`| ${t.week} | ${percent(t.coverage)} |`);
  out.push('');

  if (byAgent.length > 0) {
    out.push('## Agents', '', '| Agent | Lines | Commits | Last week lines | Last week commits |', '| --- | --- | --- | --- | --- |');
    for (const a of byAgent) out.push(`| ${mdText(a.agent)} | ${a.lines} | ${a.commits} | ${a.previousLines} | ${a.previousCommits} |`);
    out.push('');
  }

  if (d.agentScorecard.length > 0) {
    out.push('## Review depth per agent (last 90 days)', '', '| Agent | Commits | Lines | Churn 30 d | Reverts | Coverage | Depth | Why |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const a of d.agentScorecard) {
      const p = (x: number | null) => (x === null ? '–' : percent(x));
      out.push(`| ${mdText(a.agent)} | ${a.commits} | ${a.agentLines} | ${p(a.churn30d)} | ${a.reverts} | ${p(a.coverage)} | **${a.depth}** | ${a.reasons.map(mdText).join('; ')} |`);
    }
    out.push('');
  }

  for (const [title, f] of [['Debt added', d.debtAdded], ['Debt paid', d.debtPaid]] as const) {
    if (f.items.length === 0) continue;
    out.push(`## ${title}`, '');
    for (const i of f.items) out.push(`- ${symbolRef(i.file, i.symbol)} (${mdText(i.kind)}): ${i.debt}${i.by?.length ? ` — by ${i.by.map(mdText).join(', ')}` : ''}`);
    out.push('');
  }

  out.push('## Top hotspots', '');
  if (d.hotspots.length === 0) out.push('None.');
  for (const [n, h] of d.hotspots.entries()) {
    out.push(`${n + 1}. ${symbolRef(h.file, h.symbol)} lines ${h.startLine}-${h.endLine}: score ${h.score} (changes ${h.frequency}, complexity ${h.complexity}, agent share ${percent(h.agentShare)})`);
  }
  out.push('');

  out.push('## New knowledge islands', '');
  if (d.islands.length === 0) out.push('None.');
  for (const i of d.islands) out.push(islandLine(i));
  out.push('');

  if (d.staleAreas.length > 0) {
    out.push('## Most stale areas', '');
    for (const a of d.staleAreas) out.push(`- ${mdCode(a.directory)}: ${plural(a.symbols, 'symbol')}, weight ${a.weight}; understood before by ${a.engineers.map(mdText).join(', ')}`);
    out.push('');
  }

  out.push('## Understanding that went stale', '');
  if (d.staleUnderstanding.length === 0) out.push('None this week.');
  for (const e of d.staleUnderstanding) {
    out.push(`- ${mdText(e.engineer)}: ${plural(e.count, 'mark')}`);
    for (const i of e.items) out.push(`  - ${symbolRef(i.file, i.symbol)} (${i.level}) changed by ${staleBy(i.commit)}`);
    if (e.count > e.items.length) out.push(`  - … and ${e.count - e.items.length} more`);
  }
  out.push('');

  if (d.rubberStamps.length > 0) {
    out.push('## Rubber-stamp reviews', '');
    for (const r of d.rubberStamps) out.push(`- PR #${r.pr} ${mdText(r.title)}: approved by ${mdText(r.reviewer ?? 'unknown')} — ${mdText(r.reason ?? '')}`);
    out.push('');
  }

  out.push('## Engineers', '', '| Engineer | Marks (viewed/reviewed/explained) | Last week | Coverage | Stale marks |', '| --- | --- | --- | --- | --- |');
  for (const e of d.engineers) {
    out.push(
      `| ${mdText(e.handle)} | ${e.marks.total} (${e.marks.viewed}/${e.marks.reviewed}/${e.marks.explained}) | ${e.previousMarks} | ${percent(e.coverage)} (${delta(e.coverage, e.previousCoverage, true)}) | ${e.staleMarks} |`,
    );
  }
  out.push('');

  if (d.unlinkedAuthors.length > 0) {
    out.push('## Unlinked author identities', '', 'Link them with `grasp engineer alias <handle> --email <address>`.', '');
    for (const u of d.unlinkedAuthors) out.push(`- ${mdText(u.name)} ${mdCode(u.email)}: ${plural(u.commits, 'commit')}, last ${u.lastCommitAt.slice(0, 10)}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

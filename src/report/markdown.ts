/**
 * Markdown renderings of the report, hotspots and islands. Everything that came from commits
 * (names, paths, messages, code, logins) is untrusted: inline text is escaped so it can neither
 * format, link, nor inject HTML; code goes in fences longer than any backtick run inside it.
 */
import type { EngineerReport } from './engineer-report.ts';
import type { HotspotsReport, IslandsReport } from './hotspots-report.ts';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Untrusted text as inline Markdown: one line, HTML as entities, inline-significant punctuation
 * escaped. Callers never put it at the start of a line (block syntax such as `#`, `-`, `1.` needs that).
 */
export function mdText(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/\s*[\r\n\t]+\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`);
}

/** Untrusted text as a fenced code block whose fence cannot be closed from inside. */
export function mdFence(text: string, info = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.replace(CONTROL, '').replace(/\n$/, '')}\n${fence}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const list = (xs: readonly string[]) => (xs.length === 0 ? 'nobody' : xs.map(mdText).join(', '));

export function engineerReportMarkdown(r: EngineerReport): string {
  const out: string[] = [];
  out.push(`# What ${mdText(r.engineer)} doesn't understand yet${r.scope ? ` in ${mdText(r.scope)}` : ''}`, '');
  out.push(`Generated ${r.generatedAt}. Your area: ${r.area === 'activity' ? 'code you changed, committed, review or marked recently' : 'the whole repository (no recent activity found)'}.`, '');
  out.push(`- My coverage: **${pct(r.summary.myCoverage)}**`);
  out.push(`- Team coverage: **${pct(r.summary.teamCoverage)}**`);
  out.push(`- Debt in my area: **${num(r.summary.debt)}**`);
  out.push(`- Stale marks: **${r.summary.staleMarks}**`, '');
  if (r.items.length === 0) out.push('Nothing to read: you understand every agent-written symbol here.', '');
  r.items.forEach((item, i) => {
    out.push(`## ${i + 1}. ${mdText(item.symbol)} (${mdText(item.kind)})${item.stale ? ' — stale' : ''}`, '');
    out.push(`${mdText(item.file)} lines ${item.startLine}–${item.endLine} · score ${num(item.score)} · debt ${num(item.debt)}`, '');
    for (const reason of item.reasons) out.push(`- ${mdText(reason)}`);
    out.push(`- understood by: ${list(item.understoodBy)}${item.understoodBy.length > 0 ? ' (ask them)' : ''}`);
    if (item.viewedBy.length > 0) out.push(`- viewed (not counted) by: ${list(item.viewedBy)}`);
    out.push('');
    if (item.diff) out.push(mdFence(item.diff, 'diff'), '');
    if (item.explanation) {
      const e = item.explanation;
      out.push(`Explained by ${mdText(e.by)} on ${e.at.slice(0, 10)}${e.stale ? ' (stale: written for an earlier version)' : ''}:`, '');
      out.push(...e.note.split('\n').map((l) => `> ${mdText(l)}`), '');
      if (e.diff) out.push('What changed since it was written:', '', mdFence(e.diff, 'diff'), '');
    }
  });
  if (r.staleUnderstanding.length > 0) {
    out.push('## Your understanding went stale', '');
    for (const s of r.staleUnderstanding) {
      const by = s.commit ? ` — changed in ${s.commit.sha.slice(0, 10)} by ${mdText(s.commit.agent ? `${s.commit.agent} (agent)` : s.commit.author)} on ${s.commit.at.slice(0, 10)}` : '';
      out.push(`- ${mdText(s.target)}: you ${s.level} it on ${s.markedAt.slice(0, 10)}${by}`);
    }
    out.push('');
  }
  if (r.rubberStamps.length > 0) {
    out.push('## Rubber-stamp approvals touching your area', '');
    for (const s of r.rubberStamps) {
      const who = s.reviewer ? `@${mdText(s.reviewer)}` : 'someone';
      out.push(`- PR \\#${s.number} ${mdText(s.title)}: approved by ${who}${s.submittedAt ? ` on ${s.submittedAt.slice(0, 10)}` : ''}${s.reason ? ` — ${mdText(s.reason)}` : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}

const row = (cells: (string | number)[]) => `| ${cells.map((c) => (typeof c === 'number' ? num(c) : c)).join(' | ')} |`;

export function hotspotsMarkdown(r: HotspotsReport): string {
  const out: string[] = [];
  out.push(`# Hotspots${r.scope ? ` in ${mdText(r.scope)}` : ''}`, '');
  out.push(`score = frequency (changes, half-life ${r.halfLifeDays} days, last ${r.windowDays} days) × complexity × agent share × (1 − coverage). Generated ${r.generatedAt}.`, '');
  const header = ['score', 'frequency', 'complexity', 'agent share', 'coverage'];
  const cells = (x: { score: number; frequency: number; complexity: number; agentShare: number; coverage: number }) => [x.score, x.frequency, x.complexity, pct(x.agentShare), pct(x.coverage)];
  if (r.symbols.length === 0) {
    out.push('No hotspots: nothing agent-written and not understood changed in the window.');
    return `${out.join('\n')}\n`;
  }
  out.push('## Symbols', '', row(['symbol', 'file', ...header]), row(Array(7).fill('---')));
  for (const s of r.symbols) out.push(row([mdText(s.symbol), `${mdText(s.file)}:${s.startLine}`, ...cells(s)]));
  out.push('', '## Files', '', row(['file', 'symbols', ...header]), row(Array(7).fill('---')));
  for (const f of r.files) out.push(row([mdText(f.file), f.symbols, ...cells(f)]));
  out.push('', '## Directories', '', row(['directory', 'symbols', ...header]), row(Array(7).fill('---')));
  for (const d of r.directories) out.push(row([mdText(d.directory), d.symbols, ...cells(d)]));
  return `${out.join('\n')}\n`;
}

/** A table, or "None." when there are no rows (an empty table renders as a lone header). */
function table(header: string[], rows: (string | number)[][]): string[] {
  if (rows.length === 0) return ['None.'];
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

export function islandsMarkdown(r: IslandsReport): string {
  const out: string[] = [];
  out.push(`# Knowledge islands${r.scope ? ` in ${mdText(r.scope)}` : ''}`, '');
  out.push('Code whose understanding rests on one engineer, and code whose only understanding is stale.', '');
  out.push('## Symbols understood by one engineer', '');
  out.push(...table(['symbol', 'file', 'engineer', 'weight'], r.symbols.map((s) => [mdText(s.symbol), `${mdText(s.file)}:${s.startLine}`, `${mdText(s.engineer)}${s.byAuthorship ? ' (author)' : ''}`, s.weight])));
  out.push('', '## Directories understood by one engineer', '');
  out.push(...table(['directory', 'engineer', 'understood symbols', 'weight'], r.directories.map((d) => [mdText(d.directory), mdText(d.engineer), `${d.understoodSymbols}/${d.symbols}`, d.weight])));
  out.push('', '## Only stale understanding', '');
  out.push(
    ...table(['symbol or directory', 'understood earlier by', 'weight'], [
      ...r.staleOnly.map((s) => [`${mdText(s.file)}\\#${mdText(s.symbol)}`, s.staleBy.map(mdText).join(', '), s.weight]),
      ...r.staleOnlyDirectories.map((d) => [`${mdText(d.directory)}/`, d.staleBy.map(mdText).join(', '), d.weight]),
    ]),
  );
  return `${out.join('\n')}\n`;
}

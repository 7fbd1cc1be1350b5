/** The review queue as Markdown (CLI `--format md`, and what a chat message or issue can take). */
import { escapeMarkdown } from '../checklist/markdown.ts';
import type { Queue, QueueEntry } from './queue.ts';

function gateCell(p: QueueEntry): string {
  if (p.gate === null) return '—';
  return p.gate === 'fail' ? `fail (${p.gateFailing} unmarked)` : 'pass';
}

export function queueMarkdown(q: Queue & { policy?: string | null }): string {
  const out: string[] = [`## Review queue${q.as ? ` for ${escapeMarkdown(q.as)}` : ''}`, ''];
  if (q.prs.length === 0) return `${out.join('\n')}Nothing open: no pull request and no unmerged branch.\n`;
  out.push('| # | work | agent | urgency | debt | flags | minutes | gate | new for me | collides with |', '| ---: | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |');
  q.prs.forEach((p, i) => {
    const work = p.number !== null ? `#${p.number} ${escapeMarkdown(p.title)}` : `\`${escapeMarkdown(p.branch ?? '')}\``;
    const others = new Set(p.collisions.flatMap((c) => [...c.prs.filter((n) => n !== p.number).map((n) => `#${n}`), ...c.branches.filter((b) => b !== p.branch)]));
    out.push(`| ${i + 1} | ${work} | ${escapeMarkdown(p.agent ?? '—')} | ${p.urgency} | ${p.debt} | ${p.flags} | ${p.effortMinutes} | ${gateCell(p)} | ${p.newForMe.length} | ${escapeMarkdown([...others].join(', ') || '—')} |`);
  });
  if (q.collisions.length > 0) {
    out.push('', '### Collisions: the same symbol changed by two pieces of work', '');
    for (const c of q.collisions) {
      const who = [...c.prs.map((n) => `#${n}`), ...c.branches].join(', ');
      out.push(`- \`${escapeMarkdown(`${c.file}#${c.symbol}`)}\`: ${escapeMarkdown(who)}${c.agents.length ? ` (${escapeMarkdown(c.agents.join(', '))})` : ''}`);
    }
  }
  out.push('', `Urgency: ${q.formula}.${q.policy ? ` Gate: ${escapeMarkdown(q.policy)}.` : ''}`, '');
  return out.join('\n');
}

/**
 * The checklist as one GitHub comment: starts with the hidden marker that lets one comment be
 * updated on every push, a header with effort and counts, a tick box per item in reading order.
 *
 * Everything that comes from commits (names, paths, messages, code) is untrusted: plain text is
 * HTML-escaped and Markdown-escaped, code goes in spans/fences longer than any backtick run in it,
 * control characters are dropped, `@` can't mention anyone, and `<!--` is defused everywhere, so
 * no commit can forge the marker, open a comment that hides the rest, or inject HTML.
 */
import type { Checklist, ChecklistItem, Flag } from './types.ts';

export const CHECKLIST_MARKER = '<!-- grasp:checklist -->';
/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;
const MAX_DIFF_LINES = 60;
const MAX_COMMITS_LISTED = 50;
const ZWSP = '\u200b';

// eslint-disable-next-line no-control-regex
const CONTROL = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Drops terminal escapes, control and bidi-override characters; keeps \n and \t. */
function dropControls(text: string): string {
  return text.replace(CONTROL, '');
}

/** `<!--` can never appear in output we did not write ourselves. */
export function defuseComments(text: string): string {
  return text.replace(/<!--/g, `<${ZWSP}!--`);
}

/** Untrusted text as inline Markdown: one line, no HTML, no Markdown syntax, no mentions. */
export function escapeMarkdown(text: string): string {
  return dropControls(text)
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Text never starts a line here, so only inline syntax needs escaping ([ ] stop links and images).
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`);
}

/** Untrusted text as an inline code span (fence longer than any backtick run inside). */
export function codeSpan(text: string): string {
  const clean = defuseComments(dropControls(text).replace(/\s+/g, ' '));
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Untrusted multi-line text as a fenced block, every line indented by `indent`. */
function codeBlock(text: string, lang: string, indent: string): string {
  const lines = defuseComments(dropControls(text)).replace(/\n$/, '').split('\n');
  const shown = lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines`] : lines;
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...shown, fence].map((l) => `${indent}${l}`).join('\n');
}

/** Flag messages are ours but quote code: split on backticks we wrote and escape the rest. */
function flagText(flag: Flag): string {
  const parts = flag.message.split(/(`[^`]*`)/g);
  const message = parts.map((p) => (p.startsWith('`') && p.endsWith('`') && p.length >= 2 ? codeSpan(p.slice(1, -1)) : escapeMarkdown(p))).join('');
  return `⚠️ **${flag.code}**${flag.line !== null ? ` (line ${flag.line})` : ''}: ${message}`;
}

function location(item: ChecklistItem): string {
  return codeSpan(item.line !== null ? `${item.file}:${item.line}` : item.file);
}

function itemTitle(item: ChecklistItem): string {
  const what = item.symbol === '' ? location(item) : `${codeSpan(item.symbol)} · ${location(item)}`;
  const moved = item.oldFile || item.oldSymbol ? ` from ${codeSpan(`${item.oldFile ?? item.file}${item.oldSymbol ? `#${item.oldSymbol}` : ''}`)}` : '';
  const lines: string[] = [];
  if (item.agentLines > 0) lines.push(`${item.agentLines} agent`);
  if (item.humanLines > 0) lines.push(`${item.humanLines} human`);
  const facts = [
    `${escapeMarkdown(item.kind)}, ${item.change}${moved}`,
    item.changedLines > 0 ? plural(item.changedLines, 'changed line') : null,
    lines.length > 0 ? `${lines.join(' / ')} lines added` : null,
    item.complexity !== null && item.complexity > 1 ? `complexity ${item.complexity}` : null,
    item.category !== 'production' && item.category !== 'manifest' ? `${item.category}, not counted` : item.minutes > 0 ? `~${Math.round(item.minutes * 10) / 10} min` : null,
    item.note ? escapeMarkdown(item.note) : null,
  ].filter(Boolean);
  return `**${item.order}.** ${what} — ${facts.join(' · ')}`;
}

function itemBlock(item: ChecklistItem): string {
  const out = [`- [ ] ${itemTitle(item)}`];
  for (const flag of item.flags) out.push(`  - ${flagText(flag)}`);
  if (item.explanation) {
    const e = item.explanation;
    const when = e.at.slice(0, 10);
    out.push(`  <details><summary>Explained by ${escapeMarkdown(e.by)} (${when})${e.stale ? ' — stale: written for an earlier version' : ''}</summary>`, '');
    out.push(...e.note.split('\n').map((l) => `  > ${escapeMarkdown(l)}`));
    if (e.diff) out.push('', '  What changed since it was written:', '', codeBlock(e.diff.split('\n').slice(2).join('\n'), 'diff', '  '));
    out.push('', '  </details>');
  }
  if (item.staleSince?.diff) {
    out.push(`  <details><summary>What changed since your ${escapeMarkdown(item.staleSince.level)} mark (${item.staleSince.at.slice(0, 10)})</summary>`, '');
    out.push(codeBlock(item.staleSince.diff.split('\n').slice(2).join('\n'), 'diff', '  '));
    out.push('', '  </details>');
  }
  return out.join('\n');
}

const HEADINGS: Record<string, string> = {
  contract: '### Contracts first',
  implementation: '### Implementations (callee before caller)',
  caller: '### Called by, outside this change (read for impact)',
  reference: '### References the changed types',
  test: '### Tests',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatChecklistMarkdown(checklist: Checklist, opts: { maxChars?: number } = {}): string {
  const max = opts.maxChars ?? MAX_COMMENT_CHARS;
  const { counts } = checklist;
  const range = codeSpan(`${checklist.base.slice(0, 7)}..${checklist.head.slice(0, 7)}`);
  const open = checklist.items.filter((i) => !i.alreadyReviewed);
  const reviewed = checklist.items.filter((i) => i.alreadyReviewed);
  const head: string[] = [
    CHECKLIST_MARKER,
    `## grasp review checklist · ${range}`,
    '',
    [
      `**~${plural(checklist.effortMinutes, 'minute')}** of review`,
      `**${plural(open.length, 'item')}** to read`,
      `**${plural(counts.flags, 'flag')}**`,
      checklist.as ? `${reviewed.length} already reviewed by ${escapeMarkdown(checklist.as)}` : null,
      `${counts.agentLines} agent / ${counts.humanLines} human lines added`,
      plural(counts.commits, 'commit'),
    ]
      .filter(Boolean)
      .join(' · '),
  ];
  if (checklist.agentSummary) head.push('', `🤖 ${escapeMarkdown(checklist.agentSummary)}`);
  if (checklist.reviewers.length > 0) head.push('', `Ask: ${checklist.reviewers.map(escapeMarkdown).join(', ')}`);
  for (const w of checklist.warnings) head.push('', `> ${escapeMarkdown(w)}`);
  if (checklist.items.length === 0) head.push('', '_Nothing to review in this range._');

  const blocks: string[] = [];
  const sequence = [
    ...open.map((item) => ({ order: item.order, group: item.group as string, text: itemBlock(item) })),
    ...checklist.callers.map((c) => ({
      order: c.order,
      group: c.calls.length > 0 ? 'caller' : 'reference',
      text: `- **${c.order}.** ${codeSpan(c.symbol)} · ${codeSpan(`${c.file}:${c.line}`)} — ${[
        c.calls.length > 0 ? `calls ${c.calls.map(codeSpan).join(', ')}` : null,
        c.references.length > 0 ? `references ${c.references.map(codeSpan).join(', ')}` : null,
      ].filter(Boolean).join('; ')}`,
    })),
  ].sort((a, b) => a.order - b.order);
  let group = '';
  for (const s of sequence) {
    blocks.push((s.group !== group ? `\n${HEADINGS[s.group]}\n\n` : '') + s.text);
    group = s.group;
  }
  const tail: string[] = [];
  if (reviewed.length > 0) {
    const names = reviewed.map((i) => codeSpan(i.symbol || i.file));
    tail.push('', '### Already reviewed', '', `- ✓ ${plural(reviewed.length, 'item')} you already reviewed at this exact version: ${names.join(', ')}`);
  }
  if (checklist.commits.length > 0) {
    tail.push('', `<details><summary>${plural(checklist.commits.length, 'commit')}</summary>`, '');
    for (const c of checklist.commits.slice(-MAX_COMMITS_LISTED)) {
      const by = c.kind === 'agent' ? ` (agent${c.agent ? `: ${escapeMarkdown(c.agent)}` : ''})` : '';
      tail.push(`- ${codeSpan(c.sha.slice(0, 7))} ${escapeMarkdown(c.subject)}${by}`);
    }
    if (checklist.commits.length > MAX_COMMITS_LISTED) tail.push(`- … and ${checklist.commits.length - MAX_COMMITS_LISTED} earlier`);
    tail.push('', '</details>');
  }
  tail.push('', `<sub>Effort: ${escapeMarkdown(checklist.effortFormula)}</sub>`);

  const headText = head.join('\n');
  let tailText = tail.join('\n');
  if (headText.length + tailText.length > max / 2) tailText = `\n\n<sub>Effort: ${escapeMarkdown(checklist.effortFormula)}</sub>`;
  const noteReserve = 300;
  let body = '';
  let shown = 0;
  for (const b of blocks) {
    if (headText.length + body.length + b.length + 1 + tailText.length + noteReserve > max) break;
    body += `\n${b}`;
    shown++;
  }
  const omitted = blocks.length - shown;
  const note = omitted > 0 ? `\n\n_… ${omitted} more ${omitted === 1 ? 'entry' : 'entries'} not shown (GitHub comment size limit); the JSON output has all of them._` : '';
  return `${headText}\n${body}${note}\n${tailText}\n`.slice(0, max);
}

/**
 * The gate in words: the Markdown section under the checklist (job summary and PR comment), the
 * check run's title, summary and annotations, and the job summary when grasp could not run.
 * Names and paths come from commits: they go through the checklist's escaping helpers.
 */
import { codeSpan, escapeMarkdown, formatChecklistMarkdown, MAX_COMMENT_CHARS } from '../checklist/markdown.ts';
import type { Checklist } from '../checklist/types.ts';
import type { GateItem, GateResult } from './gate.ts';
import type { Policy } from './policy.ts';

const MAX_LISTED = 100;
/** GitHub takes at most 50 annotations per check-run request. */
export const MAX_ANNOTATIONS = 50;

const label = (g: Pick<GateItem, 'file' | 'symbol'>) => (g.symbol ? `${g.file}#${g.symbol}` : g.file);

export function gateHeadline(gate: GateResult, policy: Policy): string {
  if (gate.pass) return `grasp gate passed: ${gate.gated.length} gated item${gate.gated.length === 1 ? '' : 's'} understood, debt ${gate.debt}`;
  const parts: string[] = [];
  if (gate.failing.length > 0) parts.push(`${gate.failing.length} item${gate.failing.length === 1 ? '' : 's'} need${gate.failing.length === 1 ? 's' : ''} a ${policy.require} mark`);
  if (gate.maxDebt && !gate.maxDebt.pass) parts.push(`debt ${gate.debt} > max-debt ${gate.maxDebt.limit}`);
  if (gate.minCoverage && !gate.minCoverage.pass) parts.push(`coverage ${pct(gate.coverage)} < min-coverage ${pct(gate.minCoverage.limit)}`);
  return `grasp gate failed: ${parts.join('; ')}`;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

export function gateMarkdown(gate: GateResult, policy: Policy, policySource: string, opts: { enforced: boolean }): string {
  const out = [
    `### ${gate.pass ? '✅' : '❌'} Merge gate: ${gate.pass ? 'pass' : 'fail'}${!gate.pass && !opts.enforced ? ' (not enforced)' : ''}`,
    '',
    `${escapeMarkdown(gateHeadline(gate, policy))}. Debt **${gate.debt}**, coverage **${pct(gate.coverage)}**, ~${gate.effortMinutes} min of review. Policy: ${escapeMarkdown(policySource)}${gate.ignored > 0 ? `, ${gate.ignored} ignored item${gate.ignored === 1 ? '' : 's'}` : ''}.`,
  ];
  if (gate.failing.length > 0) {
    out.push('', 'Still to be understood (mark them when you have read them):', '');
    for (const g of gate.failing.slice(0, MAX_LISTED)) {
      out.push(`- ${codeSpan(label(g))}${g.line !== null ? ` (line ${g.line})` : ''}: needs **${g.required}** — ${g.because.map(codeSpan).join(', ')}`);
    }
    if (gate.failing.length > MAX_LISTED) out.push(`- … and ${gate.failing.length - MAX_LISTED} more`);
    const first = gate.failing[0]!;
    out.push('', `Mark with \`grasp mark <path>#<symbol> --as <you> --level ${first.required}\`, on the checklist page, or review the lines on GitHub; then re-run this job.`);
  }
  return out.join('\n');
}

/** Checklist first (so the marker is the first line), then the gate, within GitHub's comment limit. */
export function checklistWithGate(checklist: Checklist, gateText: string, maxChars = MAX_COMMENT_CHARS): string {
  const room = Math.max(2000, maxChars - gateText.length - 4);
  return `${formatChecklistMarkdown(checklist, { maxChars: room }).replace(/\n+$/, '')}\n\n${gateText}\n`;
}

export interface CheckRunText {
  title: string;
  summary: string;
  text: string;
  annotations: { path: string; location: { startLine: number; endLine: number }; annotationLevel: 'FAILURE' | 'WARNING'; message: string; title: string }[];
}

export function checkRunText(gate: GateResult, policy: Policy, opts: { enforced: boolean }): CheckRunText {
  const lines = gate.failing.slice(0, MAX_LISTED).map((g) => `- ${codeSpan(label(g))}: needs ${g.required} (${g.because.join(', ')})`);
  return {
    title: gateHeadline(gate, policy).slice(0, 250),
    summary: `Debt ${gate.debt}, coverage ${pct(gate.coverage)}, ${gate.gated.length} gated item${gate.gated.length === 1 ? '' : 's'}, ${gate.failing.length} still to be understood.${!gate.pass && !opts.enforced ? ' The policy does not enforce the gate.' : ''}`,
    text: lines.length > 0 ? lines.join('\n') : 'Every gated item has the mark the policy asks for.',
    annotations: gate.failing
      .filter((g) => g.line !== null)
      .slice(0, MAX_ANNOTATIONS)
      .map((g) => ({
        path: g.file,
        location: { startLine: g.line!, endLine: Math.max(g.line!, g.endLine ?? g.line!) },
        annotationLevel: opts.enforced ? 'FAILURE' : 'WARNING',
        title: `${g.symbol || g.file}: needs a ${g.required} mark`.slice(0, 250),
        message: `Nobody on the team has marked this ${g.required} at this version (${g.because.join(', ')}).`,
      })),
  };
}

/** The job summary when grasp stopped before the gate: what went wrong and what to change. */
export function problemSummary(message: string, fix: string | null): string {
  return [`### ⚠️ grasp could not evaluate the merge gate`, '', escapeMarkdown(message), ...(fix ? ['', `**To fix:** ${escapeMarkdown(fix)}`] : []), ''].join('\n');
}

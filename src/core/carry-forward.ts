/**
 * Carrying line authorship through a pull request's commits onto the commit that landed (a squash or
 * a rebase copy). Pure: file texts in, one author per line out.
 *
 * Each PR commit's added lines get that commit's attribution (its record's ranges, else its
 * provenance). A line that survives a later commit unchanged keeps its author; a line a later commit
 * rewrote belongs to that commit. The landed commit's added lines are matched to the PR head's file by
 * content and position (a line diff): a matched line takes the head's author, an unmatched one the
 * landed commit's own author.
 */
import { diffArrays } from 'diff';

export interface LineOwner {
  author: 'agent' | 'human' | 'untracked';
  agent: string | null;
  /** The PR commit that wrote the line; null for lines the PR did not write. */
  sha: string | null;
}

/** One PR commit's version of one file, and who wrote the lines it added there (by 1-based new line). */
export interface FileStep {
  sha: string;
  text: string | null; // null: the file is deleted at this commit
  ownerOf: (line: number) => LineOwner;
}

const splitLines = (text: string | null): string[] => (text === null || text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** `before` owners mapped onto `after` by a line diff; inserted lines get `fresh(newLineNumber)`. */
export function carryLines(before: readonly string[], owners: readonly (LineOwner | null)[], after: readonly string[], fresh: (line: number) => LineOwner | null): (LineOwner | null)[] {
  const out: (LineOwner | null)[] = [];
  let oldAt = 0;
  for (const part of diffArrays(before as string[], after as string[])) {
    const n = part.count ?? part.value.length;
    if (part.removed) oldAt += n;
    else if (part.added) for (let i = 0; i < n; i++) out.push(fresh(out.length + 1));
    else for (let i = 0; i < n; i++) out.push(owners[oldAt++] ?? null);
  }
  return out;
}

/** Owners of the PR head's lines of one file: base lines are null (not the PR's). */
export function carryThroughPr(baseText: string | null, steps: readonly FileStep[]): { lines: string[]; owners: (LineOwner | null)[] } {
  let lines = splitLines(baseText);
  let owners: (LineOwner | null)[] = lines.map(() => null);
  for (const step of steps) {
    const next = splitLines(step.text);
    owners = carryLines(lines, owners, next, (line) => step.ownerOf(line));
    lines = next;
  }
  return { lines, owners };
}

/**
 * Owners of the landed commit's added lines (1-based numbers on its new side), from the PR head's
 * carried owners; lines the PR never wrote fall to `landedOwner`.
 */
export function ownersOfLanded(head: { lines: readonly string[]; owners: readonly (LineOwner | null)[] }, landedText: string | null, addedLines: readonly number[], landedOwner: LineOwner): Map<number, LineOwner> {
  const landed = splitLines(landedText);
  const mapped = carryLines(head.lines, head.owners, landed, () => null);
  const out = new Map<number, LineOwner>();
  for (const line of addedLines) if (line >= 1 && line <= landed.length) out.set(line, mapped[line - 1] ?? landedOwner);
  return out;
}

/** Per-author counts and the PR commits behind them, for the landed commit's `pr-commits` evidence. */
export function summarizeOwners(owners: Iterable<LineOwner>): { agent: number; human: number; untracked: number; agents: string[]; commits: string[] } {
  const sum = { agent: 0, human: 0, untracked: 0, agents: new Set<string>(), commits: new Set<string>() };
  for (const o of owners) {
    sum[o.author]++;
    if (o.agent) sum.agents.add(o.agent);
    if (o.sha) sum.commits.add(o.sha);
  }
  return { agent: sum.agent, human: sum.human, untracked: sum.untracked, agents: [...sum.agents].sort(), commits: [...sum.commits] };
}

/**
 * When a landed commit counts as the agents': agent lines are at least half of its added lines, or
 * at least MATERIAL_AGENT_LINES of them. Half is the share at which "who wrote this" has one answer;
 * the absolute floor keeps a large agent contribution visible inside a big human squash (a reviewer
 * still has that much agent code to understand).
 */
export const MATERIAL_AGENT_SHARE = 0.5;
export const MATERIAL_AGENT_LINES = 50;
export function agentIsMaterial(agentLines: number, addedLines: number): boolean {
  return agentLines > 0 && (agentLines >= MATERIAL_AGENT_LINES || agentLines >= MATERIAL_AGENT_SHARE * addedLines);
}

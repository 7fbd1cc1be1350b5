/**
 * Forward blame: who introduced each line of a blob, carried from the previous version through
 * the diff instead of running `git blame` per file. Stored per blob as
 * `{"shas": [sha, ...], "runs": [[count, shaIndex, agent], ...]}` (each sha once; agent 1 = an agent
 * wrote the lines); sha '' = origin unknown.
 */
import type { Range } from '../core/ranges.ts';

export interface LineOrigins {
  shas: string[];
  agent: boolean[];
}

export interface StoredOrigins {
  shas: string[];
  runs: [count: number, shaIndex: number, agent: 0 | 1][];
}

export const UNKNOWN_ORIGIN = '';

export function encodeRuns(origins: LineOrigins): StoredOrigins {
  const shas: string[] = [];
  const index = new Map<string, number>();
  const runs: StoredOrigins['runs'] = [];
  for (let i = 0; i < origins.shas.length; i++) {
    const sha = origins.shas[i]!;
    let k = index.get(sha);
    if (k === undefined) index.set(sha, (k = shas.push(sha) - 1));
    const agent = origins.agent[i] ? 1 : 0;
    const last = runs[runs.length - 1];
    if (last && last[1] === k && last[2] === agent) last[0]++;
    else runs.push([1, k, agent]);
  }
  return { shas, runs };
}

/** Decodes the stored form, tolerating the plain `[[count, sha, agent?], ...]` form and malformed parts. */
export function decodeRuns(value: unknown): LineOrigins {
  const origins: LineOrigins = { shas: [], agent: [] };
  const dictionary = value && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<StoredOrigins>) : null;
  const shas = Array.isArray(dictionary?.shas) ? dictionary.shas : null;
  const runs: unknown = dictionary ? dictionary.runs : value;
  if (!Array.isArray(runs)) return origins;
  for (const run of runs) {
    if (!Array.isArray(run) || typeof run[0] !== 'number') continue;
    const sha = shas ? shas[run[1] as number] : run[1];
    if (typeof sha !== 'string') continue;
    const count = Math.max(0, Math.min(run[0], 10_000_000));
    for (let i = 0; i < count; i++) {
      origins.shas.push(sha);
      origins.agent.push(run[2] === 1);
    }
  }
  return origins;
}

export function unknownOrigins(lineCount: number): LineOrigins {
  return { shas: new Array<string>(lineCount).fill(UNKNOWN_ORIGIN), agent: new Array<boolean>(lineCount).fill(false) };
}

export interface ForwardBlameInput {
  newLineCount: number;
  /** Lines of the new side that the diff adds. */
  newRanges: readonly Range[];
  /** Lines of the old side that the diff removes. */
  oldRanges: readonly Range[];
  /** Origins of the old side's lines; null when unknown (unchanged lines get UNKNOWN_ORIGIN). */
  old: LineOrigins | null;
  /** Origin of an added line (1-based line number of the new side). */
  introduced: (line: number) => { sha: string; agent: boolean };
}

/**
 * Unchanged lines keep the origin of the matching old line: with -U0 hunks, the k-th new line
 * outside newRanges is the k-th old line outside oldRanges.
 */
export function forwardBlame(input: ForwardBlameInput): LineOrigins {
  const { newLineCount, newRanges, oldRanges, old } = input;
  const out: LineOrigins = { shas: new Array<string>(newLineCount), agent: new Array<boolean>(newLineCount) };
  let nr = 0;
  let or = 0;
  let oldLine = 1;
  for (let line = 1; line <= newLineCount; line++) {
    while (nr < newRanges.length && newRanges[nr]![1] < line) nr++;
    if (nr < newRanges.length && newRanges[nr]![0] <= line) {
      const o = input.introduced(line);
      out.shas[line - 1] = o.sha;
      out.agent[line - 1] = o.agent;
      continue;
    }
    for (;;) {
      while (or < oldRanges.length && oldRanges[or]![1] < oldLine) or++;
      if (or < oldRanges.length && oldRanges[or]![0] <= oldLine) oldLine = oldRanges[or]![1] + 1;
      else break;
    }
    const i = oldLine - 1;
    out.shas[line - 1] = old && i < old.shas.length ? old.shas[i]! : UNKNOWN_ORIGIN;
    out.agent[line - 1] = old && i < old.agent.length ? old.agent[i]! : false;
    oldLine++;
  }
  return out;
}

/**
 * Added lines whose exact text exists in another version take that line's origin, each line used
 * once: for a merge's first-parent diff (the other parent wrote them) and for moved symbols.
 * `parentFallback` stands in where the other version's origin is unknown.
 * Returns a map from new line number to origin for the lines found.
 */
export function matchLinesByText(
  addedLines: readonly number[],
  newLines: readonly string[],
  parentLines: readonly string[],
  parentOrigins: LineOrigins | null,
  parentFallback: { sha: string; agent: boolean },
): Map<number, { sha: string; agent: boolean }> {
  const byText = new Map<string, number[]>();
  parentLines.forEach((text, i) => {
    const list = byText.get(text);
    if (list) list.push(i);
    else byText.set(text, [i]);
  });
  const found = new Map<number, { sha: string; agent: boolean }>();
  for (const line of addedLines) {
    const candidates = byText.get(newLines[line - 1] ?? '');
    const i = candidates?.shift();
    if (i === undefined) continue;
    const sha = parentOrigins?.shas[i];
    found.set(line, sha !== undefined && sha !== UNKNOWN_ORIGIN ? { sha, agent: parentOrigins!.agent[i]! } : parentFallback);
  }
  return found;
}

export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

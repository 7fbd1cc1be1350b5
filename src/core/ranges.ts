/**
 * Line ranges as compact text: "3-7,12,20-21" (1-based, inclusive, sorted, merged).
 * Used for changed lines of a diff and for git-ai agent line ranges.
 */
export type Range = readonly [start: number, end: number];

export function formatRanges(ranges: readonly Range[]): string {
  return normalizeRanges(ranges)
    .map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`))
    .join(',');
}

/** Parses "3-7,12"; throws RangeError on malformed text. */
export function parseRanges(text: string): Range[] {
  if (text.trim() === '') return [];
  const out: Range[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!m) throw new RangeError(`malformed line range "${part}"`);
    const s = Number(m[1]);
    const e = m[2] === undefined ? s : Number(m[2]);
    if (!Number.isSafeInteger(s) || !Number.isSafeInteger(e)) throw new RangeError(`line number out of range in "${part}"`);
    if (s < 1 || e < s) throw new RangeError(`malformed line range "${part}"`);
    out.push([s, e]);
  }
  return normalizeRanges(out);
}

/** Sorts, drops empty, merges overlapping and adjacent ranges. */
export function normalizeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter(([s, e]) => e >= s && s >= 1).slice().sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function rangesLineCount(ranges: readonly Range[]): number {
  return ranges.reduce((n, [s, e]) => n + (e - s + 1), 0);
}

/** Number of lines of `ranges` inside [start, end]. */
export function overlapCount(ranges: readonly Range[], start: number, end: number): number {
  let n = 0;
  for (const [s, e] of ranges) {
    const lo = Math.max(s, start);
    const hi = Math.min(e, end);
    if (hi >= lo) n += hi - lo + 1;
  }
  return n;
}

export function inRanges(ranges: readonly Range[], line: number): boolean {
  return ranges.some(([s, e]) => line >= s && line <= e);
}

/**
 * Git revision syntax, the pure part: `A..B`, `A...B` (from the merge base), `X^!` (X's own
 * change), and a revision `X^`, `X^2`, `X~3` on top of a name. With a repository at hand the
 * names go through `git rev-parse` (src/git/revisions.ts); without one (Workers) a name must be a
 * stored sha prefix or HEAD and the suffixes walk the stored parents (`resolveStored`).
 */
import { GraspError } from './errors.ts';

export interface RevisionRange {
  left: string;
  right: string;
  /** `A...B`: the range starts at the merge base of A and B. */
  symmetric: boolean;
}

export type RevisionStep = { op: '^'; n: number } | { op: '~'; n: number };

export interface ParsedRevision {
  name: string;
  steps: RevisionStep[];
}

const MAX_REVISION = 256;

/** Splits a range; a lone `X^!` is X's parent..X. Returns null when the text is not a range. */
export function parseRange(text: string): RevisionRange | null {
  const t = text.trim();
  if (t === '' || t.length > 2 * MAX_REVISION + 3) return null;
  if (t.endsWith('^!') && !t.includes('..')) {
    const rev = t.slice(0, -2);
    return rev === '' ? null : { left: `${rev}^`, right: rev, symmetric: false };
  }
  const three = t.indexOf('...');
  if (three >= 0) {
    const left = t.slice(0, three);
    const right = t.slice(three + 3);
    return left && right && !right.includes('..') ? { left, right, symmetric: true } : null;
  }
  const two = t.indexOf('..');
  if (two < 0) return null;
  const left = t.slice(0, two);
  const right = t.slice(two + 2);
  return left && right && !right.includes('..') ? { left, right, symmetric: false } : null;
}

/** `abc123~2^2` -> name abc123, steps [~2, ^2]. Null when the suffix is not `^`/`~` steps. */
export function parseRevision(rev: string): ParsedRevision | null {
  const t = rev.trim();
  if (t === '' || t.length > MAX_REVISION) return null;
  const at = t.search(/[~^]/);
  const name = at < 0 ? t : t.slice(0, at);
  if (name === '') return null;
  const steps: RevisionStep[] = [];
  const suffix = at < 0 ? '' : t.slice(at);
  const re = /([~^])(\d*)/y;
  let pos = 0;
  while (pos < suffix.length) {
    re.lastIndex = pos;
    const m = re.exec(suffix);
    if (!m) return null;
    const n = m[2] === '' ? 1 : Number(m[2]);
    if (!Number.isSafeInteger(n) || n > 10_000) return null;
    steps.push({ op: m[1] as '^' | '~', n });
    pos = re.lastIndex;
  }
  return { name, steps };
}

export interface StoredCommit {
  sha: string;
  parents: readonly string[];
}

export interface StoredLookup {
  /** A full sha or unique prefix -> the commit; null when unknown. Ambiguity throws. */
  find(prefix: string): Promise<StoredCommit | null>;
  /** The analyzed head, for `HEAD`. */
  head(): Promise<string | null>;
}

/** Resolves a revision from stored commits only: a sha prefix or HEAD, then `^n` / `~n` steps. */
export async function resolveStored(rev: string, lookup: StoredLookup): Promise<string> {
  const parsed = parseRevision(rev);
  if (!parsed) throw new GraspError('invalid', `"${rev}" is not a revision (a sha, HEAD, with ^n or ~n)`);
  let sha: string | null;
  if (parsed.name === 'HEAD' || parsed.name === '@') sha = await lookup.head();
  else if (/^[0-9a-f]{4,64}$/i.test(parsed.name)) sha = (await lookup.find(parsed.name.toLowerCase()))?.sha ?? null;
  else throw new GraspError('invalid', `"${parsed.name}" can't be resolved without the repository: give a commit sha`);
  if (!sha) throw new GraspError('not-found', `unknown revision "${parsed.name}" (not in the database: ingest first?)`);
  for (const step of parsed.steps) {
    if (step.op === '^' && step.n === 0) continue; // X^0 is X itself
    const hops = step.op === '~' ? step.n : 1;
    const parentIndex = step.op === '^' ? step.n - 1 : 0;
    for (let i = 0; i < hops; i++) {
      const commit = await lookup.find(sha);
      const next = commit?.parents[parentIndex];
      if (!next) throw new GraspError('not-found', `"${rev}": ${sha.slice(0, 12)} has no parent ${parentIndex + 1}`);
      sha = next;
    }
  }
  return sha;
}

/** Turns revisions into shas: git where the repository is at hand, stored commits where it isn't. */
export interface RevisionResolver {
  rev(text: string): Promise<string>;
  mergeBase(a: string, b: string): Promise<string>;
}

/**
 * One revision or a range given as text. A range (`A..B`, `A...B`, `X^!`) -> base and head shas;
 * a lone revision -> head only (base null).
 */
export async function resolveRangeWith(text: string, resolver: RevisionResolver): Promise<{ base: string; head: string }> {
  const range = parseRange(text);
  if (!range) throw new GraspError('invalid', `"${text}" is not a range: use A..B, A...B or X^! (HEAD~2..HEAD, main...feature, sha^..sha)`);
  return resolvePairWith(range, resolver);
}

export async function resolvePairWith(range: RevisionRange, resolver: RevisionResolver): Promise<{ base: string; head: string }> {
  const left = await resolver.rev(range.left);
  const head = await resolver.rev(range.right);
  return { base: range.symmetric ? await resolver.mergeBase(left, head) : left, head };
}

/** Merge base over stored parents: the common ancestor latest in ingest order (git's answer when it is unique). */
export function storedMergeBase(parentsOf: ReadonlyMap<string, readonly string[]>, seqOf: ReadonlyMap<string, number>, a: string, b: string): string | null {
  const reach = (start: string) => {
    const seen = new Set<string>();
    const todo = [start];
    while (todo.length > 0) {
      const sha = todo.pop()!;
      if (seen.has(sha)) continue;
      seen.add(sha);
      for (const p of parentsOf.get(sha) ?? []) todo.push(p);
    }
    return seen;
  };
  const fromA = reach(a);
  let best: string | null = null;
  for (const sha of reach(b)) if (fromA.has(sha) && (best === null || (seqOf.get(sha) ?? -1) > (seqOf.get(best) ?? -1))) best = sha;
  return best;
}

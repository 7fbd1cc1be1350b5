/**
 * Targets that name their repository, for a database holding many:
 *   NAME:path#Symbol   NAME:path   NAME@rev   NAME:base..head   NAME:base...head   NAME#pr:12
 * and the short forms of one repository (`path#Symbol`, `path`, `1a2b3c4`, `1a2b..3c4d`, `pr:12`,
 * `#12`), which keep working when only one repository matches (`chooseRepository`).
 *
 * NAME is a repository's name: `owner/name` or a directory name. Revisions (`NAME@rev`, range
 * halves) are opaque revision strings (`main`, `v1.2^`, `HEAD~2`), resolved later by
 * src/core/revisions.ts or git, never only hex shas. A prefix counts as a repository only when
 * `isRepository` says so (the known names), so a path like `packages/ui@2/x.ts` stays a path;
 * without it, any text of NAME's shape does. `formatRepoTarget` writes `./path` where a bare path
 * would read as something else, so parsing what it wrote gives the same target back.
 */
import { GraspError } from './errors.ts';
import { MAX_TARGET_LENGTH, parseTarget } from './marks.ts';
import { parseRange } from './revisions.ts';

export type RepoTarget =
  | { repo: string | null; kind: 'symbol'; file: string; name: string }
  | { repo: string | null; kind: 'file'; file: string }
  | { repo: string | null; kind: 'commit'; rev: string }
  | { repo: string | null; kind: 'range'; base: string; head: string; symmetric: boolean }
  | { repo: string | null; kind: 'pr'; number: number }
  /** `symbol:<id>`: a symbol by its id, the form that always works (paths with control characters). */
  | { repo: string | null; kind: 'symbol-id'; id: number };

/** A repository name: `owner/name` or one directory name (letters, digits, `_ . -`). */
export const REPO_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}(?:\/[A-Za-z0-9_.-]{1,100})?$/;
const NAME_PART = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}(?:/[A-Za-z0-9_.-]{1,100})?';
const WITH_PR = new RegExp(`^(${NAME_PART})#pr:(\\d{1,9})$`, 'i');
const WITH_REV = new RegExp(`^(${NAME_PART})@(.+)$`);
const WITH_PATH = new RegExp(`^(${NAME_PART}):(.+)$`);
const SHORT_PR = /^pr:\d{1,9}$/i;
// Whitespace, control characters and `:` never occur in a revision we accept.
// eslint-disable-next-line no-control-regex
const REVISION_RE = /^[^\s\u0000-\u001f\u007f:#]{1,256}$/;

export function isRepoName(text: string): boolean {
  return REPO_NAME_RE.test(text) && !text.split('/').some((p) => p === '.' || p === '..');
}

export interface ParseOptions {
  /** Whether a prefix names a repository (the known names); default: any text of a name's shape. */
  isRepository?: (name: string) => boolean;
}

/** Parses target text; throws GraspError('invalid') when it cannot be a target at all. */
export function parseRepoTarget(text: string, opts: ParseOptions = {}): RepoTarget {
  const t = text.trim();
  if (t.length > MAX_TARGET_LENGTH) throw new GraspError('invalid', `target is longer than ${MAX_TARGET_LENGTH} characters`);
  const known = (name: string) => isRepoName(name) && (opts.isRepository ? opts.isRepository(name) : true);

  // `pr:12` is always a pull request, even in a repository named `pr` (whose files read `pr:./12`).
  if (SHORT_PR.test(t)) return shortForm(t);
  const pr = WITH_PR.exec(t);
  if (pr && known(pr[1]!)) return { repo: pr[1]!, kind: 'pr', number: Number(pr[2]) };
  const at = WITH_REV.exec(t);
  if (at && known(at[1]!) && REVISION_RE.test(at[2]!) && !at[2]!.includes('..')) return { repo: at[1]!, kind: 'commit', rev: at[2]! };
  const colon = WITH_PATH.exec(t);
  if (colon && known(colon[1]!)) return withRepo(colon[1]!, colon[2]!);
  return shortForm(t);
}

/** After `NAME:`: a range when it has `..` and no `#`, else a path or a symbol. */
function withRepo(repo: string, rest: string): RepoTarget {
  if (!rest.includes('#') && rest.includes('..')) {
    const range = parseRange(rest);
    if (range && !range.left.endsWith('^!') && REVISION_RE.test(range.left) && REVISION_RE.test(range.right) && !rest.startsWith('./')) {
      return { repo, kind: 'range', base: range.left, head: range.right, symmetric: range.symmetric };
    }
  }
  const local = parseTarget(rest.startsWith('./') ? rest : `./${rest}`);
  if (local.kind === 'symbol') return { repo, kind: 'symbol', file: local.file, name: local.name };
  if (local.kind === 'file') return { repo, kind: 'file', file: local.file };
  throw new GraspError('invalid', `target "${repo}:${rest}" is neither a path nor a range`);
}

function shortForm(t: string): RepoTarget {
  const local = parseTarget(t);
  switch (local.kind) {
    case 'symbol':
      return { repo: null, kind: 'symbol', file: local.file, name: local.name };
    case 'file':
      return { repo: null, kind: 'file', file: local.file };
    case 'commit':
      return { repo: null, kind: 'commit', rev: local.sha };
    case 'range':
      return { repo: null, kind: 'range', base: local.base, head: local.head, symmetric: false };
    case 'pr':
      return { repo: null, kind: 'pr', number: local.number };
    case 'symbol-id':
      return { repo: null, kind: 'symbol-id', id: local.id };
  }
}

/** Canonical text of a target; `parseRepoTarget(formatRepoTarget(t))` gives `t` back. */
export function formatRepoTarget(target: RepoTarget, opts: ParseOptions = {}): string {
  const { repo } = target;
  if (repo !== null) {
    switch (target.kind) {
      case 'pr':
        return `${repo}#pr:${target.number}`;
      case 'commit':
        return `${repo}@${target.rev}`;
      case 'range':
        return `${repo}:${target.base}${target.symmetric ? '...' : '..'}${target.head}`;
      case 'file':
        // A path with `..` would read as a range (and `pr:12` as a pull request); `./` keeps it a path.
        return target.file.includes('..') || SHORT_PR.test(`${repo}:${target.file}`) ? `${repo}:./${target.file}` : `${repo}:${target.file}`;
      case 'symbol':
        return `${repo}:${target.file}#${target.name}`;
      case 'symbol-id':
        return `${repo}@symbol:${target.id}`;
    }
  }
  switch (target.kind) {
    case 'pr':
      return `pr:${target.number}`;
    case 'symbol-id':
      return `symbol:${target.id}`;
    case 'commit':
      return target.rev;
    case 'range':
      return `${target.base}${target.symmetric ? '...' : '..'}${target.head}`;
    case 'file':
    case 'symbol': {
      const text = target.kind === 'file' ? target.file : `${target.file}#${target.name}`;
      // A bare path that would read as a commit, a range, a pull request or a repository's target.
      const reparsed = tryParse(text, opts);
      return reparsed && sameTarget(reparsed, target) ? text : `./${text}`;
    }
  }
}

function tryParse(text: string, opts: ParseOptions): RepoTarget | null {
  try {
    return parseRepoTarget(text, opts);
  } catch {
    return null;
  }
}

export function sameTarget(a: RepoTarget, b: RepoTarget): boolean {
  return JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
}

/**
 * Which repository a command or target means. `requested` is the name given (`--repo`, `NAME:`),
 * else null; `known` every tracked name; `matching` the names where a short target exists (the
 * caller looks), or `known` when any repository would do. One line on every refusal.
 */
export function chooseRepository(requested: string | null, known: readonly string[], matching: readonly string[] = known, what = 'this'): string {
  if (known.length === 0) throw new GraspError('not-found', 'no repository is tracked in this database yet: run `grasp ingest <path>` first');
  if (requested !== null) {
    if (known.includes(requested)) return requested;
    throw new GraspError('not-found', `unknown repository "${requested}"; known: ${[...known].sort().join(', ')}`);
  }
  if (known.length === 1) return known[0]!;
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) throw new GraspError('not-found', `${what} is in none of the repositories (${[...known].sort().join(', ')})`);
  const names = [...matching].sort();
  throw new GraspError('invalid', `${what} is ambiguous: it matches ${names.length} repositories (${names.join(', ')}); name one, e.g. ${names[0]}:…`);
}

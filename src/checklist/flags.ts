/**
 * Risk flags of one checklist item, pure: code detectors on old vs new text, the exported
 * signature, complexity, tests, agent code nobody reviewed, the reviewer's stale mark, and
 * dependency changes of a package.json. Every flag carries the line it points at in the head
 * version of the file (null when the item no longer exists at head).
 */
import { diffLines } from 'diff';
import type { NetSymbolChange } from './aggregate.ts';
import { dependencyLine, diffDependencies, extractDependencies } from './dependencies.ts';
import { detectFindings, newFindings } from './detectors.ts';
import { compareSignatures, extractSignature } from './signature.ts';
import type { Fragment } from './source.ts';
import type { Flag } from './types.ts';

/** Complexity at or above which a changed symbol is flagged, and the rise that is flagged. */
export const COMPLEXITY_LIMIT = 10;
export const COMPLEXITY_RISE = 3;
/** Kinds whose complexity sums their members' (or that have none): no complexity flag of their own. */
const CONTAINER_KINDS = new Set(['class', 'interface', 'type', 'enum', 'namespace', 'module']);

export interface SymbolFlagInput {
  net: NetSymbolChange;
  /** Head start line of the symbol (null when deleted). */
  headStart: number | null;
  /** Maps a line of the new text to its line in the head file (see headLineMapper). */
  toHead: (rel: number) => number | null;
  oldText: string | null;
  newText: string | null;
  oldFragment: Fragment | null;
  newFragment: Fragment | null;
  /** Exported before the range (null = unknown) and at head. */
  oldExported: boolean | null;
  newExported: boolean;
  asyncNames: ReadonlySet<string>;
  /** Some test file was touched in the range. */
  testTouched: boolean;
  /** Someone holds a fresh reviewed-or-better mark on the head hash. */
  reviewedByAnyone: boolean;
  /** The reviewer's mark on an older version, if any. */
  staleMark: { level: string; at: string } | null;
}

/** Lines as git counts them. */
function lineCount(text: string): number {
  if (text === '') return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

/** Added + removed lines between two texts (whole texts for an addition or deletion). */
export function changedLineCount(oldText: string | null, newText: string | null): number {
  if (oldText === null) return newText === null ? 0 : lineCount(newText);
  if (newText === null) return lineCount(oldText);
  let n = 0;
  for (const part of diffLines(oldText, newText)) if (part.added || part.removed) n += part.count ?? lineCount(part.value);
  return n;
}

/**
 * Maps a line of a symbol's stored text to the head file. `fileLines` are the file lines the text
 * was cut from (nested symbols collapse to one line, so the text is not one contiguous slice);
 * without them a text as long as the symbol's span maps by offset, anything else to the start line.
 */
export function headLineMapper(
  text: string | null,
  start: number | null,
  end: number | null,
  fileLines: readonly number[] | null = null,
): (rel: number) => number | null {
  if (start === null) return () => null;
  // Stored texts are lines joined by "\n": a trailing "\n" means a last, empty line.
  const pieces = text === null ? -1 : text.split('\n').length;
  if (fileLines && fileLines.length === pieces) return (rel) => fileLines[rel - 1] ?? start;
  const count = text === null ? -1 : lineCount(text);
  const contiguous = end !== null && (count === end - start + 1 || pieces === end - start + 1);
  return (rel) => (contiguous ? start + rel - 1 : start);
}

export function symbolFlags(input: SymbolFlagInput): Flag[] {
  const { net, newFragment, oldFragment } = input;
  const flags: Flag[] = [];
  const { toHead } = input;
  const at = input.headStart;

  // Code detectors: only what the range introduced.
  if (newFragment) {
    const after = detectFindings(newFragment, input.asyncNames);
    const before = oldFragment ? detectFindings(oldFragment, input.asyncNames) : [];
    for (const f of newFindings(before, after)) flags.push({ code: f.code, message: f.message, line: toHead(f.line) });
  }

  // Exported signature: public API changed, renamed, moved, unexported or removed.
  const wasExported = input.oldExported ?? input.newExported;
  if (net.change !== 'added' && (wasExported || input.newExported)) {
    if (net.change === 'deleted') flags.push({ code: 'exported-signature', message: 'exported symbol removed', line: null });
    else if (wasExported && !input.newExported) flags.push({ code: 'exported-signature', message: 'symbol is no longer exported', line: at });
    else if (wasExported) {
      if (net.oldName || net.oldFile) {
        const from = `${net.oldFile ?? net.file}#${net.oldName ?? net.name}`;
        flags.push({ code: 'exported-signature', message: `exported symbol moved or renamed from ${from}`, line: at });
      }
      const oldSig = oldFragment ? extractSignature(oldFragment) : null;
      const newSig = newFragment ? extractSignature(newFragment) : null;
      if (oldSig && newSig && oldSig.isPublic && newSig.isPublic) {
        for (const c of compareSignatures(oldSig, newSig)) flags.push({ code: 'exported-signature', message: c.message, line: toHead(c.line) });
      }
    }
  }

  if (net.change !== 'deleted' && !CONTAINER_KINDS.has(net.kind)) {
    const rise = net.oldComplexity === null ? 0 : net.complexity - net.oldComplexity;
    if (rise >= COMPLEXITY_RISE) {
      flags.push({ code: 'complexity', message: `complexity up by ${rise} (${net.oldComplexity} → ${net.complexity})`, line: at });
    } else if (net.complexity > COMPLEXITY_LIMIT) {
      flags.push({ code: 'complexity', message: `complexity ${net.complexity} (above ${COMPLEXITY_LIMIT})`, line: at });
    }
  }

  if (net.change !== 'deleted' && input.newExported && !input.testTouched) {
    flags.push({ code: 'untested-export', message: 'exported symbol changed and no test file was touched in the range', line: at });
  }
  // Agent-written and unreviewed is one header line of the checklist (agentSummary), not a flag per item.
  if (net.change !== 'deleted' && input.staleMark) {
    flags.push({ code: 'stale-mark', message: `you marked an older version (${input.staleMark.level}, ${input.staleMark.at.slice(0, 10)}): read what changed since`, line: at });
  }
  return mergeRepeatedFlags(flags);
}

/** One flag per (code, message, line): repeats on one line become "… (2×)". */
export function mergeRepeatedFlags(flags: readonly Flag[]): Flag[] {
  const counts = new Map<string, { flag: Flag; n: number }>();
  for (const f of flags) {
    const k = `${f.code}\u0000${f.message}\u0000${f.line}`;
    const seen = counts.get(k);
    if (seen) seen.n++;
    else counts.set(k, { flag: f, n: 1 });
  }
  return [...counts.values()].map(({ flag, n }) => (n === 1 ? flag : { ...flag, message: `${flag.message} (${n}×)` }));
}

/** Flags of a package.json: each added or changed dependency, at its line in the head version. */
/**
 * Lock files of the range: each changed one raises `dependency` (what the manifest diff says is the
 * decision; the lock is its consequence), and a lock file added for a package manager other than the
 * range's other lock files, or two managers' locks in one change, is flagged on its own.
 */
export function lockFlags(locks: readonly { path: string; manager: string; change: string }[]): Map<string, Flag[]> {
  const out = new Map<string, Flag[]>();
  const managers = [...new Set(locks.map((l) => l.manager))];
  for (const l of locks) {
    const flags: Flag[] = [];
    const others = managers.filter((m) => m !== l.manager);
    if (others.length > 0) flags.push({ code: 'dependency', message: `a ${l.manager} lock file beside ${others.join(', ')} lock files in one change: two package managers`, line: null });
    else if (l.change === 'added') flags.push({ code: 'dependency', message: `new ${l.manager} lock file: does this project use ${l.manager}?`, line: null });
    else if (l.change !== 'deleted') flags.push({ code: 'dependency', message: `${l.manager} lock file changed: check it matches the manifest`, line: null });
    out.set(l.path, flags);
  }
  return out;
}

export function manifestFlags(baseText: string | null, headText: string | null): Flag[] {
  if (headText === null) return [];
  const after = extractDependencies(headText);
  if (after === null) return [{ code: 'dependency', message: 'package.json is not valid JSON at head', line: 1 }];
  const before = baseText === null ? null : extractDependencies(baseText);
  return diffDependencies(before, after)
    .filter((d) => d.change !== 'removed')
    .map((d) => ({
      code: 'dependency' as const,
      message:
        d.change === 'added'
          ? `new ${d.field === 'dependencies' ? 'dependency' : d.field.replace(/Dependencies$/, ' dependency')} ${d.name}@${d.version}`
          : `${d.name} changed ${d.from} → ${d.version} (${d.field})`,
      line: dependencyLine(headText, d.field, d.name),
    }));
}

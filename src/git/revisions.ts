/** Git revision syntax through the repository itself: `git rev-parse` and `git merge-base`. */
import { GraspError } from '../core/errors.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseRange, type RevisionRange, type RevisionResolver } from '../core/revisions.ts';
import { firstLine, runGit } from './run.ts';

/** A revision (`HEAD~2`, `main`, `v1.0^`, a sha prefix) -> full commit sha; git's message when unknown. */
export async function revParse(root: string, rev: string): Promise<string> {
  // --end-of-options: a revision that starts with '-' is never read as an option.
  const r = await runGit(root, ['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`]);
  if (r.code !== 0) throw new GraspError('invalid', `unknown revision "${rev}" (git: ${firstLine(r.stderr).replace(/^fatal: /, '') || 'unknown revision'})`);
  return r.stdout.toString('utf8').trim();
}

export async function mergeBase(root: string, a: string, b: string): Promise<string> {
  const r = await runGit(root, ['merge-base', '--end-of-options', a, b]);
  if (r.code !== 0) throw new GraspError('not-found', `${a}...${b}: no merge base`);
  return r.stdout.toString('utf8').trim();
}

export interface ResolvedRange {
  base: string;
  head: string;
  range: RevisionRange;
}

/** `A..B`, `A...B`, `X^!` -> base and head shas. */
export async function resolveRange(root: string, text: string): Promise<ResolvedRange> {
  const range = parseRange(text);
  if (!range) throw new GraspError('invalid', `"${text}" is not a range: use A..B, A...B or X^!`);
  const left = await revParse(root, range.left);
  const head = await revParse(root, range.right);
  const base = range.symmetric ? await mergeBase(root, left, head) : left;
  return { base, head, range };
}

/** The resolver of a repository on disk (CLI, the Node service). */
export function gitResolver(root: string): RevisionResolver {
  return { rev: (text) => revParse(root, text), mergeBase: (a, b) => mergeBase(root, a, b) };
}

/** gitResolver when `root` is still a git work tree or repository on disk, else null. */
export function gitResolverAt(root: string): RevisionResolver | null {
  return existsSync(join(root, '.git')) || existsSync(join(root, 'HEAD')) ? gitResolver(root) : null;
}

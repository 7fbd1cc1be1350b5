// Pull-request refs: refs/pull/N/head, fetched with git fetch origin '+refs/pull/*/head:refs/pull/*/head'.
import { GraspError } from '../core/errors.ts';
import { firstLine, runGit } from './run.ts';

export const PULL_HEADS_GLOB = 'refs/pull/*/head';

/** PR number → head commit; one `for-each-ref`. */
export async function listPullHeads(root: string): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const r = await runGit(root, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/pull']);
  if (r.code !== 0) return out;
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const m = /^([0-9a-f]{40,64}) refs\/pull\/(\d+)\/head$/.exec(line.trim());
    if (m) out.set(Number(m[2]), m[1]!);
  }
  return out;
}

/** Every commit reachable from a PR head but not from `tip`, with its parents; one `rev-list`. */
export async function pullOnlyCommits(root: string, tip: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const r = await runGit(root, ['rev-list', '--parents', `--glob=${PULL_HEADS_GLOB}`, '--not', tip]);
  if (r.code !== 0) return out;
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const [sha, ...parents] = line.trim().split(' ');
    if (sha) out.set(sha, parents);
  }
  return out;
}

export interface RefTipRow {
  /** Full ref name (`refs/heads/x`, `refs/remotes/origin/x`, `refs/pull/12/head`). */
  ref: string;
  /** Short name as grasp records it for branches (`x`, `origin/x`); the ref itself for PR heads. */
  name: string;
  sha: string;
}

/** Every branch, remote-tracking branch and PR head that points at a commit; one `for-each-ref`. */
export async function listRefTips(root: string): Promise<RefTipRow[]> {
  const r = await runGit(root, ['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)', 'refs/heads', 'refs/remotes', 'refs/pull']);
  if (r.code !== 0) return [];
  const out: RefTipRow[] = [];
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const [sha, type, ref] = line.split(' ');
    if (!sha || type !== 'commit' || !ref || ref.endsWith('/HEAD')) continue;
    if (ref.startsWith('refs/pull/') && !/^refs\/pull\/\d+\/head$/.test(ref)) continue;
    out.push({ ref, sha, name: ref.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\//, '') });
  }
  return out;
}

/**
 * Every commit reachable from `tips` but not from `exclude`, children before parents, with their
 * parents: one `rev-list --topo-order` (tips on stdin, so any number of refs fits).
 */
export async function walkOffTip(root: string, tips: readonly string[], exclude: string | null): Promise<{ order: string[]; parents: Map<string, string[]> }> {
  const parents = new Map<string, string[]>();
  const order: string[] = [];
  if (tips.length === 0) return { order, parents };
  const input = [...new Set(tips), ...(exclude ? [`^${exclude}`] : [])].join('\n') + '\n';
  const r = await runGit(root, ['rev-list', '--topo-order', '--parents', '--stdin'], input);
  if (r.code !== 0) throw new GraspError('git-failed', `git rev-list over ${tips.length} refs failed: ${firstLine(r.stderr) || `exit ${r.code}`}`);
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const [sha, ...ps] = line.trim().split(' ');
    if (!sha) continue;
    order.push(sha);
    parents.set(sha, ps);
  }
  return { order, parents };
}

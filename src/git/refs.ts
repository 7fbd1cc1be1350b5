// Pull-request refs: refs/pull/N/head, fetched with git fetch origin '+refs/pull/*/head:refs/pull/*/head'.
import { runGit } from './run.ts';

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

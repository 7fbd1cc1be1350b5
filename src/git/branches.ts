/** Branches not merged into the default branch: the git-only stand-ins for open pull requests. */
import { gitText, runGit } from './run.ts';

export interface UnmergedBranch {
  name: string;
  sha: string;
  /** Where it left the default branch. */
  base: string;
  /** Committer date of the tip, epoch seconds (the last push we can see). */
  tipAt: number;
}

/** Enough for any team's desk; more would mean one merge-base process each. */
export const MAX_BRANCHES = 500;

async function defaultBranch(root: string): Promise<{ name: string; sha: string } | null> {
  for (const ref of ['refs/remotes/origin/HEAD', 'HEAD']) {
    const r = await runGit(root, ['rev-parse', '--verify', '-q', '--symbolic-full-name', ref]);
    const full = r.code === 0 ? r.stdout.toString('utf8').trim() : '';
    if (!full) continue;
    const sha = await runGit(root, ['rev-parse', '--verify', '-q', `${full}^{commit}`]);
    if (sha.code === 0) return { name: full.replace(/^refs\/(heads|remotes)\//, ''), sha: sha.stdout.toString('utf8').trim() };
  }
  return null;
}

export async function unmergedBranches(root: string): Promise<UnmergedBranch[]> {
  const main = await defaultBranch(root);
  if (!main) return [];
  const out = await gitText(root, ['for-each-ref', '--format=%(objectname) %(objecttype) %(committerdate:unix) %(refname)', 'refs/heads', 'refs/remotes']);
  const seen = new Set<string>();
  const list: UnmergedBranch[] = [];
  for (const line of out.split('\n')) {
    const [sha, type, at, ref] = line.split(' ');
    if (!sha || type !== 'commit' || !ref || ref.endsWith('/HEAD')) continue;
    const name = ref.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\//, '');
    // A local branch and its remote-tracking copy at the same commit are one piece of work.
    if (name === main.name || sha === main.sha || seen.has(sha) || name.replace(/^[^/]+\//, '') === main.name.replace(/^[^/]+\//, '')) continue;
    seen.add(sha);
    const base = await runGit(root, ['merge-base', main.sha, sha]);
    const baseSha = base.code === 0 ? base.stdout.toString('utf8').trim() : '';
    if (!baseSha || baseSha === sha) continue; // merged (the tip is reachable from the default branch)
    list.push({ name, sha, base: baseSha, tipAt: Number(at) || 0 });
    if (list.length >= MAX_BRANCHES) break;
  }
  return list;
}

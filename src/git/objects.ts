/** Whether the object store has a commit: a PR's shas may be missing from a shallow or fork checkout. */
import { runGit } from './run.ts';

export async function hasCommit(root: string, sha: string): Promise<boolean> {
  if (!/^[0-9a-f]{40}$/.test(sha)) return false;
  const r = await runGit(root, ['cat-file', '-e', `${sha}^{commit}`]);
  return r.code === 0;
}

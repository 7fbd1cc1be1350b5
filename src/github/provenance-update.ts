/**
 * Pull request facts feed commit provenance: after a sync, the commits of the synced pull requests
 * are classified again with their PR's head branch and author login (agent accounts such as
 * `Copilot` or `devin-ai-integration` open PRs; agent branches look like `copilot/…`). The ingest's
 * own re-classifier does the work, so a commit's verdict never depends on which source came last.
 */
import { pullRequestCommitShas } from '../db/repo/github.ts';
import type { RepoStore } from '../db/store.ts';
import { refreshProvenance } from '../ingest/reclassify.ts';

/**
 * Re-classifies the ingested commits of these pull requests (default: of every stored PR, since
 * commits ingested after their PR was synced have not seen its facts yet); returns how many changed.
 */
export async function reclassifyPullRequestCommits(store: RepoStore, numbers?: readonly number[]): Promise<number> {
  const shas = await pullRequestCommitShas(store, numbers);
  // Commits not ingested yet are skipped by refreshProvenance; the ingest classifies them with the PR facts later.
  return shas.size === 0 ? 0 : refreshProvenance(store, [...shas]);
}

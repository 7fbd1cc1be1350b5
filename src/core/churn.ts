/**
 * Churn of agent-written lines, pure: the share of the lines a commit wrote that were changed or
 * deleted within 14 and 30 days. Input is the forward blame grasp already keeps (for each version
 * of a file, how many of its lines each commit introduced), one lineage per file (renames continue
 * a lineage; a deletion is a version with no lines).
 *
 *     survived(c, d) = Σ files: lines of c in the file's latest version dated <= at(c) + d days
 *     churn(d)       = Σ commits (introduced − survived) / Σ commits introduced
 *
 * Only commits at least d days old count, in numerator and denominator alike: a commit from
 * yesterday has not had 14 days to be rewritten, and counting it as "survived" would flatter.
 */
const DAY = 86_400;

export interface FileVersion {
  /** The commit that wrote this version. */
  sha: string;
  /** Epoch seconds of that commit. */
  at: number;
  /** Lines of this version by the commit that introduced them. */
  linesBy: ReadonlyMap<string, number>;
}

export interface CommitLines {
  sha: string;
  at: number;
  introduced: number;
  /** null when the commit is younger than the window at `now`. */
  survived14: number | null;
  survived30: number | null;
}

/** Index of the latest version dated <= deadline (versions sorted by time), -1 when none. */
function latestAt(versions: readonly FileVersion[], deadline: number): number {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (versions[mid]!.at <= deadline) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Per commit: lines introduced (in the version it wrote) and how many survived each window. */
export function commitSurvival(lineages: readonly (readonly FileVersion[])[], now: number): Map<string, CommitLines> {
  const out = new Map<string, CommitLines>();
  for (const raw of lineages) {
    const versions = [...raw].sort((a, b) => a.at - b.at);
    for (const v of versions) {
      const introduced = v.linesBy.get(v.sha) ?? 0;
      if (introduced <= 0) continue;
      let row = out.get(v.sha);
      if (!row) out.set(v.sha, (row = { sha: v.sha, at: v.at, introduced: 0, survived14: null, survived30: null }));
      row.introduced += introduced;
      // A binary search, not a scan from the first version: lineages of busy files are long.
      const deadline14 = v.at + 14 * DAY;
      if (deadline14 <= now) row.survived14 = (row.survived14 ?? 0) + (versions[latestAt(versions, deadline14)]?.linesBy.get(v.sha) ?? 0);
      const deadline30 = v.at + 30 * DAY;
      if (deadline30 <= now) row.survived30 = (row.survived30 ?? 0) + (versions[latestAt(versions, deadline30)]?.linesBy.get(v.sha) ?? 0);
    }
  }
  return out;
}

export interface ChurnFigure {
  /** Lines changed or deleted within the window. */
  churned: number;
  /** Lines written by commits old enough for the window. */
  lines: number;
  /** churned / lines, null with no such lines. */
  share: number | null;
}

export function churnOf(commits: Iterable<CommitLines>, days: 14 | 30): ChurnFigure {
  let churned = 0;
  let lines = 0;
  for (const c of commits) {
    const survived = days === 14 ? c.survived14 : c.survived30;
    if (survived === null) continue;
    lines += c.introduced;
    churned += Math.max(0, c.introduced - Math.min(survived, c.introduced));
  }
  return { churned, lines, share: lines === 0 ? null : churned / lines };
}

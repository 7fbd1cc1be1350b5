/**
 * Checklist speed (issue 7): time `buildChecklist` + Markdown for a range of about 2,000 changed
 * lines over about 60 files of the bench repository (goal < 2 s). The database must already hold
 * the repository ingested and analyzed.
 */
import { desc, inArray, lte } from 'drizzle-orm';
import { buildChecklist } from '../src/checklist/build.ts';
import { formatChecklistMarkdown } from '../src/checklist/markdown.ts';
import { commitsInRange } from '../src/db/repo/targets.ts';
import { commits, fileChanges } from '../src/db/schema.ts';
import { chunk, type RepoStore } from '../src/db/store.ts';
import { median } from './common.ts';

export interface ChecklistBench {
  base: string;
  head: string;
  commits: number;
  files: number;
  changedLines: number;
  items: number;
  flags: number;
  effortMinutes: number;
  /** Median wall time of buildChecklist + formatChecklistMarkdown. */
  ms: number;
  runs: number;
}

/** Times the checklist of base..head (median of `runs`, after one warm-up run). */
export async function benchChecklist(store: RepoStore, base: string, head: string, runs = 3): Promise<ChecklistBench> {
  const shas = await commitsInRange(store, base, head);
  const size = await rangeSize(store, shas);
  let last = await buildChecklist(store, { base, head });
  formatChecklistMarkdown(last);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await buildChecklist(store, { base, head });
    formatChecklistMarkdown(last);
    times.push(performance.now() - t);
  }
  return {
    base,
    head,
    commits: shas.length,
    ...size,
    items: last.items.length,
    flags: last.counts.flags,
    effortMinutes: last.effortMinutes,
    ms: median(times),
    runs,
  };
}

async function rangeSize(store: RepoStore, shas: readonly string[]): Promise<{ files: number; changedLines: number }> {
  const paths = new Set<string>();
  let changedLines = 0;
  for (const part of chunk([...shas], Math.max(1, store.maxParams - 4))) {
    const rows = await store.db
      .select({ path: fileChanges.path, added: fileChanges.added, deleted: fileChanges.deleted, viaMerge: fileChanges.viaMerge })
      .from(fileChanges)
      .where(inArray(fileChanges.sha, part));
    for (const r of rows) {
      if (r.viaMerge) continue;
      paths.add(r.path);
      changedLines += (r.added ?? 0) + (r.deleted ?? 0);
    }
  }
  return { files: paths.size, changedLines };
}

/**
 * A range ending at the newest commit whose size first reaches `lines` changed lines and `files`
 * files, going back one commit (by ingest order) at a time. null when the history is smaller.
 */
export async function pickRange(store: RepoStore, target = { lines: 2000, files: 60 }, maxBack = 400): Promise<{ base: string; head: string } | null> {
  const [top] = await store.db.select({ sha: commits.sha, seq: commits.seq }).from(commits).orderBy(desc(commits.seq)).limit(1);
  if (!top) return null;
  const candidates = await store.db
    .select({ sha: commits.sha })
    .from(commits)
    .where(lte(commits.seq, top.seq))
    .orderBy(desc(commits.seq))
    .limit(maxBack);
  for (let back = 1; back < candidates.length; back++) {
    const base = candidates[back]!.sha;
    const size = await rangeSize(store, await commitsInRange(store, base, top.sha));
    if (size.changedLines >= target.lines && size.files >= target.files) return { base, head: top.sha };
  }
  return null;
}

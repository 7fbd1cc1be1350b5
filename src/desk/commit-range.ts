/**
 * base..head for many ranges of one repository without reading its whole history per range:
 * commits are read newest first in growing windows (shared by every range of the queue), and
 * each range is painted down from its two tips, as git does, until no commit reachable from head
 * alone is left to visit. The answer is the set commitsInRange (src/db/repo/targets.ts) gives:
 * reachable from head and not from base. Both rely on the stored seq being topological (every
 * parent has a lower seq), so a commit's flags are final once every higher seq was visited.
 */
import { commitsBetweenSeqs, type GraphRow } from '../db/repo/queue.ts';
import type { RepoStore } from '../db/store.ts';

const FROM_HEAD = 1;
const FROM_BASE = 2;
const FIRST_WINDOW = 256;

export class CommitWindows {
  /** Loaded commits, newest first, every seq in (floor, top]. */
  private readonly rows: GraphRow[] = [];
  private floor: number;
  private size = FIRST_WINDOW;

  constructor(
    private readonly store: RepoStore,
    /** The highest seq any range will start from. */
    private readonly top: number,
  ) {
    this.floor = top;
  }

  /** The i-th newest commit at or below `top`; undefined past the first commit. */
  private async at(i: number): Promise<GraphRow | undefined> {
    while (i >= this.rows.length && this.floor > 0) {
      const below = Math.max(0, this.floor - this.size);
      this.rows.push(...(await commitsBetweenSeqs(this.store, below, this.floor)));
      this.floor = below;
      this.size *= 2;
    }
    return this.rows[i];
  }

  /** Index of the newest loaded commit with seq <= `seq` (loading down to it). */
  private async indexAtOrBelow(seq: number): Promise<number> {
    let i = 0;
    // Ranges start near the top: a short scan, not a search.
    for (let row = await this.at(i); row && row.seq > seq; row = await this.at(++i));
    return i;
  }

  /** Shas reachable from head and not from base. */
  async range(base: { sha: string; seq: number }, head: { sha: string; seq: number }): Promise<string[]> {
    const pending = new Map<string, number>([[head.sha, FROM_HEAD]]);
    pending.set(base.sha, (pending.get(base.sha) ?? 0) | FROM_BASE);
    let headOnly = pending.get(head.sha) === FROM_HEAD ? 1 : 0;
    const out: string[] = [];
    for (let i = await this.indexAtOrBelow(Math.max(base.seq, head.seq)); headOnly > 0; i++) {
      const row = await this.at(i);
      if (!row) break;
      const flags = pending.get(row.sha);
      if (flags === undefined) continue;
      pending.delete(row.sha);
      if (flags === FROM_HEAD) {
        headOnly--;
        out.push(row.sha);
      }
      for (const parent of row.parents) {
        const before = pending.get(parent) ?? 0;
        const after = before | flags;
        if (after === before) continue;
        if (before === FROM_HEAD) headOnly--;
        if (after === FROM_HEAD) headOnly++;
        pending.set(parent, after);
      }
    }
    return out;
  }
}

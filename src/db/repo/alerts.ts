/** Repository layer for stale-understanding alerts: the commit that moved a symbol off a marked version. */
import { and, eq, inArray } from 'drizzle-orm';
import { commits, symbolChanges } from '../schema.ts';
import { chunk, type Store } from '../store.ts';

export interface ChangingCommit {
  sha: string;
  seq: number;
  at: number;
  author: string;
  kind: 'agent' | 'human' | 'bot';
  agent: string | null;
}

const pairKey = (symbolId: number, hash: string) => `${symbolId}\0${hash}`;

/**
 * For each (symbol, marked hash): the first commit whose change of that symbol started from the
 * marked hash, i.e. the change that made the mark stale. Missing when history does not say.
 */
export async function commitsLeavingVersions(store: Store, pairs: readonly { symbolId: number; hash: string }[]): Promise<Map<string, ChangingCommit>> {
  const out = new Map<string, ChangingCommit>();
  const wanted = new Set(pairs.map((p) => pairKey(p.symbolId, p.hash)));
  const ids = [...new Set(pairs.map((p) => p.symbolId))];
  for (const part of chunk(ids, Math.max(1, store.maxParams - 2))) {
    const rows = await store.db
      .select({
        symbolId: symbolChanges.symbolId,
        oldHash: symbolChanges.oldHash,
        sha: commits.sha,
        seq: commits.seq,
        at: commits.authorDate,
        author: commits.authorName,
        kind: commits.kind,
        agent: commits.agent,
      })
      .from(symbolChanges)
      .innerJoin(commits, and(eq(commits.repoId, symbolChanges.repoId), eq(commits.sha, symbolChanges.sha)))
      .where(inArray(symbolChanges.symbolId, part))
      .orderBy(commits.seq)
      .all();
    for (const r of rows) {
      if (r.oldHash === null) continue;
      const key = pairKey(r.symbolId, r.oldHash);
      if (wanted.has(key) && !out.has(key)) out.set(key, { sha: r.sha, seq: r.seq, at: r.at, author: r.author, kind: r.kind, agent: r.agent });
    }
  }
  return out;
}

export { pairKey as versionKey };

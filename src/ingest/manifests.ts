/**
 * Ingest-side helper (Node only, reads git): stores the text of every package.json version the
 * history touched in `blob_texts`, so checklists can diff dependencies from the database alone
 * (on Workers too). Incremental: blobs already stored are skipped. Call it after `grasp ingest`.
 */
import { manifestChanges, storeBlobTexts, storedBlobTexts } from '../db/repo/manifests.ts';
import type { RepoStore } from '../db/store.ts';
import { CatFileBatch } from '../git/cat-file.ts';
import { isManifestPath } from '../core/path-category.ts';

/** Manifests over this size are not stored (no real package.json comes close). */
export const MAX_MANIFEST_BYTES = 1 << 20;

/** Stores texts of package.json blobs not stored yet; returns how many were added. */
export async function collectManifestTexts(store: RepoStore, repoRoot: string): Promise<number> {
  const wanted = new Set<string>();
  for (const r of await manifestChanges(store)) {
    if (isManifestPath(r.path) && r.newBlob) wanted.add(r.newBlob);
    if (isManifestPath(r.oldPath ?? r.path) && r.oldBlob) wanted.add(r.oldBlob);
  }
  const zero = /^0+$/;
  const candidates = [...wanted].filter((b) => !zero.test(b));
  const known = await storedBlobTexts(store, candidates);
  const missing = candidates.filter((b) => !known.has(b));
  if (missing.length === 0) return 0;
  const cat = new CatFileBatch(repoRoot);
  let added = 0;
  try {
    for (let i = 0; i < missing.length; i += 500) {
      const part = missing.slice(i, i + 500);
      const blobs = await Promise.all(part.map((oid) => cat.readBlob(oid)));
      const values = part.flatMap((blob, j) => {
        const content = blobs[j];
        return content && content.length <= MAX_MANIFEST_BYTES ? [{ blob, text: content.toString('utf8') }] : [];
      });
      await storeBlobTexts(store, values);
      added += values.length;
    }
  } finally {
    await cat.close();
  }
  return added;
}

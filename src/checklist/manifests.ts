/**
 * Ingest-side helper (Node only, reads git): stores the text of every package.json version the
 * history touched in `blob_texts`, so checklists can diff dependencies from the database alone
 * (on Workers too). Incremental: blobs already stored are skipped. Call it after `grasp ingest`.
 */
import { inArray, like, or, eq } from 'drizzle-orm';
import { runGit } from '../git/run.ts';
import { blobTexts, fileChanges } from '../db/schema.ts';
import { chunk, type Store } from '../db/store.ts';
import { isManifestPath } from './dependencies.ts';

/** Manifests over this size are not stored (no real package.json comes close). */
export const MAX_MANIFEST_BYTES = 1 << 20;

/** Reads blobs with one `git cat-file --batch`; missing objects are left out. */
async function readBlobs(root: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (oids.length === 0) return out;
  const r = await runGit(root, ['cat-file', '--batch'], oids.map((o) => `${o}\n`).join(''));
  const buf = r.stdout;
  let pos = 0;
  for (const oid of oids) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) continue; // "<oid> missing"
    const size = Number(m[3]);
    if (m[2] === 'blob') out.set(oid, buf.subarray(pos, pos + size));
    pos += size + 1;
  }
  return out;
}

/** Stores texts of package.json blobs not stored yet; returns how many were added. */
export async function collectManifestTexts(store: Store, repoRoot: string): Promise<number> {
  const rows = await store.db
    .select({ path: fileChanges.path, oldPath: fileChanges.oldPath, oldBlob: fileChanges.oldBlob, newBlob: fileChanges.newBlob })
    .from(fileChanges)
    .where(or(eq(fileChanges.path, 'package.json'), like(fileChanges.path, '%/package.json'), like(fileChanges.oldPath, '%package.json')));
  const wanted = new Set<string>();
  for (const r of rows) {
    if (isManifestPath(r.path) && r.newBlob) wanted.add(r.newBlob);
    if (isManifestPath(r.oldPath ?? r.path) && r.oldBlob) wanted.add(r.oldBlob);
  }
  const zero = /^0+$/;
  const candidates = [...wanted].filter((b) => !zero.test(b));
  const known = new Set<string>();
  for (const part of chunk(candidates, Math.max(1, store.maxParams - 2))) {
    for (const r of await store.db.select({ blob: blobTexts.blob }).from(blobTexts).where(inArray(blobTexts.blob, part))) known.add(r.blob);
  }
  const missing = candidates.filter((b) => !known.has(b));
  let added = 0;
  for (const part of chunk(missing, 500)) {
    const blobs = await readBlobs(repoRoot, part);
    const values = [...blobs]
      .filter(([, b]) => b.length <= MAX_MANIFEST_BYTES)
      .map(([blob, b]) => ({ blob, text: b.toString('utf8') }));
    await store.atomic(store.insertIgnore(blobTexts, values));
    added += values.length;
  }
  return added;
}

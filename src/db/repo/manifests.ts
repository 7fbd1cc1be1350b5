/** Queries behind the manifest texts (package.json versions kept for the checklist's dependency diff). */
import { eq, inArray, like, or } from 'drizzle-orm';
import { blobTexts, fileChanges } from '../schema.ts';
import { chunk, type Store } from '../store.ts';

/** Every (path, old path, old blob, new blob) of a change that touched a file named package.json. */
export async function manifestChanges(store: Store) {
  return store.db
    .select({ path: fileChanges.path, oldPath: fileChanges.oldPath, oldBlob: fileChanges.oldBlob, newBlob: fileChanges.newBlob })
    .from(fileChanges)
    .where(or(eq(fileChanges.path, 'package.json'), like(fileChanges.path, '%/package.json'), like(fileChanges.oldPath, '%package.json')));
}

/** Which of these blobs already have their text stored. */
export async function storedBlobTexts(store: Store, blobs: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (const part of chunk([...blobs], Math.max(1, store.maxParams - 2))) {
    for (const r of await store.db.select({ blob: blobTexts.blob }).from(blobTexts).where(inArray(blobTexts.blob, part))) known.add(r.blob);
  }
  return known;
}

export async function storeBlobTexts(store: Store, rows: { blob: string; text: string }[]): Promise<void> {
  await store.atomic(store.insertIgnore(blobTexts, rows));
}

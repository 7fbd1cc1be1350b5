/**
 * Symbol ids are namespaced by repository: repository R numbers its symbols in
 * [(R-1)·2^32 + 1, R·2^32). Why namespaced and not content-derived: an identity outlives its
 * content (a rename or an edit keeps the id, and marks point at it), so no hash of the content can
 * name it; and repository 1's range is exactly the ids every database numbered before repositories
 * existed, so an upgraded database keeps every id and every mark's `symbol_id` unchanged.
 *
 * `grasp push` sends ids relative to the repository (the offset within its range) and the service
 * adds its own base: the service's repository id differs from the local one, but the same local
 * symbol always lands on the same service id, so marks written on the service survive re-pushes.
 * 2^32 ids per repository and 2^21 repositories stay within JavaScript's safe integers.
 */
export const SYMBOL_ID_SPAN = 2 ** 32;

/** The highest repository id whose namespace stays within Number.MAX_SAFE_INTEGER. */
export const MAX_NAMESPACED_REPO_ID = Math.floor(Number.MAX_SAFE_INTEGER / SYMBOL_ID_SPAN);

function checkRepoId(repoId: number): void {
  if (!Number.isSafeInteger(repoId) || repoId < 1 || repoId > MAX_NAMESPACED_REPO_ID) throw new Error(`repository id ${repoId} has no symbol id namespace`);
}

/** The id just below the repository's range: its symbols are `symbolIdBase(R) + offset`, offset >= 1. */
export function symbolIdBase(repoId: number): number {
  checkRepoId(repoId);
  return (repoId - 1) * SYMBOL_ID_SPAN;
}

/** Inclusive id range of a repository's symbols. */
export function symbolIdRange(repoId: number): { lo: number; hi: number } {
  const base = symbolIdBase(repoId);
  return { lo: base + 1, hi: base + SYMBOL_ID_SPAN - 1 };
}

/** Offset of an id within its repository's range (1 .. 2^32-1); throws for an id outside it. */
export function symbolIdOffset(repoId: number, id: number): number {
  const offset = id - symbolIdBase(repoId);
  if (!Number.isSafeInteger(offset) || offset < 1 || offset >= SYMBOL_ID_SPAN) throw new Error(`symbol id ${id} lies outside repository ${repoId}'s range`);
  return offset;
}

/** The id of `offset` in a repository's range. */
export function symbolIdAt(repoId: number, offset: number): number {
  if (!Number.isSafeInteger(offset) || offset < 1 || offset >= SYMBOL_ID_SPAN) throw new Error(`symbol id offset ${offset} is out of range`);
  return symbolIdBase(repoId) + offset;
}

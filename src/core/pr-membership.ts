/** Which commits belong to which pull request, from one parent map (pure; no process per PR). */

/**
 * For each PR head: its commits not on the base line, oldest first (parents before children), found by
 * walking parents inside `pullOnly` (commits reachable from some PR head but not from the base tip).
 */
export function prCommitLists(heads: ReadonlyMap<number, string>, pullOnly: ReadonlyMap<string, readonly string[]>): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [number, head] of heads) {
    const seen = new Set<string>();
    const order: string[] = [];
    // Iterative post-order: a commit is listed after its parents.
    const stack: [string, boolean][] = [[head, false]];
    while (stack.length) {
      const [sha, done] = stack.pop()!;
      if (done) {
        order.push(sha);
        continue;
      }
      if (seen.has(sha) || !pullOnly.has(sha)) continue;
      seen.add(sha);
      stack.push([sha, true]);
      for (const p of pullOnly.get(sha)!) if (!seen.has(p)) stack.push([p, false]);
    }
    if (order.length) out.set(number, order);
  }
  return out;
}

/**
 * The order to read a change in, pure: contracts first (types, interfaces, enums, changed exported
 * signatures), then implementations with every callee before its callers, then the callers outside
 * the change (read for impact), then code that only references changed types, then tests.
 *
 * "A calls B" is approximated without a type checker: A's text mentions B's simple name as an
 * identifier. Within a group the order is topological over those edges; ties and cycles are broken
 * by (file, line, name), so the same input always gives the same order.
 */

export type ReadingGroup = 'contract' | 'implementation' | 'caller' | 'reference' | 'test';

export interface ReadingNode {
  key: string;
  /** Simple name other code calls it by ('' = nothing can refer to it, e.g. a file-level item). */
  name: string;
  file: string;
  /** Sort position within the file (null sorts last). */
  line: number | null;
  group: ReadingGroup;
  /** Identifiers the node's text mentions (see identifiersOf). */
  mentions: ReadonlySet<string>;
}

export interface OrderedNode {
  key: string;
  group: ReadingGroup;
  order: number;
}

const GROUPS: readonly ReadingGroup[] = ['contract', 'implementation', 'caller', 'reference', 'test'];

function compareNodes(a: ReadingNode, b: ReadingNode): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const la = a.line ?? Number.MAX_SAFE_INTEGER;
  const lb = b.line ?? Number.MAX_SAFE_INTEGER;
  if (la !== lb) return la - lb;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Topological order of `nodes` where each node comes after the nodes it mentions (callee first).
 * Kahn's algorithm picking the smallest ready node; when only cycles remain, the smallest
 * remaining node goes next as if its unmet callees were already read.
 */
export function calleesFirst(nodes: readonly ReadingNode[]): ReadingNode[] {
  const sorted = [...nodes].sort(compareNodes);
  const byName = new Map<string, number[]>();
  sorted.forEach((n, i) => {
    if (n.name === '') return;
    const list = byName.get(n.name);
    if (list) list.push(i);
    else byName.set(n.name, [i]);
  });
  // callees[i]: indexes node i mentions; callers[j]: indexes that mention j.
  const pending = sorted.map(() => 0);
  const callers: number[][] = sorted.map(() => []);
  sorted.forEach((n, i) => {
    const seen = new Set<number>();
    for (const id of n.mentions) {
      for (const j of byName.get(id) ?? []) {
        if (j === i || seen.has(j)) continue;
        seen.add(j);
        pending[i]!++;
        callers[j]!.push(i);
      }
    }
  });
  const done = sorted.map(() => false);
  const out: ReadingNode[] = [];
  // Node counts per checklist are small (hundreds), so a linear scan for the next node is enough.
  while (out.length < sorted.length) {
    let next = sorted.findIndex((_, i) => !done[i] && pending[i] === 0);
    if (next < 0) next = done.indexOf(false);
    done[next] = true;
    out.push(sorted[next]!);
    for (const c of callers[next]!) pending[c]!--;
  }
  return out;
}

/** Every node in reading order, numbered from 1: contracts, implementations, callers, tests. */
export function readingOrder(nodes: readonly ReadingNode[]): OrderedNode[] {
  const out: OrderedNode[] = [];
  for (const group of GROUPS) {
    for (const n of calleesFirst(nodes.filter((x) => x.group === group))) out.push({ key: n.key, group, order: out.length + 1 });
  }
  return out;
}

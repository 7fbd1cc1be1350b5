/**
 * Issue 15: the digest's faster paths change no result. Over random histories and marks across
 * three repositories (two of them copies of one library: same paths, names and content hashes):
 * - the weekly snapshots from one replay per symbol and one pass over the marks (takeSnapshots)
 *   equal a straightforward replay per instant (kept below as the reference: the digest's previous
 *   code) and `deriveMarkStates` over the marks before each instant;
 * - every engineer's stale-understanding alerts from one team-wide derivation (loadTeamAlerts)
 *   equal `loadEngineerAlerts` run for each engineer on its own, on a real SQLite database.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { commits, engineers, marks, repos, symbolChanges, symbols } from '../../src/db/schema.ts';
import { deriveUnderstanding } from '../../src/core/debt.ts';
import { deriveMarkStates } from '../../src/core/marks.ts';
import type { HeadSymbolRow, MarkRow, VersionRow } from '../../src/db/repo/digest.ts';
import type { Store } from '../../src/db/store.ts';
import { loadEngineerAlerts, loadTeamAlerts } from '../../src/desk/alerts.ts';
import { indexHistory, takeSnapshots, type SnapshotSymbol } from '../../src/digest/snapshot.ts';
import { staleUnderstanding } from '../../src/digest/stale.ts';
import { openTempStore } from '../helpers/marks-seed.ts';

// ---------------------------------------------------------------------------------------------
// Reference: one symbol's history replayed from scratch for one instant (the previous code).

function referenceVersionAt(list: readonly VersionRow[], at: number, head: HeadSymbolRow | undefined): SnapshotSymbol | null {
  let current: SnapshotSymbol | null = null;
  let authors = new Set<string>();
  let lastAgentChangeAt: number | null = null;
  const changes: { at: number; count: number }[] = [];
  for (const v of list) {
    if (v.at >= at) continue;
    if (v.change === 'deleted' || v.hash === null) {
      current = null;
      authors = new Set();
      changes.length = 0;
      lastAgentChangeAt = null;
      continue;
    }
    changes.push({ at: v.at, count: 1 });
    const length = Math.max(1, v.endLine - v.startLine + 1);
    const added = Math.max(0, v.agentLines) + Math.max(0, v.humanLines);
    const prevTotal: number = current ? current.agentLines + current.humanLines : 0;
    const carried = prevTotal > 0 ? Math.max(0, Math.min(prevTotal, length - added)) : 0;
    const carriedAgent: number = prevTotal > 0 ? (carried * current!.agentLines) / prevTotal : 0;
    if (added >= length) authors = new Set();
    if (added > 0) authors.add(v.authorEmail);
    if (v.agentLines > 0) lastAgentChangeAt = v.at;
    current = {
      id: v.symbolId, repoId: v.repoId, file: v.file, name: v.name, kind: v.kind, hash: v.hash, startLine: v.startLine, endLine: v.endLine, complexity: v.complexity,
      agentLines: Math.round(Math.max(0, v.agentLines) + carriedAgent),
      humanLines: Math.round(Math.max(0, v.humanLines) + (carried - carriedAgent)),
      authors: [...authors], changes, lastAgentChangeAt,
    };
  }
  if (current && head && head.alive && head.hash === current.hash) {
    current.agentLines = head.agentLines;
    current.humanLines = head.humanLines;
    current.authors = (JSON.parse(head.authors) as string[]).map((e) => e.toLowerCase());
  }
  if (current) current.changes = [...changes];
  return current;
}

function referenceSymbolsAt(versions: readonly VersionRow[], heads: readonly HeadSymbolRow[], at: number): SnapshotSymbol[] {
  const bySymbol = new Map<number, VersionRow[]>();
  for (const v of versions) bySymbol.set(v.symbolId, [...(bySymbol.get(v.symbolId) ?? []), v]);
  const headOf = new Map(heads.map((h) => [h.id, h]));
  const out: SnapshotSymbol[] = [];
  for (const [id, list] of bySymbol) {
    const s = referenceVersionAt([...list].sort((a, b) => a.seq - b.seq), at, headOf.get(id));
    if (s) out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Random histories: 3 repositories, repository 3 a copy of repository 1 (same paths and hashes).

const REPOS = 3;
const SYMBOLS_PER_REPO = 4;
const ENGINEERS = 4;
const symbolIdOf = (repo: number, local: number) => (repo - 1) * SYMBOLS_PER_REPO + local + 1;
const library = (repo: number) => (repo === 3 ? 1 : repo);
const fileOf = (local: number) => `src/f${local % 2}.ts`;
const nameOf = (local: number) => `fn${local % 3}`; // fn0 twice in src/f0.ts's repositories' copies
const hashOf = (repo: number, local: number, version: number) => `lib${library(repo)}-s${local}-v${version}`;

interface Change {
  repo: number;
  local: number;
  /** Author date offset; commits are not always in author-date order (a rebase, a backdated commit). */
  at: number;
  deleted: boolean;
  agentLines: number;
  humanLines: number;
  author: number;
}
const changeArb: fc.Arbitrary<Change> = fc.record({
  repo: fc.integer({ min: 1, max: REPOS }),
  local: fc.integer({ min: 0, max: SYMBOLS_PER_REPO - 1 }),
  at: fc.integer({ min: 0, max: 60 }),
  deleted: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  agentLines: fc.integer({ min: 0, max: 12 }),
  humanLines: fc.integer({ min: 0, max: 12 }),
  author: fc.integer({ min: 0, max: ENGINEERS - 1 }),
});
const markArb = fc.record({
  engineer: fc.integer({ min: 1, max: ENGINEERS }),
  repo: fc.integer({ min: 1, max: REPOS }),
  local: fc.integer({ min: 0, max: SYMBOLS_PER_REPO - 1 }),
  /** Which version of the symbol (counted back from its latest), so marks fall on old and current ones. */
  back: fc.integer({ min: 0, max: 3 }),
  level: fc.constantFrom('viewed' as const, 'reviewed' as const, 'explained' as const),
  at: fc.integer({ min: 0, max: 70 }),
  byId: fc.boolean(),
});

type MarkSeed = typeof markArb extends fc.Arbitrary<infer M> ? M : never;

const T0 = 1_750_000_000;
const HOUR = 3600;

/** The history as the digest reads it, and the state at head. */
function historyOf(changes: readonly Change[]): { versions: VersionRow[]; heads: HeadSymbolRow[]; versionCount: Map<number, number> } {
  const versionCount = new Map<number, number>();
  const versions: VersionRow[] = changes.map((c, i) => {
    const id = symbolIdOf(c.repo, c.local);
    const n = versionCount.get(id) ?? 0;
    versionCount.set(id, n + 1);
    return {
      symbolId: id, repoId: c.repo, file: fileOf(c.local), name: nameOf(c.local), kind: 'function', change: c.deleted ? 'deleted' : n === 0 ? 'added' : 'modified',
      hash: c.deleted ? null : hashOf(c.repo, c.local, n), startLine: 1, endLine: 10, complexity: 1 + c.local, agentLines: c.agentLines, humanLines: c.humanLines,
      seq: i + 1, at: T0 + c.at * HOUR, authorEmail: `eng${c.author}@example.com`,
    };
  });
  const last = new Map<number, VersionRow>();
  for (const v of versions) last.set(v.symbolId, v);
  const heads = [...last.values()].map((v) => ({ id: v.symbolId, repoId: v.repoId, hash: v.hash ?? 'gone', alive: v.hash !== null, agentLines: v.agentLines, humanLines: v.humanLines, authors: JSON.stringify([v.authorEmail]) }));
  return { versions, heads, versionCount };
}

/** In-memory mark rows on the generated history (what loadDigestInputs reads from `marks`). */
function markRowsOf(changes: readonly Change[], seeds: readonly MarkSeed[]): MarkRow[] {
  const { versionCount } = historyOf(changes);
  return seeds.map((m, i) => {
    const symbolId = symbolIdOf(m.repo, m.local);
    const hash = hashOf(m.repo, m.local, Math.max(0, (versionCount.get(symbolId) ?? 1) - 1 - m.back));
    return { id: i + 1, engineerId: m.engineer, repoId: m.repo, symbolId: m.byId ? symbolId : null, file: fileOf(m.local), name: nameOf(m.local), hash, level: m.level, createdAt: T0 + m.at * HOUR };
  });
}

describe('takeSnapshots', () => {
  it('equals a replay from scratch and a full mark derivation at each instant, whatever the history, marks and instants', () => {
    const emailOwner = new Map(Array.from({ length: ENGINEERS }, (_, i) => [`eng${i}@example.com`, i + 1]));
    fc.assert(
      fc.property(
        fc.array(changeArb, { maxLength: 40 }),
        fc.array(markArb, { maxLength: 40 }),
        fc.array(fc.integer({ min: -5, max: 75 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (changes, seeds, offsets, stale) => {
          const { versions, heads } = historyOf(changes);
          const markRows = markRowsOf(changes, seeds);
          const instants = offsets.map((o) => T0 + o * HOUR).sort((a, b) => a - b);
          const snapshots = takeSnapshots(indexHistory(versions, heads, markRows, emailOwner), instants, (i) => stale[i]!);
          instants.forEach((at, i) => {
            const symbols = referenceSymbolsAt(versions, heads, at);
            expect(snapshots[i]!.symbols).toEqual(symbols);
            if (!stale[i]) return; // the fresh-only path is checked against the full one in snapshot.test.ts
            const states = deriveMarkStates(markRows.filter((m) => m.createdAt < at), symbols).map((s) => ({ engineerId: s.engineerId, symbolId: s.symbol.id, level: s.mark.level, stale: s.stale }));
            expect(snapshots[i]!.understanding).toEqual(deriveUnderstanding(symbols, states, emailOwner));
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Team alerts on a real database.

async function seed(store: Store, changes: readonly Change[], markRows: readonly MarkSeed[]): Promise<void> {
  const { versions, heads, versionCount } = historyOf(changes);
  await store.db.insert(repos).values(Array.from({ length: REPOS }, (_, i) => ({ id: i + 1, name: `team/r${i + 1}`, path: `/src/r${i + 1}`, head: null })));
  await store.db.insert(engineers).values(Array.from({ length: ENGINEERS }, (_, i) => ({ id: i + 1, handle: `eng${i}`, name: `Engineer ${i}` })));
  for (const v of versions) {
    const sha = v.seq.toString(16).padStart(40, '0');
    await store.db.insert(commits).values({
      repoId: v.repoId, sha, seq: v.seq, parents: '[]', authorName: v.authorEmail, authorEmail: v.authorEmail, authorDate: v.at, committerName: v.authorEmail,
      committerEmail: v.authorEmail, committerDate: v.at, subject: `c${v.seq}`, message: `c${v.seq}`, kind: v.agentLines > 0 ? 'agent' : 'human', agent: v.agentLines > 0 ? 'claude' : null, confidence: 1,
    });
    const previous = versions.filter((w) => w.symbolId === v.symbolId && w.seq < v.seq).pop();
    await store.db.insert(symbolChanges).values({
      repoId: v.repoId, sha, symbolId: v.symbolId, file: v.file, name: v.name, kind: 'function', change: v.change, hash: v.hash, oldHash: previous?.hash ?? null, startLine: 1, endLine: 10,
    });
  }
  for (const h of heads) {
    const v = versions.filter((w) => w.symbolId === h.id).pop()!;
    await store.db.insert(symbols).values({ id: h.id, repoId: h.repoId, file: v.file, name: v.name, kind: 'function', alive: h.alive, hash: h.hash, startLine: 1, endLine: 10 });
  }
  let id = 0;
  for (const m of markRows) {
    const symbolId = symbolIdOf(m.repo, m.local);
    const count = versionCount.get(symbolId) ?? 1;
    const hash = hashOf(m.repo, m.local, Math.max(0, count - 1 - m.back));
    await store.db.insert(marks).values({
      id: ++id, engineerId: m.engineer, repoId: m.repo, symbolId: m.byId ? symbolId : null, file: fileOf(m.local), name: nameOf(m.local), hash, level: m.level,
      source: 'cli', target: `${fileOf(m.local)}#${nameOf(m.local)}`, createdAt: T0 + m.at * HOUR,
    });
  }
}

describe('loadTeamAlerts', () => {
  const opened: Store[] = [];
  afterAll(() => opened.forEach((s) => s.close()));

  it("equals each engineer's alerts derived on their own, and so does the digest's stale understanding", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(changeArb, { maxLength: 30 }), fc.array(markArb, { maxLength: 40 }), async (changes, markRows) => {
        const store = openTempStore();
        opened.push(store);
        await seed(store, changes, markRows);
        const team = Array.from({ length: ENGINEERS }, (_, i) => ({ id: i + 1, handle: `eng${i}` }));
        const alone = [];
        for (const e of team) alone.push(await loadEngineerAlerts(store, e, { diffs: false }));
        expect(await loadTeamAlerts(store, team)).toEqual(alone);

        // The digest's section, against the same filter applied to each engineer's own alerts.
        const week = { start: T0 + 20 * HOUR, end: T0 + 50 * HOUR };
        const [from, to] = [new Date(week.start * 1000).toISOString(), new Date(week.end * 1000).toISOString()];
        const expected = alone
          .map((a) => ({ engineer: a.engineer, items: a.items.filter((i) => i.commit !== null && i.commit.at >= from && i.commit.at < to) }))
          .filter((a) => a.items.length > 0)
          .map((a) => ({ engineer: a.engineer, count: a.items.length, items: a.items.slice(0, 20).map((i) => ({ symbol: i.symbol, file: i.file, level: i.level, markedAt: i.markedAt, commit: i.commit! })) }))
          .sort((a, b) => b.count - a.count || a.engineer.localeCompare(b.engineer));
        expect(await staleUnderstanding(store, week)).toEqual(expected);
        store.close();
        opened.pop();
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

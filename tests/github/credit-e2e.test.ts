/**
 * Credit rules end to end: a real git repository, the real ingest, real ts-morph symbol analysis,
 * recorded GitHub responses naming that repository's commits, and the marks that come out.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBlobText } from '../../src/analysis/classify.ts';
import { diffCommitSymbols, type FileSymbols } from '../../src/analysis/diff.ts';
import type { BlobSymbol } from '../../src/analysis/types.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { blobAnalyses, commits, engineers, fileChanges, marks, reviews, symbolChanges, symbols } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { createGithubClient } from '../../src/github/client.ts';
import { syncGithub, type SyncReport } from '../../src/github/sync.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { loadScenario, recordedFetch } from '../fixtures/github/recorded-fetch.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';
import { join } from 'node:path';

const CART_C0 = `export function total(items: number[]): number {
  let sum = 0;
  for (const i of items) sum += i;
  return sum;
}

export class Cart {
  items: number[] = [];
  add(price: number): void {
    this.items.push(price);
  }
}
`;
// Line 5 is the rounding line bob comments on.
const CART_C1 = CART_C0.replace('  return sum;\n', '  // cents\n  return Math.round(sum * 100) / 100;\n');
const CART_C2 = CART_C1.replace('    this.items.push(price);\n', "    if (price < 0) throw new Error('negative price');\n    this.items.push(price);\n");
const CART_C4 = CART_C2.replace(
  /export function total[\s\S]*?\n}\n/,
  'export function total(items: number[]): number {\n  return Math.round(items.reduce((a, b) => a + b, 0) * 100) / 100;\n}\n',
);
const TAX_C0 = `export function rate(country: string): number {\n  return country === 'DE' ? 0.19 : 0.2;\n}\n`;
const TAX_C1 = `export function rate(country: string): number {\n  return country === 'DE' ? 0.19 : country === 'FR' ? 0.2 : 0.21;\n}\n`;

/** Fills blob_analyses, symbol_changes, symbols from the ingested history with the real analyzers. */
async function analyzeHistory(store: Store, fx: GitFixture): Promise<void> {
  const rows = await store.db.select().from(commits).orderBy(commits.seq).all();
  const ids = new Map<string, number>();
  const head = new Map<string, { file: string; name: string; sym: BlobSymbol; sha: string }>();
  const analyze = async (path: string, blob: string | null): Promise<BlobSymbol[] | null> => {
    if (!blob) return null;
    const a = analyzeBlobText(path, fx.git('cat-file', '-p', blob));
    await store.db
      .insert(blobAnalyses)
      .values({ blob, status: a.status, reason: a.reason, lineCount: a.lineCount, symbols: JSON.stringify(a.symbols) })
      .onConflictDoNothing();
    return a.status === 'ok' ? a.symbols : null;
  };
  for (const c of rows) {
    const files = await store.db.select().from(fileChanges).where(eq(fileChanges.sha, c.sha)).orderBy(fileChanges.idx).all();
    const input: FileSymbols[] = [];
    for (const f of files) {
      input.push({ path: f.path, oldPath: f.oldPath, oldSymbols: await analyze(f.oldPath ?? f.path, f.oldBlob), newSymbols: await analyze(f.path, f.newBlob), deleted: f.status === 'D' });
    }
    for (const e of diffCommitSymbols(input)) {
      const key = `${e.file}\u0000${e.name}`;
      if (!ids.has(key)) ids.set(key, ids.size + 1);
      const s = e.after ?? e.before!;
      await store.db.insert(symbolChanges).values({ repoId: 1,
        sha: c.sha, file: e.file, name: e.name, symbolId: ids.get(key)!, kind: e.kind, change: e.change,
        oldFile: e.oldFile, oldName: e.oldName, hash: e.after?.hash ?? null, oldHash: e.before?.hash ?? null,
        startLine: s.startLine, endLine: s.endLine,
      });
      if (e.after) head.set(key, { file: e.file, name: e.name, sym: e.after, sha: c.sha });
      else head.delete(key);
    }
    await store.db.update(commits).set({ analyzed: 1 }).where(eq(commits.sha, c.sha));
  }
  for (const [key, h] of head) {
    await store.db.insert(symbols).values({ repoId: 1,
      id: ids.get(key)!, file: h.file, name: h.name, kind: h.sym.kind, hash: h.sym.hash,
      startLine: h.sym.startLine, endLine: h.sym.endLine, lastSha: h.sha,
    });
  }
}

function symbolIn(text: string, path: string, name: string): BlobSymbol {
  const s = analyzeBlobText(path, text).symbols.find((x) => x.name === name);
  if (!s) throw new Error(`no ${name} in ${path}`);
  return s;
}

describe('GitHub reviews become marks', () => {
  let fx: GitFixture;
  let store: Store;
  let sha: Record<string, string>;
  let report: SyncReport;
  const ids: Record<string, number> = {};

  async function sync(): Promise<SyncReport> {
    const served = recordedFetch(loadScenario('credits', { ...sha, ghost: 'dead'.repeat(10) }));
    const client = createGithubClient({ token: 'ghp_test', fetch: served.fetch, sleep: async () => {} });
    const r = await syncGithub({ store, client, repository: 'acme/shop' });
    expect(served.violation()).toBeNull();
    return r;
  }

  const marksOf = (login: string) =>
    store.db.select().from(marks).where(eq(marks.engineerId, ids[login]!)).orderBy(marks.origin, marks.file, marks.name).all();

  beforeAll(async () => {
    fx = new GitFixture();
    sha = {};
    sha.c0 = fx.write('src/cart.ts', CART_C0).write('src/tax.ts', TAX_C0).commit({ message: 'cart and tax' });
    sha.c1 = fx.write('src/cart.ts', CART_C1).write('src/tax.ts', TAX_C1).commit({ message: 'round totals' });
    sha.c2 = fx.write('src/cart.ts', CART_C2).commit({ message: 'reject negative prices' });
    sha.c3 = fx.write('src/currency.ts', "export const CURRENCY = 'EUR';\n").commit({ message: 'add currency' });
    sha.c4 = fx.write('src/cart.ts', CART_C4).commit({ message: 'simplify totals' });
    store = openNodeStore(join(tempDir('grasp-gh-credit-'), 'grasp.db'));
    await ingestRepository(store, fx.dir);
    await analyzeHistory(store, fx);
    for (const [handle, login] of [['ada', 'ada-h'], ['bob', 'bob-b'], ['carol', 'carol-c'], ['dave', 'dave-d']] as const) {
      ids[login] = (await addEngineer(store, { handle, logins: [login] })).id;
    }
    report = await sync();
  });
  afterAll(() => {
    store?.close();
    fx?.cleanup();
  });

  it('a line comment credits `reviewed` on the symbol at the version the comment was written on', async () => {
    const totalAtC1 = symbolIn(CART_C1, 'src/cart.ts', 'total');
    expect(totalAtC1.startLine <= 5 && totalAtC1.endLine >= 5).toBe(true);
    const head = await store.db.select().from(symbols).where(and(eq(symbols.file, 'src/cart.ts'), eq(symbols.name, 'total'))).get();
    expect(head!.hash).not.toBe(totalAtC1.hash); // c4 changed it since: the mark is on the old version
    const comment = (await marksOf('bob-b')).filter((m) => m.origin === 'review-comment:70101');
    expect(comment.map((m) => [m.file, m.name, m.hash, m.level, m.source, m.target])).toEqual([
      ['src/cart.ts', 'total', totalAtC1.hash, 'reviewed', 'github', 'src/cart.ts#total'],
    ]);
    expect(comment[0]!.symbolId).toBe(head!.id);
    expect(comment[0]!.createdAt).toBe(Date.parse('2026-11-02T11:25:00Z') / 1000);
  });

  it('falls back to the symbol at head when the comment commit is unknown, and says so', async () => {
    const fallback = (await marksOf('bob-b')).filter((m) => m.origin === 'review-comment:70102');
    const rate = await store.db.select().from(symbols).where(eq(symbols.name, 'rate')).get();
    expect(fallback.map((m) => [m.name, m.hash, m.level])).toEqual([['rate', rate!.hash, 'reviewed']]);
    expect(report.credits.notes.some((n) => n.includes('comment 70102 on src/tax.ts:2') && n.includes('at head'))).toBe(true);
  });

  it('an approval credits the PR symbols at the approved version: `reviewed` in files the reviewer commented on', async () => {
    const approval = (await marksOf('bob-b')).filter((m) => m.origin === 'review:702');
    const byName = new Map(approval.map((m) => [m.name, m]));
    expect(byName.get('total')).toMatchObject({ hash: symbolIn(CART_C1, 'src/cart.ts', 'total').hash, level: 'reviewed', target: 'pr:7' });
    expect(byName.get('Cart.add')).toMatchObject({ hash: symbolIn(CART_C2, 'src/cart.ts', 'Cart.add').hash, level: 'reviewed' });
    expect(byName.get('rate')).toMatchObject({ hash: symbolIn(TAX_C1, 'src/tax.ts', 'rate').hash, level: 'reviewed' });
    // Only PR #7's symbols: nothing from c3 (currency.ts) or c4.
    expect(approval.every((m) => m.file === 'src/cart.ts' || m.file === 'src/tax.ts')).toBe(true);
    expect(approval.some((m) => m.hash === symbolIn(CART_C4, 'src/cart.ts', 'total').hash)).toBe(false);
  });

  it('an approval alone credits `viewed`, except on files the token owner ticked Viewed', async () => {
    const carol = await marksOf('carol-c');
    expect(carol.length).toBeGreaterThan(0);
    expect(carol.every((m) => m.origin === 'review:703')).toBe(true);
    expect(carol.find((m) => m.name === 'total')?.level).toBe('viewed');
    expect(carol.find((m) => m.name === 'Cart.add')?.level).toBe('viewed');
    expect(carol.find((m) => m.name === 'rate')?.level).toBe('reviewed'); // src/tax.ts VIEWED by carol-c, the viewer
  });

  it('rubber stamps are recorded with a reason and credit nothing', async () => {
    expect(await marksOf('dave-d')).toEqual([]);
    const fast = await store.db.select().from(reviews).where(eq(reviews.id, '704')).get();
    expect(fast).toMatchObject({ rubberStamp: true, rubberStampReason: 'approved 30 s after the last push, without a comment; 120 changed lines call for at least 72 s' });
    const big = await store.db.select().from(reviews).where(eq(reviews.id, '901')).get();
    expect(big).toMatchObject({ rubberStamp: true, rubberStampReason: 'approved 420 changed lines without a single comment' });
    expect((await marksOf('bob-b')).filter((m) => m.origin === 'review:901')).toEqual([]);
    expect(report.credits.rubberStamps.map((s) => [s.number, s.reviewId, s.login]).sort()).toEqual([
      [7, '704', 'dave-d'],
      [9, '901', 'bob-b'],
    ]);
    const fine = await store.db.select().from(reviews).where(eq(reviews.id, '703')).get();
    expect(fine).toMatchObject({ rubberStamp: false, rubberStampReason: null });
  });

  it('an unknown login credits nothing and is reported', async () => {
    expect(report.credits.unknownLogins).toEqual(['stranger']);
    const all = await store.db.select({ engineerId: marks.engineerId }).from(marks).all();
    const known = new Set(Object.values(ids));
    expect(all.every((m) => known.has(m.engineerId))).toBe(true);
    expect(await store.db.select().from(engineers).all()).toHaveLength(4);
  });

  it('PR facts re-classify commits: a human-authored commit on a Copilot PR branch is agent work', async () => {
    const c3 = await store.db.select().from(commits).where(eq(commits.sha, sha.c3!)).get();
    expect(c3!.kind).toBe('agent');
    expect(c3!.agent).toBe('copilot');
    const signals = (JSON.parse(c3!.evidence) as { signal: string }[]).map((e) => e.signal);
    expect(signals).toEqual(expect.arrayContaining(['pr-author', 'branch-name']));
    const c1 = await store.db.select().from(commits).where(eq(commits.sha, sha.c1!)).get();
    expect(c1!.kind).toBe('human');
  });

  it('a re-sync adds no marks and keeps the verdicts', async () => {
    const before = await store.db.select().from(marks).all();
    const again = await sync();
    expect(again.credits.marksAdded).toBe(0);
    expect(await store.db.select().from(marks).all()).toEqual(before);
    expect(report.credits.marksAdded).toBe(before.length);
    expect(again.credits.rubberStamps).toHaveLength(2);
  });
});

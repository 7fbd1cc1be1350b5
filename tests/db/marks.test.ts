import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { parseTarget } from '../../src/core/marks.ts';
import { addEngineer, type Engineer } from '../../src/db/repo/engineers.ts';
import {
  currentMarksForEngineer,
  markHistoryForEngineer,
  marksForTarget,
  recordMarks,
  staleMarksForEngineer,
} from '../../src/db/repo/marks.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';
import { commitsInRange, expandTarget } from '../../src/db/repo/targets.ts';
import { blobTexts, marks } from '../../src/db/schema.ts';
import { openTempRepoStore, seedCommit, seedPrCommit, seedSymbol, seedSymbolChange } from '../helpers/marks-seed.ts';

// History:  c1 -- c2 -- c3 -- m1 ------ mg (merge)
//                          \-- b1 ---/
const c1 = 'c1c1c1c1' + '0'.repeat(32);
const c2 = 'c2c2c2c2' + '0'.repeat(32);
const c3 = 'c3c3c3c3' + '0'.repeat(32);
const b1 = 'b1b1b1b1' + '0'.repeat(32);
const m1 = 'a1a1a1a1' + '0'.repeat(32);
const mg = 'e0e0e0e0' + '0'.repeat(32);
const twin1 = 'ffff0001' + '0'.repeat(32);
const twin2 = 'ffff0002' + '0'.repeat(32);

let store: RepoStore;
let ada: Engineer;
let bob: Engineer;

async function expand(text: string) {
  return (await expandTarget(store, parseTarget(text))).map((i) => (i.name ? `${i.file}#${i.name}@${i.hash}` : `${i.file}@${i.hash}`));
}

async function expectError(p: Promise<unknown>, code: string, message?: RegExp) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GraspError);
  expect((err as GraspError).code).toBe(code);
  if (message) expect((err as GraspError).message).toMatch(message);
}

const markCount = async () => (await store.db.select({ n: count() }).from(marks))[0]!.n;

beforeAll(async () => {
  store = openTempRepoStore();
  await seedCommit(store, { sha: c1, files: [{ path: 'src/a.ts', status: 'A' }, { path: 'README.md', status: 'A', newBlob: 'readme1' }, { path: 'old.txt', status: 'A' }] });
  await seedCommit(store, { sha: c2, parents: [c1], files: [{ path: 'src/a.ts' }] });
  await seedCommit(store, { sha: c3, parents: [c2], files: [{ path: 'logo.svg', status: 'A', newBlob: 'logo1' }, { path: 'new.txt', oldPath: 'old.txt', status: 'R100' }] });
  await seedCommit(store, { sha: b1, parents: [c3], files: [{ path: 'src/b.ts', status: 'A' }] });
  await seedCommit(store, { sha: m1, parents: [c3], files: [{ path: 'README.md', newBlob: 'readme2' }] });
  await seedCommit(store, { sha: mg, parents: [m1, b1], files: [] });
  await seedCommit(store, { sha: twin1 });
  await seedCommit(store, { sha: twin2 });

  await seedSymbol(store, { id: 1, file: 'src/a.ts', name: 'f', hash: 'hf2', text: 'function f() {\n  return 2;\n}' });
  await seedSymbol(store, { id: 2, file: 'src/a.ts', name: 'g', hash: 'hg1', text: 'function g() {}' });
  await seedSymbol(store, { id: 3, file: 'src/a.ts', name: 'gone', hash: 'hx', alive: false });
  await seedSymbol(store, { id: 4, file: 'src/b.ts', name: 'B.run', hash: 'hb1', kind: 'method' });
  await store.db.insert((await import('../../src/db/schema.ts')).symbolTexts).values({ hash: 'hf1', text: 'function f() {\n  return 1;\n}' });
  await seedSymbolChange(store, { sha: c1, symbolId: 1, file: 'src/a.ts', name: 'f', change: 'added', hash: 'hf1' });
  await seedSymbolChange(store, { sha: c1, symbolId: 2, file: 'src/a.ts', name: 'g', change: 'added', hash: 'hg1' });
  await seedSymbolChange(store, { sha: c1, symbolId: 3, file: 'src/a.ts', name: 'gone', change: 'added', hash: 'hx' });
  await seedSymbolChange(store, { sha: c2, symbolId: 1, file: 'src/a.ts', name: 'f', change: 'modified', hash: 'hf2' });
  await seedSymbolChange(store, { sha: c2, symbolId: 3, file: 'src/a.ts', name: 'gone', change: 'deleted', hash: null });
  await seedSymbolChange(store, { sha: b1, symbolId: 4, file: 'src/b.ts', name: 'B.run', change: 'added', hash: 'hb1' });
  await seedPrCommit(store, 12, b1);

  ada = await addEngineer(store, { handle: 'ada', emails: ['ada@example.com'] });
  bob = await addEngineer(store, { handle: 'bob' });
});

afterAll(() => store.close());

describe('expandTarget', () => {
  it('expands a symbol to its current hash', async () => {
    expect(await expand('src/a.ts#f')).toEqual(['src/a.ts#f@hf2']);
    expect(await expand('src/b.ts#B.run')).toEqual(['src/b.ts#B.run@hb1']);
  });

  it('expands a file to its alive symbols, or to file granularity at its current blob', async () => {
    expect(await expand('src/a.ts')).toEqual(['src/a.ts#f@hf2', 'src/a.ts#g@hg1']);
    expect(await expand('README.md')).toEqual(['README.md@readme2']);
    expect(await expand('new.txt')).toEqual([`new.txt@blob-new.txt-3`]);
  });

  it('refuses unknown and vanished targets with not-found', async () => {
    await expectError(expandTarget(store, parseTarget('src/a.ts#nope')), 'not-found', /no symbol "nope"/);
    await expectError(expandTarget(store, parseTarget('src/a.ts#gone')), 'not-found', /no longer exists/);
    await expectError(expandTarget(store, parseTarget('old.txt')), 'not-found', /no file "old.txt"/);
    await expectError(expandTarget(store, parseTarget('deadbeef')), 'not-found', /no commit or file/);
    await expectError(expandTarget(store, parseTarget('pr:99')), 'not-found', /#99/);
  });

  it('expands a commit to what it added or modified that is still alive, plus symbol-less files', async () => {
    expect(await expand(c2.slice(0, 7))).toEqual(['src/a.ts#f@hf2']);
    expect(await expand(c1)).toEqual(['src/a.ts#f@hf2', 'src/a.ts#g@hg1', 'README.md@readme2']);
    await expectError(expandTarget(store, parseTarget('ffff')), 'invalid', /ambiguous/);
  });

  it('expands a range by walking parents, merges included', async () => {
    expect((await commitsInRange(store, c3, mg)).sort()).toEqual([b1, m1, mg].sort());
    expect((await commitsInRange(store, b1, mg)).sort()).toEqual([m1, mg].sort());
    expect(await commitsInRange(store, mg, c3)).toEqual([]);
    expect(await expand(`${c2.slice(0, 8)}..${mg.slice(0, 8)}`)).toEqual(['src/b.ts#B.run@hb1', 'README.md@readme2', 'logo.svg@logo1', 'new.txt@blob-new.txt-3']);
    await expectError(expandTarget(store, parseTarget(`${mg.slice(0, 8)}..${c3.slice(0, 8)}`)), 'not-found', /no commits/);
  });

  it('expands a pull request from pr_commits', async () => {
    expect(await expand('pr:12')).toEqual(['src/b.ts#B.run@hb1']);
    expect(await expand('#12')).toEqual(['src/b.ts#B.run@hb1']);
  });
});

describe('recording and deriving marks', () => {
  it('appends one row per item and returns what it wrote', async () => {
    const before = await markCount();
    const written = await recordMarks(store, { engineer: ada, target: 'src/a.ts', level: 'reviewed', source: 'cli', now: 1_750_000_000_000 });
    expect(written.map((m) => [m.symbol, m.hash, m.level, m.engineer])).toEqual([
      ['f', 'hf2', 'reviewed', 'ada'],
      ['g', 'hg1', 'reviewed', 'ada'],
    ]);
    expect(written[0]!.at).toBe(new Date(1_750_000_000_000).toISOString());
    expect(await markCount()).toBe(before + 2);
  });

  it('keeps every write; the current state shows the latest', async () => {
    await recordMarks(store, { engineer: bob, target: 'src/a.ts#g', level: 'viewed', source: 'api', now: 1_750_000_100_000 });
    await recordMarks(store, { engineer: bob, target: 'src/a.ts#g', level: 'explained', note: 'no-op hook', source: 'api', now: 1_750_000_200_000 });
    const history = await markHistoryForEngineer(store, bob.id);
    expect(history.map((m) => m.level)).toEqual(['explained', 'viewed']);
    const current = await currentMarksForEngineer(store, bob);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ symbol: 'g', level: 'explained', note: 'no-op hook', stale: false });
  });

  it('refuses explained without a note, and writes nothing', async () => {
    const before = await markCount();
    await expectError(recordMarks(store, { engineer: bob, target: 'src/a.ts#f', level: 'explained', note: ' ', source: 'api' }), 'invalid');
    await expectError(recordMarks(store, { engineer: bob, target: 'src/zzz.ts', level: 'viewed', source: 'api' }), 'not-found');
    expect(await markCount()).toBe(before);
  });

  it('stores a write with an idempotency key once', async () => {
    const before = await markCount();
    for (let i = 0; i < 3; i++) await recordMarks(store, { engineer: bob, target: 'README.md', level: 'viewed', source: 'api', origin: 'api:req-1' });
    expect(await markCount()).toBe(before + 1);
  });

  it('goes stale when the symbol content changes, with the diff since', async () => {
    const engineer = await addEngineer(store, { handle: 'cy' });
    await seedSymbol(store, { id: 10, file: 'src/c.ts', name: 'h', hash: 'hh1', text: 'function h() {\n  return "one";\n}' });
    await recordMarks(store, { engineer, target: 'src/c.ts#h', level: 'reviewed', source: 'cli' });
    expect((await currentMarksForEngineer(store, engineer)).map((m) => m.stale)).toEqual([false]);

    await seedSymbol(store, { id: 10, file: 'src/c.ts', name: 'h', hash: 'hh2', text: 'function h() {\n  return "two";\n}' });
    const [current] = await currentMarksForEngineer(store, engineer);
    expect(current).toMatchObject({ stale: true, hash: 'hh1', currentHash: 'hh2', level: 'reviewed' });
    const [stale] = await staleMarksForEngineer(store, engineer);
    expect(stale!.oldText).toContain('"one"');
    expect(stale!.newText).toContain('"two"');
    expect(stale!.diff).toContain('-  return "one";');
    expect(stale!.diff).toContain('+  return "two";');

    // Reviewing again makes it fresh; history keeps both.
    await recordMarks(store, { engineer, target: 'src/c.ts#h', level: 'reviewed', source: 'cli' });
    expect((await currentMarksForEngineer(store, engineer)).map((m) => m.stale)).toEqual([false]);
    expect(await markHistoryForEngineer(store, engineer.id)).toHaveLength(2);
    expect(await staleMarksForEngineer(store, engineer)).toEqual([]);
  });

  it('keeps a file-granularity mark fresh until the file changes', async () => {
    const engineer = await addEngineer(store, { handle: 'dee' });
    await recordMarks(store, { engineer, target: 'logo.svg', level: 'viewed', source: 'cli' });
    expect(await currentMarksForEngineer(store, engineer)).toMatchObject([{ file: 'logo.svg', symbol: '', kind: 'file', stale: false }]);
    await seedCommit(store, { sha: 'dd00dd00' + '0'.repeat(32), parents: [mg], files: [{ path: 'logo.svg', newBlob: 'logo2' }] });
    expect(await currentMarksForEngineer(store, engineer)).toMatchObject([{ file: 'logo.svg', hash: 'logo1', currentHash: 'logo2', stale: true }]);
    const [stale] = await staleMarksForEngineer(store, engineer);
    expect(stale!.diff).toBeNull();
    // With the blob texts stored (small manifests are), the diff is shown.
    await store.db.insert(blobTexts).values([
      { blob: 'logo1', text: '<svg>1</svg>' },
      { blob: 'logo2', text: '<svg>2</svg>' },
    ]);
    const [withText] = await staleMarksForEngineer(store, engineer);
    expect(withText!.diff).toContain('-<svg>1</svg>');
    expect(withText!.diff).toContain('+<svg>2</svg>');
  });

  it('lists who marked what a target covers, with history on request', async () => {
    const result = await marksForTarget(store, 'src/a.ts', { history: true });
    const g = result.items.find((i) => i.symbol === 'g')!;
    expect(g.marks.map((m) => [m.engineer, m.level, m.stale])).toEqual([
      ['ada', 'reviewed', false],
      ['bob', 'explained', false],
    ]);
    expect(g.history!.map((h) => `${h.engineer}:${h.level}`)).toEqual(['bob:explained', 'bob:viewed', 'ada:reviewed']);
    const rows = await store.db.select().from(marks).where(eq(marks.engineerId, ada.id));
    expect(rows.every((r) => r.source === 'cli' && r.target === 'src/a.ts')).toBe(true);
  });

  it('commits concurrent writes together without losing or mixing any (group commit)', async () => {
    const before = await markCount();
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        recordMarks(store, { engineer: i % 2 ? ada : bob, target: i % 10 === 0 ? 'src/none.ts' : 'src/a.ts', level: 'viewed', source: 'api' }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(54);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'not-found')).toBe(true);
    // Each accepted write covered the two symbols of src/a.ts.
    expect(await markCount()).toBe(before + 54 * 2);
  });
});

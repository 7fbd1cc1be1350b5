/**
 * The report's ranking at the cut: a candidate that only reaches the top thanks to the reference
 * boost (its text calls the engineer's recent change) must be found although texts are read only
 * for candidates that can still make the cut; and a shorter limit is a prefix of a longer one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOST } from '../../src/core/relevance.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { commits, fileChanges, symbolChanges, symbols, symbolTexts } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { buildEngineerReport } from '../../src/report/engineer-report.ts';
import { openTempStore } from '../helpers/marks-seed.ts';

const DAY = 86_400;
const NOW = 1_795_000_000;
let store: Store;

async function commit(sha: string, seq: number, email: string, kind: 'agent' | 'human', at: number, paths: string[]) {
  await store.db.insert(commits).values({ repoId: 1,
    sha, seq, parents: '[]', authorName: email, authorEmail: email, authorDate: at, committerName: email, committerEmail: email,
    committerDate: at, subject: sha, message: sha, kind, agent: kind === 'agent' ? 'claude' : null, confidence: 1,
  });
  for (const [idx, path] of paths.entries()) await store.db.insert(fileChanges).values({ repoId: 1, sha, idx, path, status: 'A', newBlob: `${sha}-${idx}` });
}

async function symbol(id: number, file: string, name: string, sha: string, lines: { agent: number; human: number }, author: string, text: string) {
  const hash = `h${id}`;
  await store.db.insert(symbols).values({ repoId: 1,
    id, file, name, kind: 'function', hash, startLine: 1, endLine: lines.agent + lines.human, complexity: 1,
    agentLines: lines.agent, humanLines: lines.human, authors: JSON.stringify([author]), lastSha: sha,
  });
  await store.db.insert(symbolTexts).values({ hash, text });
  await store.db.insert(symbolChanges).values({ repoId: 1, sha, file, name, symbolId: id, kind: 'function', change: 'added', hash, startLine: 1, endLine: 3 });
}

beforeAll(async () => {
  store = openTempStore();
  await addEngineer(store, { handle: 'ada', emails: ['ada@example.com'] }, NOW * 1000);
  await commit('a1', 1, 'bot@agents.example', 'agent', NOW - 3 * DAY, ['src/other/x.ts', 'src/other/y.ts', 'src/other/z.ts']);
  await commit('h1', 2, 'ada@example.com', 'human', NOW - DAY, ['src/lib/core.ts']);
  await symbol(1, 'src/lib/core.ts', 'computeTotals', 'h1', { agent: 0, human: 6 }, 'ada@example.com', 'export function computeTotals(xs) {\n  return xs.length;\n}');
  await symbol(2, 'src/other/x.ts', 'alphaThing', 'a1', { agent: 10, human: 0 }, 'bot@agents.example', 'export function alphaThing() {\n  return 1;\n}');
  await symbol(3, 'src/other/y.ts', 'betaThing', 'a1', { agent: 9, human: 0 }, 'bot@agents.example', 'export function betaThing(xs) {\n  return computeTotals(xs) + 1;\n}');
  await symbol(4, 'src/other/z.ts', 'gammaThing', 'a1', { agent: 4, human: 0 }, 'bot@agents.example', '// calls computeTotals? no, only a comment\nexport function gammaThing(xs) {\n  return computeTotals(xs);\n}');
});

afterAll(() => store?.close());

describe('ranking at the cut', () => {
  it('finds the candidate that reaches the top only through the reference boost', async () => {
    const r = await buildEngineerReport(store, 'ada', { now: NOW * 1000, limit: 1 });
    // alphaThing: 10 x 1 = 10; betaThing: 9 x (1 + reference) = 18.
    expect(r.items.map((i) => [i.symbol, i.score])).toEqual([['betaThing', 9 * (1 + BOOST.reference)]]);
    expect(r.items[0]!.reasons).toContain('uses your recent change to computeTotals');
  });

  it('gives, for every limit, a prefix of the full ranking', async () => {
    const full = await buildEngineerReport(store, 'ada', { now: NOW * 1000, limit: 100 });
    expect(full.items.map((i) => [i.symbol, i.score])).toEqual([
      ['betaThing', 9 * (1 + BOOST.reference)],
      ['alphaThing', 10],
      ['gammaThing', 4 * (1 + BOOST.reference)],
    ]);
    for (const limit of [1, 2, 3]) {
      const part = await buildEngineerReport(store, 'ada', { now: NOW * 1000, limit });
      expect(part.items).toEqual(full.items.slice(0, limit));
    }
  });

  it('an engineer with no recent change gets no reference boost', async () => {
    await addEngineer(store, { handle: 'bob', emails: ['bob@example.com'] }, NOW * 1000);
    const r = await buildEngineerReport(store, 'bob', { now: NOW * 1000 });
    expect(r.items.map((i) => [i.symbol, i.score])).toEqual([
      ['alphaThing', 10],
      ['betaThing', 9],
      ['gammaThing', 4],
    ]);
    expect(r.area).toBe('everything');
  });
});

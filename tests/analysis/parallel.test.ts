/**
 * Analysis on worker threads gives the very rows one thread gives: every table of a database
 * analyzed with --jobs 1 (inline) equals, row for row and in insertion order, one analyzed with 3
 * workers, on a history with edits, renames, moves, a merge, an unparsable file and a deeply
 * nested one.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, HUMAN2 } from '../helpers/git-fixture.ts';

const repo = new GitFixture();
afterAll(() => repo.cleanup());

const fn = (name: string, i: number, body = 'return a + b;') => `export function ${name}${i}(a: number, b: number) {\n  if (a > ${i}) ${body}\n  return a;\n}\n`;
const cls = (i: number, extra = '') => `export class C${i} {\n  x = ${i};\n  get(k: string) { return k ?? this.x; }\n${extra}}\n`;

function buildHistory(): void {
  for (let round = 0; round < 4; round++) {
    for (let f = 0; f < 12; f++) {
      repo.write(`src/m${f}.ts`, fn('f', f, round % 2 ? 'return a * b;' : 'return a + b;') + cls(f, round > 1 ? '  more() { return 1; }\n' : ''));
      repo.write(`lib/j${f}.js`, `export const g${f} = (x) => x?.y ?? ${round};\n`);
    }
    repo.commit({ message: `round ${round}`, author: round % 2 ? HUMAN2 : undefined });
  }
  repo.move('src/m0.ts', 'src/moved0.ts').commit({ message: 'rename' });
  repo.write('src/broken.ts', 'export function (( {\n').commit({ message: 'broken' });
  repo.write('src/deep.ts', `export const d = ${'('.repeat(6000)}1${')'.repeat(6000)};\n`).commit({ message: 'deep' });
  repo.branch('side').checkout('side');
  repo.write('src/m3.ts', fn('side', 3) + cls(3)).commit({ message: 'side change' });
  repo.checkout('main');
  repo.write('src/m4.ts', fn('main', 4)).commit({ message: 'main change' });
  repo.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
}

function dumpAll(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'explanations_fts_%' AND name <> 'repos' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().all()]));
  } catch {
    return {};
  } finally {
    db.close();
  }
}

async function analyzeWith(jobs: number): Promise<{ dump: Record<string, unknown[]>; parsed: number }> {
  const file = join(repo.dir, `..`, `grasp-parallel-${jobs}-${process.pid}.db`);
  rmSync(file, { force: true });
  const store = openRepoStore(file);
  let parsed = 0;
  try {
    await ingestRepository(store, repo.dir);
    parsed = (await analyzeRepository(store, repo.dir, { jobs })).blobsParsed;
  } finally {
    store.close();
  }
  const dump = dumpAll(file);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  return { dump, parsed };
}

describe('analysis with worker threads', () => {
  it('writes byte-identical rows with 1 and with 3 threads', async () => {
    buildHistory();
    const one = await analyzeWith(1);
    const three = await analyzeWith(3);
    expect(one.parsed).toBeGreaterThan(50);
    expect(three.parsed).toBe(one.parsed);
    const statuses = (one.dump.blob_analyses as unknown[][]).map((r) => r[1]);
    expect(statuses).toContain('ok');
    expect(new Set(statuses).size).toBeGreaterThan(1); // not only 'ok': the broken file too
    expect(Object.keys(three.dump)).toEqual(Object.keys(one.dump));
    for (const table of Object.keys(one.dump)) {
      expect(three.dump[table], table).toEqual(one.dump[table]);
    }
  });
});

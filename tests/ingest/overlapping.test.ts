/**
 * Overlapping ingests of one database (cron, the Action and a person at once) with REAL processes
 * started together: one writes, the others wait, say so, and find nothing left to do; the database
 * equals a clean run row for row. Before the writer lock, overlapping runs lost commits.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHistory, GitFixture, HUMAN2, tempDir } from '../helpers/git-fixture.ts';
import { BIN, grasp } from '../cli/run-grasp.ts';

const CLAUDE = { name: 'Claude', email: 'noreply@anthropic.com' };
let repo: GitFixture;
let dir: string;

/** Real-history shape: a long linear trunk, a long side branch merged back, renames on both sides. */
function buildRepo(): GitFixture {
  const r = new GitFixture();
  buildHistory(r, 120, 12);
  r.branch('side').checkout('side');
  for (let i = 0; i < 25; i++) r.write(`src/side/s${i % 5}.ts`, `export function side${i}(x: number) {\n  return x * ${i};\n}\n`).commit({ author: i % 2 ? CLAUDE : HUMAN2 });
  r.move('src/side/s1.ts', 'src/side/renamed.ts').commit({ author: HUMAN2 });
  r.checkout('main');
  for (let i = 0; i < 10; i++) r.write(`src/m${i}.ts`, `export const late${i} = ${i};\n`).commit();
  r.move('src/m3.ts', 'src/moved/m3.ts').commit();
  r.git('merge', '-q', '--no-ff', '-m', 'Merge side', 'side');
  for (let i = 0; i < 5; i++) r.write(`src/after${i}.ts`, `export function after${i}() { return ${i}; }\n`).commit({ author: CLAUDE });
  return r;
}

function ingestProcess(db: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'ingest', repo.dir, '--db', db, '--json'], { env: { ...process.env, GRASP_DB: '' } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (code) => done({ code, stderr, stdout }));
  });
}

const TABLES: [string, string][] = [
  ['commits', 'select sha, seq, parents, kind, agent, confidence, evidence from commits order by sha'],
  ['file_changes', 'select sha, idx, path, old_path, status, added, deleted from file_changes order by sha, idx'],
  ['symbols', 'select id, file, name, kind, hash, alive from symbols order by id'],
  ['symbol_changes', 'select sha, symbol_id, file, name, change, hash from symbol_changes order by sha, symbol_id, change'],
];

function rows(db: string): Record<string, unknown[]> {
  const s = new Database(db, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map(([name, q]) => [name, s.prepare(q).all()]));
  } finally {
    s.close();
  }
}

beforeAll(() => {
  repo = buildRepo();
  dir = tempDir();
}, 120_000);
afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('overlapping ingests', () => {
  it('three processes started together equal one clean run, row for row', async () => {
    const clean = join(dir, 'clean.db');
    const c = grasp(['ingest', repo.dir, '--db', clean, '--json']);
    expect(c.code, c.stderr).toBe(0);
    const expected = rows(clean);
    expect((expected.commits as unknown[]).length).toBe(Number(repo.git('rev-list', '--count', 'HEAD').trim()));

    const shared = join(dir, 'shared.db');
    const runs = await Promise.all([ingestProcess(shared), ingestProcess(shared), ingestProcess(shared)]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const newCounts = runs.map((r) => (JSON.parse(r.stdout) as { newCommits: number }).newCommits).sort((a, b) => b - a);
    // One did the work; the others waited and found nothing new.
    expect(newCounts).toEqual([(expected.commits as unknown[]).length, 0, 0]);
    expect(runs.filter((r) => /waiting up to/.test(r.stderr))).toHaveLength(2);
    expect(rows(shared)).toEqual(expected);
    expect(existsSync(`${shared}.writer-lock`)).toBe(false);
  }, 240_000);

  it('a lock left by a killed writer is taken over', async () => {
    const db = join(dir, 'after-kill.db');
    const child = spawn(process.execPath, [BIN, 'ingest', repo.dir, '--db', db], { env: { ...process.env, GRASP_DB: '' }, stdio: 'ignore' });
    // Kill it once it holds the lock (whatever it committed so far stays consistent).
    for (let i = 0; i < 200 && !existsSync(`${db}.writer-lock`); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 600)));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const resumed = await ingestProcess(db);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(rows(db).commits).toEqual(rows(join(dir, 'clean.db')).commits);
  }, 240_000);
});

/** Kill -9 a real `grasp ingest` midway, re-run, and compare with a clean ingest. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GitFixture, buildHistory, tempDir } from '../helpers/git-fixture.ts';
import { killPlan } from '../helpers/kill-points.ts';

const BIN = join(process.cwd(), 'bin/grasp.mjs');
const repo = new GitFixture();
const dir = tempDir();
afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function snapshot(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      commits: db.prepare('select sha, seq, parents, kind, agent, confidence, evidence, message from commits order by seq').all(),
      files: db.prepare('select sha, idx, path, old_path, status, added, deleted, new_ranges, old_ranges from file_changes order by sha, idx').all(),
    };
  } finally {
    db.close();
  }
}

function countCommits(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('select count(*) n from commits').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('ingest crash safety', () => {
  it('a run killed with SIGKILL at random points is completed by the next run, with nothing duplicated or lost', async () => {
    const total = buildHistory(repo, 520);
    const clean = join(dir, 'clean.db');
    execFileSync('node', [BIN, 'ingest', repo.dir, '--db', clean, '--no-analyze', '--json']);
    const expected = snapshot(clean);
    expect(expected.commits).toHaveLength(total);

    const crashed = join(dir, 'crashed.db');
    // Random kill points, seeded and printed (replay: GRASP_KILL_SEED=<seed>).
    const plan = killPlan('ingest', 4, { minMs: 300, maxMs: 2500, maxPosition: total });
    const survived: number[] = [];
    for (const point of plan.points) {
      const child = spawn('node', [BIN, 'ingest', repo.dir, '--db', crashed, '--no-analyze', '--json', '--batch-size', '20'], { stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      const started = Date.now();
      // kill -9 after the drawn time, or once the database holds the drawn number of commits
      for (let i = 0; i < 600; i++) {
        if (child.exitCode !== null) break;
        if (point.by === 'time' ? Date.now() - started >= point.afterMs : countCommits(crashed) >= point.atLeast) break;
        await new Promise((r) => setTimeout(r, point.by === 'time' ? 5 : 25));
      }
      child.kill('SIGKILL');
      await exited;
      survived.push(countCommits(crashed));
    }
    console.log(`[kill-points] ingest seed ${plan.seed}: commits stored after each kill ${JSON.stringify(survived)} of ${total}`);
    execFileSync('node', [BIN, 'ingest', repo.dir, '--db', crashed, '--no-analyze', '--json']);
    expect(snapshot(crashed)).toEqual(expected);
  });
});

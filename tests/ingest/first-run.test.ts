import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GitFixture } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');

// Regression: the writer lock was created before the database's directory, so a first `npm start` failed.
describe('a first ingest into a directory that does not exist yet', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-first-'));
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the directory, the database and its lock, and releases the lock', () => {
    repo.write('a.ts', 'export const a = 1;\n').commit({ message: 'a' });
    const db = join(dir, 'new', '.grasp', 'grasp.db');
    execFileSync('node', [bin, 'ingest', repo.dir, '--db', db], { encoding: 'utf8' });
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}.writer-lock`)).toBe(false);
    expect(execFileSync('node', [bin, 'summary', '--db', db], { encoding: 'utf8' })).toMatch(/^1 commits/);
  }, 60_000);
});

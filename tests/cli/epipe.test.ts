/** A reader that stops early (`grasp commits | head -1`) must not make grasp die on EPIPE. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildHistory, GitFixture, tempDir } from '../helpers/git-fixture.ts';
import { grasp, graspIntoClosedPipe } from './run-grasp.ts';

let repo: GitFixture;
let dir: string;
let db: string;

beforeAll(() => {
  repo = new GitFixture();
  buildHistory(repo, 40);
  dir = tempDir();
  db = join(dir, 'grasp.db');
  const r = grasp(['ingest', repo.dir, '--db', db, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(grasp(['engineer', 'add', 'ada', '--email', 'ada@example.com', '--db', db]).code).toBe(0);
}, 60_000);

afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('closed stdout', () => {
  const commands: string[][] = [
    ['commits'],
    ['marks', 'ada'],
    ['symbols', 'src/m1.ts'],
    ['engineer', 'unlinked'],
  ];
  it.each(commands)('grasp %s exits quietly when the reader has gone', async (...args) => {
    const r = await graspIntoClosedPipe([...args, '--db', db]);
    expect(r.stderr).not.toMatch(/EPIPE|unexpected error|at /);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 30_000);

  it('grasp changes <sha> exits quietly too', async () => {
    const sha = repo.head();
    const r = await graspIntoClosedPipe(['changes', sha, '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 30_000);
});

/** Every CLI number is validated: a bad one is one clear line and a non-zero exit, never "no limit". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildHistory, GitFixture, tempDir } from '../helpers/git-fixture.ts';
import { grasp } from './run-grasp.ts';

let repo: GitFixture;
let dir: string;
let db: string;

beforeAll(() => {
  repo = new GitFixture();
  buildHistory(repo, 8);
  dir = tempDir();
  db = join(dir, 'grasp.db');
  expect(grasp(['ingest', repo.dir, '--db', db, '--no-analyze']).code).toBe(0);
  expect(grasp(['engineer', 'add', 'ada', '--db', db]).code).toBe(0);
}, 60_000);

afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('numeric options', () => {
  it.each(['-5', 'abc', '0', '2.5', '1e3', ''])('grasp commits --limit %j is refused', (value) => {
    const r = grasp(['commits', '--db', db, `--limit=${value}`]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--limit must be a whole number/);
  });

  it('a valid --limit still limits', () => {
    const r = grasp(['commits', '--db', db, '--limit', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1 + 3); // header + 3 rows
  });

  it.each(['1e-300', '0', '-1', 'soon', '99999'])('grasp token create --expires %j is refused', (value) => {
    const r = grasp(['token', 'create', 'ada', '--db', db, `--expires=${value}`]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--expires must be a number/);
  });

  it('ingest --batch-size abc is refused', () => {
    const r = grasp(['ingest', repo.dir, '--db', db, '--batch-size', 'abc']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--batch-size must be a whole number/);
  });
});

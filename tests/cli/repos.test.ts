import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../helpers/git-fixture.ts';
import { grasp } from './run-grasp.ts';

describe('grasp repos', () => {
  const web = new GitFixture();
  const api = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-repos-'));
  afterAll(() => {
    web.cleanup();
    api.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  web.write('a.ts', 'export const a = 1;\n').commit({ message: 'one' });
  const webHead = web.write('a.ts', 'export const a = 2;\n').commit({ message: 'two' });
  web.git('remote', 'add', 'origin', 'git@github.com:acme/web.git');
  api.write('b.ts', 'export const b = 1;\n').commit({ message: 'one' });

  it('names a repository by its origin remote and lists it as [{ name, path, commits, head }]', () => {
    const db = join(dir, 'a.db');
    const ingest = grasp(['ingest', web.dir, '--db', db, '--no-analyze']);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('acme/web (');
    const list = JSON.parse(grasp(['repos', '--db', db, '--json']).stdout) as unknown[];
    expect(list).toEqual([{ name: 'acme/web', path: expect.any(String), commits: 2, head: webHead }]);
    expect(grasp(['repos', '--db', db]).stdout).toMatch(/acme\/web\s+2\s+[0-9a-f]{10}/);
  });

  it('takes --name, keeps it on a later ingest, and refuses a bad one in one line', () => {
    const db = join(dir, 'b.db');
    expect(grasp(['ingest', api.dir, '--db', db, '--no-analyze', '--name', 'backend']).code).toBe(0);
    expect(grasp(['ingest', api.dir, '--db', db, '--no-analyze']).code).toBe(0);
    expect((JSON.parse(grasp(['repos', '--db', db, '--json']).stdout) as { name: string }[]).map((r) => r.name)).toEqual(['backend']);
    const bad = grasp(['ingest', api.dir, '--db', db, '--no-analyze', '--name', '../x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('not a repository name');
  });

  it('is a read command: an empty listing, and no database created', () => {
    const db = join(dir, 'none.db');
    const r = grasp(['repos', '--db', db, '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(db)).toBe(false);
  });
});

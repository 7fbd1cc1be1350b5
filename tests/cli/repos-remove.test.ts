/**
 * `grasp repos remove NAME --db T` works on T (regression: `repos` also takes --db and commander
 * handed the option to it, so the subcommand opened, and created, ./.grasp/grasp.db instead).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitFixture } from '../helpers/git-fixture.ts';
import { grasp } from './run-grasp.ts';

describe('grasp repos remove', () => {
  const web = new GitFixture();
  const api = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-repos-remove-'));
  afterAll(() => {
    web.cleanup();
    api.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  web.write('a.ts', 'export const a = 1;\n').commit({ message: 'one' });
  api.write('b.ts', 'export const b = 1;\n').commit({ message: 'one' });

  it('removes the named repository from the --db database, and creates no other database', () => {
    const db = join(dir, 'team.db');
    expect(grasp(['ingest', web.dir, '--db', db, '--no-analyze', '--name', 'web']).code).toBe(0);
    expect(grasp(['ingest', api.dir, '--db', db, '--no-analyze', '--name', 'api']).code).toBe(0);
    const removed = grasp(['repos', 'remove', 'web', '--db', db], { cwd: dir });
    expect(removed.stderr).toBe('');
    expect(removed.stdout).toBe('removed web: 1 commits and 0 symbols; marks kept\n');
    expect(existsSync(join(dir, '.grasp'))).toBe(false);
    expect((JSON.parse(grasp(['repos', '--db', db, '--json']).stdout) as { name: string }[]).map((r) => r.name)).toEqual(['api']);
    // --db before the subcommand works as well.
    expect(JSON.parse(grasp(['repos', '--db', db, 'remove', 'api', '--json'], { cwd: dir }).stdout)).toEqual({ name: 'api', commits: 1, symbols: 0 });
    expect(existsSync(join(dir, '.grasp'))).toBe(false);
  });
});

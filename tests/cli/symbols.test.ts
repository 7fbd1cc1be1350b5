/** `grasp analyze`, `grasp symbols` and `grasp changes` through the real CLI against a real repository. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GitFixture, HUMAN, tempDir } from '../helpers/git-fixture.ts';

const CLAUDE = { name: 'Claude', email: 'noreply@anthropic.com' };
const BIN = resolve(__dirname, '../../bin/grasp.mjs');

let repo: GitFixture;
let dir: string;
let db: string;
let first: string;
let agent: string;

function grasp(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8', cwd: dir, env: { ...process.env, GRASP_DB: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  repo = new GitFixture();
  dir = tempDir();
  db = join(dir, 'grasp.db');
  first = repo
    .write('src/shapes.ts', 'export interface Shape { area(): number }\nexport function square(n: number) {\n  return n * n;\n}\n')
    .write('notes.txt', 'hello\n')
    .commit({ author: HUMAN });
  agent = repo
    .write('src/shapes.ts', 'export interface Shape { area(): number }\nexport function square(n: number) {\n  if (n < 0) throw new Error("negative");\n  return n * n;\n}\nexport const cube = (n: number) => n ** 3;\n')
    .commit({ author: CLAUDE, message: 'Add cube' });
  const ingest = grasp('ingest', repo.dir, '--no-analyze', '--json');
  expect(ingest.code, ingest.stderr).toBe(0);
  const analyze = grasp('analyze', '--json');
  expect(analyze.code, analyze.stderr).toBe(0);
  expect(JSON.parse(analyze.stdout)).toMatchObject({ commits: 2, symbolChanges: 4 });
});

afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('grasp symbols', () => {
  it('lists the symbols of a file at head with their last change', () => {
    const r = grasp('symbols', 'src/shapes.ts', '--json');
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list.map((s) => Object.keys(s).sort())).toEqual(list.map(() => ['complexity', 'endLine', 'exported', 'file', 'hash', 'kind', 'lastChange', 'name', 'startLine'].sort()));
    expect(list.map(({ hash: _h, ...rest }) => rest)).toEqual([
      { name: 'Shape', kind: 'interface', file: 'src/shapes.ts', startLine: 1, endLine: 1, exported: true, complexity: 1, lastChange: { sha: first, kind: 'human', agent: null } },
      { name: 'square', kind: 'function', file: 'src/shapes.ts', startLine: 2, endLine: 5, exported: true, complexity: 2, lastChange: { sha: agent, kind: 'agent', agent: 'claude' } },
      { name: 'cube', kind: 'function', file: 'src/shapes.ts', startLine: 6, endLine: 6, exported: true, complexity: 1, lastChange: { sha: agent, kind: 'agent', agent: 'claude' } },
    ]);
  });

  it('analyzes the file as it was at an earlier revision', () => {
    const r = grasp('symbols', './src/shapes.ts', '--at', first.slice(0, 10), '--json');
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; endLine: number; complexity: number; lastChange: { sha: string } | null }[];
    expect(list.map((s) => [s.name, s.endLine, s.complexity, s.lastChange?.sha])).toEqual([
      ['Shape', 1, 1, first],
      ['square', 4, 1, first],
    ]);
  });

  it('prints a readable table without --json', () => {
    const r = grasp('symbols', 'src/shapes.ts');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2-5\s+function\s+export\s+cx\s+2 .*agent:claude\s+square/);
  });

  it('fails clearly for unknown files and revisions', () => {
    const missing = grasp('symbols', 'src/nope.ts', '--json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no analyzed file src/nope.ts');
    const badRev = grasp('symbols', 'src/shapes.ts', '--at', 'no-such-branch');
    expect(badRev.code).toBe(2);
    expect(badRev.stderr).toContain('unknown revision no-such-branch');
    const notThere = grasp('symbols', 'src/later.ts', '--at', first);
    expect(notThere.code).toBe(2);
    expect(notThere.stderr).toContain('does not exist at');
  });

  it('says why a file has no symbols', () => {
    const r = grasp('symbols', 'notes.txt', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toContain('unsupported');
  });
});

describe('grasp changes', () => {
  it('shows what a commit did to each symbol, by sha prefix', () => {
    const r = grasp('changes', agent.slice(0, 8), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      sha: agent,
      symbols: [
        { name: 'square', kind: 'function', file: 'src/shapes.ts', change: 'modified', agentLines: 1, humanLines: 0, complexity: 2 },
        { name: 'cube', kind: 'function', file: 'src/shapes.ts', change: 'added', agentLines: 1, humanLines: 0, complexity: 1 },
      ],
    });
  });

  it('exits with code 2 and a clear message for an unknown sha', () => {
    const r = grasp('changes', 'deadbeef', '--json');
    expect(r.code).toBe(2);
    // The repository is at hand, so git resolves the revision and its message is shown (issue 18).
    expect(r.stderr).toContain('unknown revision "deadbeef"');
    const bad = grasp('changes', 'not-a-sha');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown revision "not-a-sha"');
  });
});

describe('grasp ingest after a run killed between the last analysis batch and the head refresh', () => {
  // Regression: with every commit analyzed but no `analysis.head`, the analysis step thought it had
  // nothing to do and the current symbols were never computed (found by crash-analysis).
  it('still computes the current symbols', async () => {
    const { default: Database } = await import('better-sqlite3');
    const sqlite = new Database(db);
    const headBefore = sqlite.prepare("select value from meta where key = 'repo.1.analysis.head'").pluck().get();
    expect(headBefore).toBe(agent);
    sqlite.prepare("delete from meta where key = 'repo.1.analysis.head'").run();
    sqlite.prepare("update symbols set alive = 0").run();
    sqlite.close();

    const r = grasp('ingest', repo.dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).analysis).not.toHaveProperty('skipped');
    const after = new Database(db, { readonly: true });
    expect(after.prepare("select value from meta where key = 'repo.1.analysis.head'").pluck().get()).toBe(agent);
    expect(after.prepare('select count(*) from symbols where alive = 1').pluck().get()).toBeGreaterThan(0);
    after.close();
    expect(JSON.parse(grasp('symbols', 'src/shapes.ts', '--json').stdout).map((s: { name: string }) => s.name)).toEqual(['Shape', 'square', 'cube']);
  });

  it('skips the analysis when it is up to date', () => {
    const r = grasp('ingest', repo.dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).analysis).toEqual({ commits: 0, skipped: 'nothing new to analyze' });
  });
});

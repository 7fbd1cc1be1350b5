import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GitFixture } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const grasp = (args: string[], env: Record<string, string> = {}) => execFileSync('node', [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('grasp commits output', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-commits-'));
  const db = join(dir, 'g.db');
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists newest first by date, even when a merged side branch carries older dates', () => {
    const base = repo.write('a.ts', 'export const a = 1;\n').commit({ message: 'base', date: '2026-10-01T10:00:00Z' });
    repo.branch('side', base).checkout('side');
    const side = repo.write('b.ts', 'export const b = 1;\n').commit({ message: 'side\n\nCo-authored-by: Claude <noreply@anthropic.com>', date: '2026-10-03T10:00:00Z' });
    repo.checkout('main');
    const mainTip = repo.write('a.ts', 'export const a = 2;\n').commit({ message: 'main', date: '2026-10-02T10:00:00Z' });
    repo.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    grasp(['ingest', repo.dir, '--db', db]);
    const list = JSON.parse(grasp(['commits', '--db', db, '--json'])) as { sha: string; date: string }[];
    const dates = list.map((c) => c.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(list.slice(1).map((c) => c.sha)).toEqual([side, mainTip, base]);
    expect(JSON.parse(grasp(['commits', '--db', db, '--format', 'json', '--agent']))).toHaveLength(1);
  }, 60_000);

  it('prints an aligned table without colour off a TTY, and Markdown with --format md (snapshot of the shape)', () => {
    const text = grasp(['commits', '--db', db, '--agent']);
    const [header, row] = text.trimEnd().split('\n');
    expect(header).toMatch(/^commit\s+date\s+who\s+conf\s+author\s+evidence$/);
    expect(row).toMatch(/^[0-9a-f]{10}  2026-10-03  agent:claude\s+0\.\d\d  Ada Human\s+co-author-trailer=/);
    expect(header!.indexOf('who')).toBe(row!.indexOf('agent:claude'));
    expect(text).not.toContain('\u001b');
    const md = grasp(['commits', '--db', db, '--agent', '--format', 'md']);
    expect(md.split('\n').slice(0, 2)).toEqual(['| commit | date | who | conf | author | evidence |', '| --- | --- | --- | ---: | --- | --- |']);
    expect(md).toContain('| agent:claude |');
    expect(() => grasp(['commits', '--db', db, '--format', 'xml'])).toThrow(/unknown format "xml"/);
  }, 60_000);
});

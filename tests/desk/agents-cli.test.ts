import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GitFixture, HUMAN } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const grasp = (args: string[]) => execFileSync('node', [bin, ...args], { encoding: 'utf8' });
const CLAUDE = '\n\nCo-authored-by: Claude <noreply@anthropic.com>';
const consts = (values: number[]) => values.map((v, i) => `export const a${i} = ${v};`).join('\n') + '\n';

describe('grasp agents', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-agents-'));
  const db = join(dir, 'g.db');
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures churn of agent lines rewritten within a week exactly, and counts reverts with their denominators', () => {
    repo.write('README.md', 'hello\n').commit({ author: HUMAN, message: 'init', date: '2026-08-25T10:00:00Z' });
    repo.write('src/a.ts', consts([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).commit({ author: HUMAN, message: `ten constants${CLAUDE}`, date: '2026-09-01T10:00:00Z' });
    const second = repo.write('lib/b.ts', 'export function b() {\n  return 1;\n}\n').commit({ author: HUMAN, message: `b${CLAUDE}`, date: '2026-09-02T10:00:00Z' });
    repo.remove('lib/b.ts').commit({ author: HUMAN, message: `Revert "b"\n\nThis reverts commit ${second}.`, date: '2026-09-03T10:00:00Z' });
    // Five days later a person rewrites 4 of the agent's 10 lines.
    repo.write('src/a.ts', consts([100, 101, 102, 103, 4, 5, 6, 7, 8, 9])).commit({ author: HUMAN, message: 'tune', date: '2026-09-06T10:00:00Z' });
    grasp(['ingest', repo.dir, '--db', db]);

    const cards = JSON.parse(grasp(['agents', '--db', db, '--json']));
    expect(cards).toHaveLength(1);
    const c = cards[0];
    expect(c).toMatchObject({ agent: 'claude', commits: 2, agentLines: 13, reverts: 1, rubberStamps: 0 });
    // 4 of src/a.ts's 10 lines rewritten on day 5, and all 3 lines of lib/b.ts deleted by the revert on day 1.
    expect(c.basis.churn14).toEqual({ churned: 7, lines: 13, share: 7 / 13 });
    expect(c.churn14d).toBeCloseTo(7 / 13, 4);
    expect(c.churn30d).toBeCloseTo(7 / 13, 4);
    expect(c.share).toBeCloseTo(13 / (13 + 4 + 1), 3); // README's line and the human rewrite's 4 lines count for people
    // High churn, but of 13 lines and 2 commits: too little history for the deep rule (>= 50 lines).
    expect(c.depth).toBe('normal');
    expect(c.reasons.join(' ')).toContain('only 2 commits');
    const src = c.areas.find((a: { area: string }) => a.area === 'src');
    expect(src).toMatchObject({ commits: 1, agentLines: 10, churn14d: 0.4, reverts: 0 });
    expect(c.areas.find((a: { area: string }) => a.area === 'lib')).toMatchObject({ commits: 1, agentLines: 3, churn14d: 1, reverts: 1 });

    expect(JSON.parse(grasp(['agents', '--db', db, '--json', '--since', '2026-09-02']))[0]).toMatchObject({ commits: 1, agentLines: 3 });
    expect(grasp(['agents', '--db', db])).toMatch(/^agent\s+commits\s+lines/);
    expect(() => grasp(['agents', '--db', db, '--since', 'yesterday'])).toThrow(/--since must be a date/);
  }, 90_000);
  // Regression: lineages were keyed by path alone, so another repository's later versions of the
  // same path counted as rewrites of the agent's lines (10 of 10 "churned" here).
  it('keeps repositories apart: the same path in another repository is not churn', () => {
    const a = new GitFixture();
    const b = new GitFixture();
    const teamDb = join(dir, 'team.db');
    try {
      a.write('README.md', 'a\n').commit({ author: HUMAN, message: 'init', date: '2026-08-25T10:00:00Z' });
      a.write('src/a.ts', consts([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).commit({ author: HUMAN, message: `ten constants${CLAUDE}`, date: '2026-09-01T10:00:00Z' });
      b.write('README.md', 'b\n').commit({ author: HUMAN, message: 'init', date: '2026-08-25T10:00:00Z' });
      b.write('src/a.ts', consts([50, 51])).commit({ author: HUMAN, message: 'two', date: '2026-09-02T10:00:00Z' });
      b.write('src/a.ts', consts([60, 61, 62])).commit({ author: HUMAN, message: 'three', date: '2026-09-03T10:00:00Z' });
      grasp(['ingest', a.dir, '--db', teamDb, '--name', 'team/a']);
      grasp(['ingest', b.dir, '--db', teamDb, '--name', 'team/b']);
      const [card] = JSON.parse(grasp(['agents', '--db', teamDb, '--json']));
      expect(card).toMatchObject({ agent: 'claude', commits: 1, agentLines: 10 });
      expect(card.basis.churn14).toEqual({ churned: 0, lines: 10, share: 0 });
    } finally {
      a.cleanup();
      b.cleanup();
    }
  }, 90_000);
});

/**
 * The digest's "understanding that went stale": who, which symbols, and which commit (and agent)
 * changed them, for the commits of the digest's week; from a real repository and real marks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GitFixture } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const grasp = (args: string[]) => execFileSync('node', [bin, ...args], { encoding: 'utf8' });
const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';
const file = (total: string, keep: string) => `export function total(xs: number[]) {\n  ${total}\n}\n\nexport function keep() {\n  ${keep}\n}\n`;

interface Stale {
  engineer: string;
  count: number;
  items: { symbol: string; file: string; level: string; commit: { sha: string; author: string; agent: string | null; at: string } }[];
}

describe('digest: understanding that went stale', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-digest-stale-'));
  const db = join(dir, 'g.db');
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the engineer, the symbols and the agent commit of the week that made their marks stale', () => {
    repo.write('src/a.ts', file('return xs.reduce((a, b) => a + b, 0);', 'return 1;')).commit({ message: `sum\n\n${CLAUDE}`, date: '2026-11-10T10:00:00Z' });
    grasp(['ingest', repo.dir, '--db', db]);
    for (const h of ['ada', 'bob', 'cy']) grasp(['engineer', 'add', h, '--name', h, '--db', db]);
    grasp(['mark', 'src/a.ts#total', '--as', 'ada', '--level', 'reviewed', '--db', db]);
    grasp(['mark', 'src/a.ts#keep', '--as', 'ada', '--level', 'explained', '--note', 'the constant one', '--db', db]);
    grasp(['mark', 'src/a.ts#total', '--as', 'bob', '--level', 'viewed', '--db', db]); // viewed: not understanding, no alert
    grasp(['mark', 'src/a.ts#keep', '--as', 'cy', '--level', 'reviewed', '--db', db]); // keep does not change
    // Week 2026-W48 is Monday 23 to Sunday 29 November.
    const change = repo.write('src/a.ts', file('return xs.reduce((a, b) => a + b, 0) | 0;', 'return 1;')).commit({ message: `truncate\n\n${CLAUDE}`, date: '2026-11-25T10:00:00Z' });
    grasp(['ingest', repo.dir, '--db', db]);

    const week = JSON.parse(grasp(['digest', '--week', '2026-W48', '--format', 'json', '--db', db])) as { staleUnderstanding: Stale[] };
    expect(week.staleUnderstanding).toHaveLength(1);
    const [ada] = week.staleUnderstanding;
    expect(ada).toMatchObject({ engineer: 'ada', count: 1 });
    expect(ada!.items).toEqual([
      { symbol: 'total', file: 'src/a.ts', level: 'reviewed', markedAt: expect.any(String), commit: { sha: change, at: '2026-11-25T10:00:00.000Z', author: 'Ada Human', kind: 'agent', agent: 'claude' } },
    ]);
    // The week before holds the change of nobody's understanding.
    expect((JSON.parse(grasp(['digest', '--week', '2026-W47', '--format', 'json', '--db', db])) as { staleUnderstanding: Stale[] }).staleUnderstanding).toEqual([]);

    const md = grasp(['digest', '--week', '2026-W48', '--db', db]);
    expect(md).toContain('## Understanding that went stale');
    expect(md).toContain(`- ada: 1 mark\n  - \`src/a.ts#total\` (reviewed) changed by \`${change.slice(0, 8)}\` by Ada Human (agent claude), 2026-11-25`);
    const html = grasp(['digest', '--week', '2026-W48', '--format', 'html', '--db', db]);
    expect(html).toContain('<h2>Understanding that went stale</h2>');
    expect(html).toMatch(/<li data-engineer="ada">[^]*<code>src\/a\.ts#total<\/code> \(reviewed\) changed by <code>[0-9a-f]{8}<\/code> by Ada Human \(agent claude\)/);
    // Renewing the mark on the new version takes it out of the section.
    grasp(['mark', 'src/a.ts#total', '--as', 'ada', '--level', 'reviewed', '--db', db]);
    expect((JSON.parse(grasp(['digest', '--week', '2026-W48', '--format', 'json', '--db', db])) as { staleUnderstanding: Stale[] }).staleUnderstanding).toEqual([]);
  }, 90_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readingTime } from '../../src/core/reading-time.ts';
import { GitFixture, HUMAN } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const grasp = (args: string[]) => execFileSync('node', [bin, ...args], { encoding: 'utf8' });

describe('first-run summary', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-summary-'));
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives agent share by agent, coverage, debt as reading time and the items to read first', () => {
    repo.write('src/human.ts', 'export function human(a: number) {\n  return a + 1;\n}\n').commit({ author: HUMAN, message: 'human' });
    const body = Array.from({ length: 20 }, (_, i) => `  if (x === ${i}) return ${i};`).join('\n');
    repo.write('src/agent.ts', `export function pick(x: number) {\n${body}\n  return -1;\n}\n`).commit({ author: HUMAN, message: 'agent\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    const db = join(dir, 'g.db');
    grasp(['ingest', repo.dir, '--db', db]);
    const s = JSON.parse(grasp(['summary', '--db', db, '--json']));
    expect(s.commits).toBe(2);
    expect(s.byAgent).toEqual([{ agent: 'claude', commits: 1, lines: 23, share: expect.closeTo(23 / 26, 3) }]);
    expect(s.coverage).toBe(0);
    expect(s.debt).toBeGreaterThan(23); // 23 lines, complexity 21: weighted well above the line count
    expect(s.debtMinutes).toBe(Math.round(s.debt / 5));
    expect(s.debtReadingTime).toBe(readingTime(s.debt));
    expect(s.readFirst[0].target).toBe('src/agent.ts#pick');
    const text = grasp(['summary', '--db', db]);
    expect(text).toMatch(/claude\s+1 commits\s+23 lines/);
    expect(text).toContain('Read first:\n  1. src/agent.ts#pick');
  }, 60_000);

  it('reads time in units a person acts on', () => {
    expect(readingTime(0)).toBe('none');
    expect(readingTime(2)).toBe('under a minute');
    expect(readingTime(100)).toBe('about 20 minutes');
    expect(readingTime(17_400)).toBe('about 58 hours');
  });
});

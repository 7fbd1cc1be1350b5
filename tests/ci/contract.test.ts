/**
 * The Action's contract: on a pull_request event naming the fixture's commits, `grasp ci github
 * --dry-run` writes the checklist to the job summary and gate=fail while the agent-written symbol
 * has no reviewed mark; after `grasp mark ... --level reviewed` the same command writes gate=pass.
 * `--enforce` turns a failing gate into exit 1.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';
import { grasp, pullRequestEvent, runnerEnv } from './helpers.ts';

const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';
const repo = new GitFixture();
const dir = tempDir('grasp-ci-');
afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('grasp ci github (contract)', () => {
  it('fails the gate until an engineer marks the agent-written symbol reviewed, then passes', async () => {
    repo.write('src/cart.ts', 'export function total(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n');
    const base = repo.commit({ message: 'cart total' });
    repo.git('checkout', '-q', '-b', 'claude/discount');
    repo.write(
      'src/cart.ts',
      'export function total(items: number[], discount = 0): number {\n  const sum = items.reduce((a, b) => a + b, 0);\n  if (discount > 0 && discount < 1) return sum * (1 - discount);\n  return sum;\n}\n',
    );
    const head = repo.commit({ message: `cart: discounts\n\n${CLAUDE}` });
    // actions/checkout leaves a detached HEAD at the PR's commit.
    repo.git('checkout', '-q', '--detach', head);
    const db = join(dir, 'grasp.db');
    const event = pullRequestEvent({ number: 7, base, head });

    const first = runnerEnv(dir, repo.dir, event);
    const failing = await grasp(['ci', 'github', '--db', db, '--dry-run'], first.env);
    expect(failing.stderr).not.toMatch(/unexpected|at .*\.ts:\d+/);
    expect(failing.code).toBe(0);
    expect(first.summary().startsWith('<!-- grasp:checklist -->\n')).toBe(true);
    expect(first.summary()).toContain('total');
    expect(first.summary()).toContain('Merge gate: fail');
    expect(first.outputs()).toMatchObject({ gate: 'fail', unreviewed: '1' });
    expect(Number(first.outputs().debt)).toBeGreaterThan(0);
    expect(Number(first.outputs()['effort-minutes'])).toBeGreaterThan(0);

    const enforced = runnerEnv(dir, repo.dir, event);
    const exit1 = await grasp(['ci', 'github', '--db', db, '--dry-run', '--enforce'], enforced.env);
    expect(exit1.code).toBe(1);
    expect(enforced.outputs().gate).toBe('fail');

    expect((await grasp(['engineer', 'add', 'ada', '--name', 'Ada', '--db', db])).code).toBe(0);
    const mark = await grasp(['mark', 'src/cart.ts#total', '--as', 'ada', '--level', 'reviewed', '--db', db]);
    expect(mark.code).toBe(0);

    const second = runnerEnv(dir, repo.dir, event);
    const passing = await grasp(['ci', 'github', '--db', db, '--dry-run', '--enforce'], second.env);
    expect(passing.stderr).not.toContain('unexpected');
    expect(passing.code).toBe(0);
    expect(second.summary().startsWith('<!-- grasp:checklist -->\n')).toBe(true);
    expect(second.summary()).toContain('Merge gate: pass');
    expect(second.outputs()).toMatchObject({ gate: 'pass', unreviewed: '0', debt: '0' });
  }, 120_000);
});

/**
 * The queue's gate column: each piece of work gated by the tracked repository's policy
 * (`.github/grasp.yml`, else the default policy), from real git branches and real marks.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openNodeStore } from '../../src/db/node/open.ts';
import { createApp } from '../../src/http/app.ts';
import { unmergedBranches } from '../../src/git/branches.ts';
import { loadPolicy } from '../../src/ci/policy-file.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const run = (args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8' });
const grasp = (args: string[]) => execFileSync('node', [bin, ...args], { encoding: 'utf8' });
const agent = (name: string, email: string) => `\n\nCo-authored-by: ${name} <${email}>`;

interface Row {
  branch: string;
  gate: string | null;
  gateFailing: number | null;
}

describe('gate state in the queue', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-queue-gate-'));
  const db = join(dir, 'g.db');
  const shas: Record<string, { head: string }> = {};
  const queue = (extra: string[] = []) => {
    const out = JSON.parse(grasp(['queue', '--db', db, '--json', ...extra])) as { prs: Row[]; policy: string | null };
    return { policy: out.policy, by: new Map(out.prs.map((p) => [p.branch, p])) };
  };

  beforeAll(() => {
    const base = repo
      .write('src/cart.ts', 'export function total(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0);\n}\n')
      .write('src/util.ts', 'export const one = 1;\n')
      .commit({ message: 'base' });
    repo.branch('claude/tax', base).checkout('claude/tax');
    repo
      .write('src/cart.ts', 'export function total(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0) * 1.2;\n}\nexport function tax(x: number) {\n  return x * 0.2;\n}\n')
      .commit({ message: `tax${agent('Claude', 'noreply@anthropic.com')}` });
    shas['claude/tax'] = { head: repo.head() };
    repo.checkout('main').branch('codex/util', base).checkout('codex/util');
    repo.write('src/util.ts', 'export const one = 1;\nexport function two() {\n  return one + one;\n}\n').commit({ message: `util${agent('Codex', 'codex@openai.com')}` });
    shas['codex/util'] = { head: repo.head() };
    repo.checkout('main');
    grasp(['ingest', repo.dir, '--db', db, '--all-refs']);
    grasp(['engineer', 'add', 'ada', '--db', db, '--name', 'Ada', '--email', 'ada@shop.dev']);
  }, 90_000);
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails unreviewed agent work under the default policy, counting the unmarked items, and passes once they are reviewed', () => {
    const before = queue();
    expect(before.policy).toBe('default policy');
    expect(before.by.get('claude/tax')).toMatchObject({ gate: 'fail', gateFailing: 2 });
    expect(before.by.get('codex/util')).toMatchObject({ gate: 'fail', gateFailing: 1 });

    // `grasp mark` marks the default branch's versions; a review of the branch (as a GitHub
    // approval would record it) marks the versions at the branch head.
    const atHead = JSON.parse(grasp(['symbols', 'src/cart.ts', '--db', db, '--at', shas['claude/tax']!.head, '--json'])) as { name: string; hash: string }[];
    expect(atHead.map((s) => s.name).sort()).toEqual(['tax', 'total']);
    const sqlite = new Database(db);
    try {
      const ada = sqlite.prepare('SELECT id FROM engineers WHERE handle = ?').get('ada') as { id: number };
      const insert = sqlite.prepare("INSERT INTO marks (engineer_id, file, name, hash, level, source, target, created_at) VALUES (?, 'src/cart.ts', ?, ?, 'reviewed', 'github', 'pr', 1800000000)");
      for (const s of atHead) insert.run(ada.id, s.name, s.hash);
    } finally {
      sqlite.close();
    }
    const after = queue();
    expect(after.by.get('claude/tax')).toMatchObject({ gate: 'pass', gateFailing: 0 });
    expect(after.by.get('codex/util')).toMatchObject({ gate: 'fail', gateFailing: 1 });

    expect(grasp(['queue', '--db', db, '--format', 'md'])).toMatch(/`codex\/util` \|[^\n]*\| fail \(1 unmarked\) \|/);
    expect(grasp(['queue', '--db', db]).split('\n')[0]).toMatch(/\bgate\b/);
  }, 60_000);

  it("reads the repository's .github/grasp.yml, and --policy FILE overrides it", () => {
    writeFileSync(join(dir, 'strict.yml'), 'require: explained\n');
    expect(queue(['--policy', join(dir, 'strict.yml')]).by.get('claude/tax')).toMatchObject({ gate: 'fail', gateFailing: 2 });

    repo.write('.github/grasp.yml', 'ignore: ["src/util.ts"]\n');
    const q = queue();
    expect(q.policy).toBe('.github/grasp.yml');
    expect(q.by.get('codex/util')).toMatchObject({ gate: 'pass', gateFailing: 0 });
  }, 60_000);

  it('an invalid repository policy leaves the gate out with one warning; a missing --policy is one line, exit 2', () => {
    repo.write('.github/grasp.yml', 'require: sometimes\n');
    const res = run(['queue', '--db', db, '--json']);
    expect(res.status).toBe(0);
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: gate left out: \.github\/grasp\.yml line 1: require: unknown level "sometimes"/)]);
    const out = JSON.parse(res.stdout) as { prs: Row[]; policy: string | null };
    expect(out.policy).toBeNull();
    for (const p of out.prs) expect([p.gate, p.gateFailing]).toEqual([null, null]);

    const missing = run(['queue', '--db', db, '--policy', join(dir, 'nope.yml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('cannot read the policy');
    repo.remove('.github/grasp.yml');
  }, 60_000);

  it('GET /api/queue and the /queue page show the gate', async () => {
    const store = openNodeStore(db);
    try {
      const app = createApp({ store, branches: unmergedBranches, policy: (root) => loadPolicy({ workspace: root }) });
      const api = (await (await app.request('/api/queue')).json()) as { prs: Row[]; policy: string };
      expect(api.policy).toBe('default policy');
      expect(new Map(api.prs.map((p) => [p.branch, [p.gate, p.gateFailing]]))).toEqual(
        new Map([
          ['claude/tax', ['pass', 0]],
          ['codex/util', ['fail', 1]],
        ]),
      );
      const html = await (await app.request('/queue')).text();
      expect(html).toContain('<td data-gate="fail">fail (1 unmarked)</td>');
      expect(html).toContain('<td data-gate="pass">pass</td>');
    } finally {
      store.close();
    }
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openNodeStore } from '../../src/db/node/open.ts';
import { createApp } from '../../src/http/app.ts';
import { unmergedBranches } from '../../src/git/branches.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const grasp = (args: string[]) => execFileSync('node', [bin, ...args], { encoding: 'utf8' });
const agent = (name: string, email: string) => `\n\nCo-authored-by: ${name} <${email}>`;

const cart = (total: string) =>
  ['export class Cart {', '  items: number[] = [];', '  total() {', `    ${total}`, '  }', '  add(n: number) {', '    this.items.push(n);', '  }', '}', ''].join('\n');

describe('grasp queue with git-only data', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-queue-'));
  const db = join(dir, 'g.db');
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ranks unmerged branches and names the collision on the method both change, not the third branch', () => {
    const base = repo.write('src/cart.ts', cart('return this.items.reduce((a, b) => a + b, 0);')).write('src/other.ts', 'export const x = 1;\n').commit({ message: 'base' });
    repo.branch('claude/tax', base).checkout('claude/tax');
    repo.write('src/cart.ts', cart('return this.items.reduce((a, b) => a + b, 0) * 1.2;')).commit({ message: `tax${agent('Claude', 'noreply@anthropic.com')}` });
    repo.checkout('main').branch('codex/round', base).checkout('codex/round');
    repo.write('src/cart.ts', cart('return Math.round(this.items.reduce((a, b) => a + b, 0));')).commit({ message: `round${agent('Codex', 'codex@openai.com')}` });
    repo.checkout('main').branch('cursor/other', base).checkout('cursor/other');
    repo.write('src/other.ts', 'export const x = 2;\nexport function y(a: number) {\n  return a > 1 ? a : 0;\n}\n').commit({ message: `other${agent('Cursor Agent', 'cursoragent@cursor.com')}` });
    repo.checkout('main');
    grasp(['ingest', repo.dir, '--db', db, '--all-refs']);

    const q = JSON.parse(grasp(['queue', '--db', db, '--json'])) as { prs: { number: number | null; branch: string; agent: string; urgency: number; collisions: { symbol: string; file: string; prs: number[]; branches: string[] }[] }[] };
    expect(q.prs.map((p) => p.branch).sort()).toEqual(['claude/tax', 'codex/round', 'cursor/other']);
    for (const p of q.prs) expect(p.number).toBeNull();
    const urgencies = q.prs.map((p) => p.urgency);
    expect([...urgencies].sort((a, b) => b - a)).toEqual(urgencies);
    const by = new Map(q.prs.map((p) => [p.branch, p]));
    expect(by.get('claude/tax')!.collisions).toEqual([{ symbol: 'Cart.total', file: 'src/cart.ts', prs: [], branches: ['claude/tax', 'codex/round'], agents: ['claude', 'codex'] }]);
    expect(by.get('codex/round')!.collisions).toHaveLength(1);
    expect(by.get('cursor/other')!.collisions).toEqual([]);
    expect(by.get('claude/tax')!.agent).toBe('claude');

    const text = grasp(['queue', '--db', db]);
    expect(text.split('\n')[0]).toMatch(/^work\s+agent\s+urgency/);
    expect(grasp(['queue', '--db', db, '--format', 'md'])).toContain('`src/cart.ts#Cart.total`: claude/tax, codex/round (claude, codex)');
  }, 90_000);

  it('serves the queue and the scorecard as pages under the pages CSP', async () => {
    const store = openNodeStore(db);
    try {
      const app = createApp({ store, branches: unmergedBranches });
      const res = await app.request('/queue');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await res.text();
      for (const b of ['claude/tax', 'codex/round', 'cursor/other']) expect(html).toContain(`data-branch="${b}"`);
      expect(html).toContain('<code>src/cart.ts#Cart.total</code> with codex/round');
      const agents = await (await app.request('/agents')).text();
      expect(agents).toContain('data-agent="claude"');
      expect(agents).toMatch(/data-depth="(light|normal|deep)"/);
      // Without the repository at hand (a Worker) the queue has no branches to show.
      expect(await (await createApp({ store }).request('/queue')).text()).toContain('Nothing open');
    } finally {
      store.close();
    }
  });
});

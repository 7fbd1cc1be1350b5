/**
 * Explanations shown to the next reader (issue 21): an `explained` note appears on the checklist
 * item of a later change to its symbol, in the Markdown (the Action's comment, collapsed) and on the
 * checklist page, and in the engineer report; written for an earlier version it is shown stale with
 * the diff since; and it is found by search.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openNodeStore } from '../../src/db/node/open.ts';
import { createApp } from '../../src/http/app.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const grasp = (args: string[]) => execFileSync('node', [bin, ...args], { encoding: 'utf8' });
const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';
const source = (body: string) => `export function total(xs: number[]) {\n  ${body}\n}\n\nexport function keep() {\n  return 1;\n}\n`;

interface Item {
  symbol: string;
  explanation: { by: string; note: string; stale: boolean; diff: string | null } | null;
}

describe('explanations shown wherever the symbol appears', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-explained-'));
  const db = join(dir, 'g.db');
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the explanation on a later change to the symbol, stale with the diff since, then fresh once re-explained', async () => {
    const base = repo.write('src/a.ts', source('return xs.reduce((a, b) => a + b, 0);')).commit({ message: `sum\n\n${CLAUDE}` });
    grasp(['ingest', repo.dir, '--db', db]);
    for (const h of ['ada', 'bob']) grasp(['engineer', 'add', h, '--name', h, '--db', db]);
    grasp(['mark', 'src/a.ts#total', '--as', 'ada', '--level', 'explained', '--note', 'Adds up the cart line totals; empty carts are zero.', '--db', db]);
    const fresh = JSON.parse(grasp(['explain', 'search', 'cart totals', '--json', '--db', db])) as { target: string; stale: boolean }[];
    expect(fresh.map((h) => [h.target, h.stale])).toEqual([['src/a.ts#total', false]]);

    const head = repo.write('src/a.ts', source('return xs.reduce((a, b) => a + b, 0) | 0;')).commit({ message: `truncate\n\n${CLAUDE}` });
    grasp(['ingest', repo.dir, '--db', db]);

    const range = `${base}..${head}`;
    const items = (JSON.parse(grasp(['checklist', range, '--format', 'json', '--db', db])) as { items: Item[] }).items;
    const total = items.find((i) => i.symbol === 'total')!;
    expect(total.explanation).toMatchObject({ by: 'ada', note: 'Adds up the cart line totals; empty carts are zero.', stale: true });
    expect(total.explanation!.diff).toContain('-  return xs.reduce((a, b) => a + b, 0);\n+  return xs.reduce((a, b) => a + b, 0) | 0;');
    // Search still finds it, and says it is stale.
    expect((JSON.parse(grasp(['explain', 'search', 'cart totals', '--json', '--db', db])) as { stale: boolean }[]).map((h) => h.stale)).toEqual([true]);

    const md = grasp(['checklist', range, '--db', db]);
    expect(md).toContain('<details><summary>Explained by ada (');
    expect(md).toContain('— stale: written for an earlier version</summary>');
    expect(md).toContain('  > Adds up the cart line totals; empty carts are zero.');
    expect(md).toMatch(/What changed since it was written:\n\n\s*```diff\n[^]*\+  return xs\.reduce\(\(a, b\) => a \+ b, 0\) \| 0;/);

    const store = openNodeStore(db);
    try {
      const html = await (await createApp({ store }).request(`/checklist?base=${base}&head=${head}`)).text();
      expect(html).toContain('<details class="explanation" data-stale="yes">');
      expect(html).toContain('<blockquote>Adds up the cart line totals; empty carts are zero.</blockquote>');
      // The symbol itself (GET /api/symbols/lookup): the explanation, stale, with the diff to the current text.
      const looked = (await (await createApp({ store }).request('/api/symbols/lookup?target=src/a.ts%23total')).json()) as { explanation: Item['explanation'] };
      expect(looked.explanation).toMatchObject({ by: 'ada', stale: true, diff: expect.stringContaining('+  return xs.reduce((a, b) => a + b, 0) | 0;') });
    } finally {
      store.close();
    }

    // The engineer report shows it too, on the item bob doesn't understand yet.
    const report = JSON.parse(grasp(['report', 'bob', '--format', 'json', '--db', db])) as { items: Item[] };
    const inReport = report.items.find((i) => i.symbol === 'total')!;
    expect(inReport.explanation).toMatchObject({ by: 'ada', stale: true, diff: expect.stringContaining('+  return xs.reduce((a, b) => a + b, 0) | 0;') });
    const reportMd = grasp(['report', 'bob', '--db', db]);
    expect(reportMd).toContain('(stale: written for an earlier version):\n\n> Adds up the cart line totals; empty carts are zero.');
    expect(grasp(['report', 'bob', '--format', 'html', '--db', db])).toContain('<details class="grasp-explanation" data-stale="yes">');

    // Re-explained at the new version: the latest explanation is current, shown as is, no diff.
    grasp(['mark', 'src/a.ts#total', '--as', 'bob', '--level', 'explained', '--note', 'Sums and truncates to an integer.', '--db', db]);
    const again = (JSON.parse(grasp(['checklist', range, '--format', 'json', '--db', db])) as { items: Item[] }).items.find((i) => i.symbol === 'total')!;
    expect(again.explanation).toMatchObject({ by: 'bob', note: 'Sums and truncates to an integer.', stale: false, diff: null });
    expect(grasp(['checklist', range, '--db', db])).not.toContain('What changed since it was written');
  }, 90_000);
});

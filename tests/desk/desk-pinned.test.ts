/**
 * The review queue and the agent scorecard pinned on a realistic team database
 * (tests/helpers/desk-fixture.ts): the JSON files under pinned/ were written by the per-PR
 * implementation (a full checklist per PR, a pass per agent) before the set-based rewrite, and
 * the rewrite must reproduce them exactly. A change of results shows here as a diff of the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/ci/policy-file.ts';
import { scorecardJson } from '../../src/desk/agents-json.ts';
import { loadScorecards } from '../../src/desk/agents-load.ts';
import { loadQueue } from '../../src/desk/queue-load.ts';
import { unmergedBranches } from '../../src/git/branches.ts';
import { buildDeskFixture, DESK_NOW, type DeskFixture } from '../helpers/desk-fixture.ts';

const asJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('desk results pinned on a team database', () => {
  let fx: DeskFixture;
  beforeAll(async () => {
    fx = await buildDeskFixture();
  }, 240_000);
  afterAll(() => fx?.cleanup());
  const withRepository = { now: DESK_NOW, branches: unmergedBranches, policy: (root: string) => loadPolicy({ workspace: root }) };

  it('the queue for a reader, for nobody, and for one repository is the pinned one', async () => {
    const asAda = await loadQueue(fx.store, { ...withRepository, as: 'ada' });
    const anonymous = await loadQueue(fx.store, { ...withRepository });
    const bobInShop = await loadQueue(fx.store, { ...withRepository, as: 'bob', repo: 'acme/shop' });
    const worker = await loadQueue(fx.store, { now: DESK_NOW, as: 'carol' }); // no git at hand: no branches, default policy

    // The fixture does what it claims, so the pinned file is worth pinning.
    const work = (p: { repo: string; number: number | null; branch: string | null }) => `${p.repo}:${p.number ?? p.branch}`;
    expect(asAda.prs.map(work).sort()).toEqual(
      ['acme/api:3', 'acme/api:4', 'acme/shop:11', 'acme/shop:12', 'acme/shop:13', 'acme/shop:14', 'acme/shop:15', 'acme/tools:claude/flags', 'acme/tools:codex/argv', 'acme/tools:cursor/help'].sort(),
    );
    expect(asAda.collisions.map((c) => `${c.repo}:${c.file}#${c.symbol}:${[...c.prs, ...c.branches].join(',')}`).sort()).toEqual([
      'acme/api:src/handler.ts#handle:3,4',
      'acme/shop:src/cart.ts#Cart.total:11,12',
      'acme/shop:src/util.ts#round2:12,13',
      'acme/tools:src/cli.ts#parse:claude/flags,codex/argv',
    ]);
    expect(asAda.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^#16: /), expect.stringMatching(/^branch copilot\/late: not ingested/)]));
    expect(asAda.prs.some((p) => p.newForMe.some((n) => n.since === 'stale'))).toBe(true);
    expect(asAda.prs.some((p) => p.gate === 'pass') && asAda.prs.some((p) => p.gate === 'fail')).toBe(true);
    expect(asAda.prs.some((p) => p.awaitsMe)).toBe(true);
    expect(asAda.prs.flatMap((p) => p.flagCodes)).toEqual(expect.arrayContaining(['dependency', 'swallowed-error', 'exported-signature']));
    expect(anonymous.prs.every((p) => p.newForMe.length === 0)).toBe(true);
    expect(asAda.policy).toBe('default policy; .github/grasp.yml');

    await expect(asJson({ asAda, anonymous, bobInShop, worker })).toMatchFileSnapshot('./pinned/queue.json');
  });

  it('the scorecard over every commit and since a date is the pinned one', async () => {
    const all = await loadScorecards(fx.store, { now: DESK_NOW });
    const since = await loadScorecards(fx.store, { now: DESK_NOW, since: Date.parse('2026-11-03T00:00:00Z') / 1000 });
    expect(all.agents.map((a) => a.agent).sort()).toEqual(['claude', 'codex', 'copilot', 'cursor']);
    expect(all.agents.find((a) => a.agent === 'claude')!.reverts).toBe(1);
    expect(all.agents.some((a) => a.basis.churn14.churned > 0)).toBe(true);
    expect(all.agents.some((a) => a.rubberStamps > 0)).toBe(true);
    expect(all.agents.some((a) => (a.coverage ?? 0) > 0)).toBe(true);
    expect(all.agents.find((a) => a.agent === 'codex')!.basis.flags).toBeGreaterThan(0);

    await expect(asJson({ all, since, json: scorecardJson(all) })).toMatchFileSnapshot('./pinned/scorecard.json');
  });
});

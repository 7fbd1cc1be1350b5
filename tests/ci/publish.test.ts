/**
 * Without --dry-run the command posts the one checklist comment and the `grasp / understanding`
 * check run, through recorded GitHub answers validated against GitHub's schema: the failing item
 * is the check's text and an annotation on its lines, and an unenforced failing gate is neutral.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getGateTarget } from '../../src/db/repo/check-runs.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

import { createToken } from '../../src/db/repo/tokens.ts';
import { startServer } from '../../src/node.ts';
import { loadScenario, recordedFetch } from '../fixtures/github/recorded-fetch.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';
import { grasp, loopbackGithub, pullRequestEvent, runnerEnv } from './helpers.ts';

const repo = new GitFixture();
const dir = tempDir('grasp-ci-post-');
const closers: (() => void)[] = [];
afterAll(() => {
  for (const c of closers) c();
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('grasp ci github, publishing', () => {
  it('creates the checklist comment and a neutral check run with an annotation on the unreviewed symbol', async () => {
    repo.write('src/pay.ts', 'export function fee(n: number) {\n  return n;\n}\n');
    const base = repo.commit({ message: 'fee' });
    repo.write('src/pay.ts', 'export function fee(n: number) {\n  if (n > 100) return n * 0.02;\n  return n * 0.03;\n}\n');
    const head = repo.commit({ message: 'fee tiers\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    const served = recordedFetch(loadScenario('ci-publish', { head }));
    const gh = await loopbackGithub(served);
    closers.push(() => gh.server.close());
    const r = runnerEnv(dir, repo.dir, pullRequestEvent({ number: 9, base, head }), 'pull_request', {
      GITHUB_TOKEN: 'ghs_runner',
      GITHUB_GRAPHQL_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '42',
    });
    const res = await grasp(['ci', 'github', '--db', join(dir, 'g.db')], r.env);
    expect(served.violation()).toBeNull();
    expect(res.stderr).not.toContain('unexpected');
    expect(res.code).toBe(0);
    expect(served.remaining()).toBe(0);
    expect(served.sent.map((s) => s.operation)).toEqual(['ChecklistTarget', 'AddChecklistComment', 'GraspCheckRuns', 'CreateGraspCheckRun']);
    expect(served.sent[0]!.authorization).toBe('token ghs_runner');
    const body = String(served.sent[1]!.variables.body);
    expect(body.startsWith('<!-- grasp:checklist -->\n')).toBe(true);
    expect(body).toContain('Merge gate: fail');
    const input = served.sent[3]!.variables.input as Record<string, any>;
    expect(input).toMatchObject({ name: 'grasp / understanding', headSha: head, status: 'COMPLETED', conclusion: 'NEUTRAL', detailsUrl: 'https://github.com/Codertocat/Hello-World/actions/runs/42' });
    expect(input.repositoryId).toBe(pullRequestEvent({ number: 9, base, head }).repository.node_id);
    expect(input.output.title).toBe('grasp gate failed: 1 item needs a reviewed mark');
    expect(input.output.text).toContain('src/pay.ts#fee');
    expect(input.output.annotations).toEqual([
      expect.objectContaining({ path: 'src/pay.ts', location: { startLine: 1, endLine: 4 }, annotationLevel: 'WARNING' }),
    ]);
    expect(r.outputs().gate).toBe('fail');
    // The run's id is remembered on the PR, so a later update (a re-run, the service) finds it.
    const store = openRepoStore(join(dir, 'g.db'));
    try {
      expect(await getGateTarget(store, 9)).toMatchObject({ checkRunId: 'CR_kwDOGrasp0001', checkRunHeadSha: head, headSha: head, baseSha: base });
    } finally {
      store.close();
    }
  }, 120_000);

  it('with --server, reports its check run to the team service so later marks can update it', async () => {
    const served = recordedFetch(loadScenario('ci-publish', { head: repo.git('rev-parse', 'HEAD').trim() }));
    const gh = await loopbackGithub(served);
    closers.push(() => gh.server.close());
    const serviceStore = openRepoStore(join(dir, 'service.db'));
    const admin = (await createToken(serviceStore, { admin: true })).token;
    const service = await startServer({ store: serviceStore, port: 0 });
    try {
      const head = repo.git('rev-parse', 'HEAD').trim();
      const base = repo.git('rev-parse', 'HEAD~1').trim();
      const r = runnerEnv(dir, repo.dir, pullRequestEvent({ number: 9, base, head }), 'pull_request', { GITHUB_TOKEN: 'ghs_runner', GITHUB_GRAPHQL_URL: gh.url, GRASP_PUSH_TOKEN: admin });
      const res = await grasp(['ci', 'github', '--db', join(dir, 'remote.db'), '--server', service.url], r.env);
      expect(served.violation()).toBeNull();
      expect(res.stderr).not.toContain('warning');
      expect(res.code).toBe(0);
      expect(await getGateTarget(serviceStore, 9)).toMatchObject({ checkRunId: 'CR_kwDOGrasp0001', checkRunHeadSha: head, headSha: head, baseSha: base, state: 'OPEN' });
    } finally {
      await service.close(100);
      serviceStore.close();
    }
  }, 120_000);
});

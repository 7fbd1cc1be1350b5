/**
 * The gate turns green when people act, service-side: `grasp serve` (a real HTTP server on a real
 * SQLite file holding a real fixture repository's history) with GRASP_GITHUB_TOKEN re-evaluates
 * a PR's gate after a mark write and after GitHub's "Re-run" (`check_run` `rerequested`, GitHub's
 * own example payload rewritten to the fixture), and updates the workflow's check run through
 * recorded GitHub answers validated against GitHub's schema. Without the token nothing is sent;
 * a GitHub outage leaves the mark write's answer as it is.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { DEFAULT_POLICY } from '../../src/ci/policy.ts';
import type { GateRefresher } from '../../src/ci/refresh.ts';
import { setMeta } from '../../src/db/repo/commits.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { getGateTarget } from '../../src/db/repo/check-runs.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

import { forRepo, type Store, type RepoStore } from '../../src/db/store.ts';
import { signWebhookBody } from '../../src/github/webhook-signature.ts';
import { createApp, gateRefresherFor } from '../../src/http/app.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { startServer, type RunningServer } from '../../src/node.ts';
import { loadScenario, recordedFetch, type RecordedFetch } from '../fixtures/github/recorded-fetch.ts';
import { GitFixture, HUMAN, tempDir } from '../helpers/git-fixture.ts';
import { exampleEvent, pullRequestEvent, REPOSITORY } from './helpers.ts';

const SECRET = 'webhook secret for the gate tests';
const WORKFLOW_RUN = 'CR_kwDOGrasp0001';
const repo = new GitFixture();
const dir = tempDir('grasp-service-gate-');
let base = '';
let head = '';

beforeAll(() => {
  repo.write('src/pay.ts', 'export function fee(n: number) {\n  return n;\n}\n');
  base = repo.commit({ author: HUMAN, message: 'fee' });
  repo.write('src/pay.ts', 'export function fee(n: number) {\n  if (n > 100) return n * 0.02;\n  return n * 0.03;\n}\n');
  head = repo.commit({ author: HUMAN, message: 'fee tiers\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
});

const open: { store: RepoStore; server: RunningServer }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.server.close(100);
    o.store.close();
  }
});
afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

interface Service {
  url: string;
  store: RepoStore;
  gates: GateRefresher | null;
  warnings: string[];
  admin: string;
  ada: string;
}

/** A service holding the fixture's history, an engineer, and PR #9 whose workflow run failed the gate. */
async function service(opts: { token: string | undefined; github: RecordedFetch }): Promise<Service> {
  const store = openRepoStore(join(dir, `g-${Math.random().toString(36).slice(2)}.db`));
  await ingestRepository(store, repo.dir);
  await analyzeRepository(store, repo.dir);
  await addEngineer(store, { handle: 'ada', emails: [HUMAN.email] });
  await setMeta(store, 'repo.1.github.repo', REPOSITORY);
  const warnings: string[] = [];
  // The refresher the app builds from GRASP_GITHUB_TOKEN, with its warnings captured.
  const gates = gateRefresherFor({ store, githubToken: opts.token, githubFetch: opts.github.fetch }, (line) => warnings.push(line));
  const server = await startServer({ store, port: 0, webhookSecret: SECRET, gates });
  open.push({ store, server });
  const admin = (await createToken(store, { admin: true })).token;
  const ada = (await createToken(store, { handle: 'ada' })).token;
  // What `grasp ci github --server` reports after creating its check run on PR #9.
  const put = await fetch(`${server.url}/api/gate/check-run`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ number: 9, base, head, checkRunId: WORKFLOW_RUN, repository: REPOSITORY, repositoryId: pullRequestEvent({ number: 9, base, head }).repository.node_id, policy: DEFAULT_POLICY }),
  });
  expect(put.status).toBe(200);
  return { url: server.url, store, gates, warnings, admin, ada };
}

async function markFee(s: Service) {
  const res = await fetch(`${s.url}/api/marks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.ada}`, 'content-type': 'application/json' },
    body: JSON.stringify({ target: 'src/pay.ts#fee', level: 'reviewed' }),
  });
  return { status: res.status, body: (await res.json()) as { marks: { symbol: string; level: string; at: string }[] } };
}

describe('service-side gate updates', () => {
  it('a mark on the failing symbol sends one updateCheckRun concluding success to the stored run', async () => {
    const github = recordedFetch(loadScenario('service-gate-update'));
    const s = await service({ token: 'ghs_service', github });
    expect(await getGateTarget(s.store, 9)).toMatchObject({ checkRunId: WORKFLOW_RUN, checkRunHeadSha: head, headSha: head, baseSha: base });
    const res = await markFee(s);
    expect(res.status).toBe(201);
    await s.gates!.idle();
    expect(github.violation()).toBeNull();
    expect(github.sent.map((r) => r.operation)).toEqual(['UpdateGraspCheckRun']);
    expect(github.sent[0]!.authorization).toBe('token ghs_service');
    const input = github.sent[0]!.variables.input as Record<string, any>;
    expect(input).toMatchObject({ checkRunId: WORKFLOW_RUN, name: 'grasp / understanding', status: 'COMPLETED', conclusion: 'SUCCESS' });
    expect(input.output.title).toMatch(/^grasp gate passed/);
    expect(s.warnings).toEqual([]);
  }, 60_000);
});

async function webhook(s: Service, event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${s.url}/webhooks/github`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': `d-${Math.random().toString(36).slice(2)}`,
      'x-hub-signature-256': await signWebhookBody(SECRET, body),
    },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** GitHub's own `check_run` `rerequested` example, pointed at the fixture's PR head and grasp's check. */
function rerunEvent(): Record<string, any> {
  const e = exampleEvent('check_run', 'rerequested');
  e.check_run.name = 'grasp / understanding';
  e.check_run.head_sha = head;
  e.check_run.pull_requests = [{ ...(e.check_run.pull_requests[0] ?? {}), number: 9, head: { ref: 'fee', sha: head }, base: { ref: 'main', sha: base } }];
  e.repository.full_name = REPOSITORY;
  return e;
}

describe('service-side gate updates, re-runs and failures', () => {
  it('answers a check_run rerequested delivery with one updateCheckRun on the stored run', async () => {
    const github = recordedFetch(loadScenario('service-gate-update'));
    const s = await service({ token: 'ghs_service', github });
    const res = await webhook(s, 'check_run', rerunEvent());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, event: 'check_run', action: 'rerequested', gate: 're-evaluating' });
    await s.gates!.idle();
    expect(github.violation()).toBeNull();
    expect(github.sent.map((r) => r.operation)).toEqual(['UpdateGraspCheckRun']);
    // Nobody marked fee yet: still failing, and the default policy does not enforce (neutral).
    expect(github.sent[0]!.variables.input).toMatchObject({ checkRunId: WORKFLOW_RUN, conclusion: 'NEUTRAL' });
    expect((github.sent[0]!.variables.input as any).output.annotations).toEqual([expect.objectContaining({ path: 'src/pay.ts', location: { startLine: 1, endLine: 4 } })]);
  }, 60_000);

  it('ignores a re-run of another app\u2019s check', async () => {
    const github = recordedFetch([]);
    const s = await service({ token: 'ghs_service', github });
    const other = rerunEvent();
    other.check_run.name = 'randscape';
    const res = await webhook(s, 'check_run', other);
    expect(res.status).toBe(200);
    expect(res.body.ignored).toContain('re-run request');
    await s.gates!.idle();
    expect(github.sent).toEqual([]);
  }, 60_000);

  it('sends nothing without GRASP_GITHUB_TOKEN, and says so to a re-run request', async () => {
    const github = recordedFetch([]);
    const s = await service({ token: undefined, github });
    expect(s.gates).toBeNull();
    const res = await markFee(s);
    expect(res.status).toBe(201);
    const rerun = await webhook(s, 'check_run', rerunEvent());
    expect(rerun.body.ignored).toContain('GRASP_GITHUB_TOKEN');
    // Give any stray background work a chance to run before checking that nothing went out.
    await new Promise((r) => setTimeout(r, 200));
    expect(github.sent).toEqual([]);
  }, 60_000);

  it('a GitHub outage (502) leaves the mark write answering as without the token, with a warning', async () => {
    const github = recordedFetch(loadScenario('service-gate-outage'));
    const s = await service({ token: 'ghs_service', github });
    const quiet = await service({ token: undefined, github: recordedFetch([]) });
    const [failing, plain] = [await markFee(s), await markFee(quiet)];
    expect(failing.status).toBe(201);
    expect(failing.status).toBe(plain.status);
    const shape = (b: typeof failing.body) => b.marks.map(({ at: _at, ...m }) => m);
    expect(shape(failing.body)).toEqual(shape(plain.body));
    await s.gates!.idle();
    expect(github.sent.map((r) => r.operation)).toEqual(['UpdateGraspCheckRun', 'UpdateGraspCheckRun']);
    expect(s.warnings).toEqual([expect.stringMatching(/^grasp: warning: could not update the grasp \/ understanding check of PR #9: GitHub answered 502/)]);
  }, 60_000);

  it('coalesces a burst into one run in flight and one follow-up per PR', async () => {
    const github = recordedFetch(loadScenario('service-gate-burst'));
    const s = await service({ token: 'ghs_service', github });
    // Five triggers in the same turn (as from five marks landing together): one runs, the rest share one follow-up.
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => s.gates!.refresh(forRepo(s.store, 1), [9, 9])));
    await s.gates!.idle();
    expect(github.violation()).toBeNull();
    expect(github.sent.map((r) => r.operation)).toEqual(['UpdateGraspCheckRun', 'UpdateGraspCheckRun']);
    expect(outcomes.flat().every((o) => o.number === 9 && o.action === 'updated')).toBe(true);
  }, 60_000);

  it('a mark touching only the symbols of a closed PR sends nothing', async () => {
    const github = recordedFetch([]);
    const s = await service({ token: 'ghs_service', github });
    // PR #9 closed by a later webhook: its gate is nobody's concern any more.
    const closed = pullRequestEvent({ number: 9, base, head, repository: REPOSITORY });
    closed.action = 'closed';
    closed.pull_request.state = 'closed';
    closed.pull_request.updated_at = '2099-01-01T00:00:00Z';
    expect((await webhook(s, 'pull_request', closed)).status).toBe(200);
    expect((await getGateTarget(s.store, 9))?.state).toBe('CLOSED');
    expect((await markFee(s)).status).toBe(201);
    await new Promise((r) => setTimeout(r, 200));
    await s.gates!.idle();
    expect(github.sent).toEqual([]);
  }, 60_000);
});

describe('service-side gate updates, another app\'s run', () => {
  it('creates its own run on the head when GitHub refuses to update the workflow\'s, and stores it', async () => {
    const github = recordedFetch(loadScenario('service-gate-refused', { head }));
    const s = await service({ token: 'ghs_service', github });
    expect((await markFee(s)).status).toBe(201);
    await s.gates!.idle();
    expect(github.violation()).toBeNull();
    expect(github.sent.map((r) => r.operation)).toEqual(['UpdateGraspCheckRun', 'GraspCheckRuns', 'CreateGraspCheckRun']);
    expect(github.sent[2]!.variables.input).toMatchObject({ headSha: head, conclusion: 'SUCCESS', name: 'grasp / understanding' });
    expect(await getGateTarget(s.store, 9)).toMatchObject({ checkRunId: 'CR_kwDOService0002', checkRunHeadSha: head });
    expect(s.warnings).toEqual([]);
  }, 60_000);
});

describe('service-side gate updates on Workers', () => {
  it('hands the re-evaluation to executionCtx.waitUntil instead of running it before the answer', async () => {
    const github = recordedFetch(loadScenario('service-gate-update'));
    const s = await service({ token: 'ghs_service', github });
    // The same store behind the app as a Worker would run it: with an ExecutionContext.
    const app = createApp({ store: s.store, gates: s.gates });
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waited.push(p), passThroughOnException() {}, props: {} };
    const res = await app.request(
      '/api/marks',
      { method: 'POST', headers: { authorization: `Bearer ${s.ada}`, 'content-type': 'application/json' }, body: JSON.stringify({ target: 'src/pay.ts#fee', level: 'reviewed' }) },
      {},
      ctx as never,
    );
    expect(res.status).toBe(201);
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    await s.gates!.idle();
    expect(github.sent.map((r) => r.operation)).toEqual(['UpdateGraspCheckRun']);
    expect(github.sent[0]!.variables.input).toMatchObject({ conclusion: 'SUCCESS' });
  }, 60_000);
});

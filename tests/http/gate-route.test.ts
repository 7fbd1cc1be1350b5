/**
 * POST /api/gate: the service evaluates a range's gate with its own marks (what `grasp ci github
 * --server` asks); admin token only; bad bodies are the documented JSON error, never a 500.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { teamService } from '../../src/ci/remote.ts';
import { DEFAULT_POLICY } from '../../src/ci/policy.ts';
import { storedPolicy } from '../../src/ci/refresh.ts';
import { getGateTarget } from '../../src/db/repo/check-runs.ts';
import { addEngineer, getEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

import { createApp } from '../../src/http/app.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';

const repo = new GitFixture();
const dir = tempDir('grasp-gate-route-');
afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/gate', () => {
  it('answers the checklist and gate with the service marks; refuses engineers and bad bodies', async () => {
    repo.write('src/a.ts', 'export function a(x: number) {\n  return x;\n}\n');
    const base = repo.commit();
    repo.write('src/a.ts', 'export function a(x: number) {\n  return x > 2 ? x : 2;\n}\n');
    const head = repo.commit({ message: 'clamp\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    const store = openRepoStore(join(dir, 'g.db'));
    await ingestRepository(store, repo.dir, { name: 'app' });
    await analyzeRepository(store, repo.dir);
    await addEngineer(store, { handle: 'ada', name: 'Ada' });
    const admin = (await createToken(store, { admin: true })).token;
    const ada = (await createToken(store, { handle: 'ada' })).token;
    const app = createApp({ store });
    const service = teamService('http://grasp.test', admin, ((input: RequestInfo | URL, init?: RequestInit) => app.request(String(input), init)) as typeof fetch);

    const before = await service.evaluate({ repo: 'app', base, head, policy: DEFAULT_POLICY });
    expect(before.gate).toMatchObject({ pass: false, unreviewed: 1 });
    expect(before.checklist.items.map((i) => i.symbol)).toEqual(['a']);
    await recordMarks(store, { engineer: await getEngineer(store, 'ada'), target: 'src/a.ts#a', level: 'reviewed', source: 'web' });
    const after = await service.evaluate({ repo: 'app', base, head, policy: DEFAULT_POLICY });
    expect(after.gate).toMatchObject({ pass: true, unreviewed: 0, debt: 0 });

    const asEngineer = await app.request('/api/gate', { method: 'POST', headers: { authorization: `Bearer ${ada}`, 'content-type': 'application/json' }, body: JSON.stringify({ base, head }) });
    expect(asEngineer.status).toBe(403);
    for (const body of [{ base, head: 'HEAD' }, { base, head, policy: { require: 'approved' } }, { base, head, extra: 1 }, '{']) {
      const res = await app.request('/api/gate', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid' } });
    }

    // PUT /api/gate/check-run: what `grasp ci github --server` reports after creating its check run.
    await service.recordCheckRun({ number: 4, base, head, checkRunId: 'CR_kwDOGrasp0004', repository: 'acme/shop', repositoryId: 'R_kgDOacme', policy: { ...DEFAULT_POLICY, enforce: true } });
    expect(await getGateTarget(store, 4)).toMatchObject({ state: 'OPEN', headSha: head, baseSha: base, checkRunId: 'CR_kwDOGrasp0004', checkRunHeadSha: head });
    expect((await storedPolicy(store)).enforce).toBe(true);
    const good = { number: 4, base, head, checkRunId: 'CR_1', repository: 'acme/shop', repositoryId: 'R_1', policy: DEFAULT_POLICY };
    const put = (token: string, body: unknown) =>
      app.request('/api/gate/check-run', { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put(ada, good)).status).toBe(403);
    for (const body of [{ ...good, number: -1 }, { ...good, repository: 'no-slash' }, { ...good, head: 'HEAD' }, { ...good, policy: undefined }, { ...good, checkRunId: '' }]) {
      const res = await put(admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid' } });
    }
    store.close();
  }, 60_000);
});

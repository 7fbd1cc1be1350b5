/**
 * The real Worker: src/worker.ts bundled like `wrangler deploy` does, run in local workerd with a
 * D1 database, called over HTTP. Checks the bundle's import graph, the admin secret, the API on
 * D1, and the weekly Cron Trigger.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorker, NODE_ONLY, PROJECT_ROOT } from '../scripts/bundle-worker.ts';
import { generateToken } from '../src/core/tokens.ts';
import { getMeta } from '../src/db/repo/commits.ts';
import { createToken } from '../src/db/repo/tokens.ts';
import { tokens } from '../src/db/schema.ts';
import { startWorker, type TestWorker } from './helpers/d1.ts';
import { tempDir } from './helpers/git-fixture.ts';

describe('worker bundle', () => {
  it('contains no Node-only module and leaves nothing external', async () => {
    const bundle = await bundleWorker(join(tempDir('grasp-bundle-'), 'worker.mjs'));
    expect(bundle.inputs.some((i) => i.includes('src/http/app.ts'))).toBe(true);
    expect(bundle.inputs.some((i) => i.includes('drizzle-orm/d1'))).toBe(true);
    // Each offender is listed with the import chain that pulled it in from src/worker.ts.
    expect(bundle.nodeOnly.map((n) => n.chain.join(' -> '))).toEqual([]);
    expect(bundle.inputs.filter((i) => NODE_ONLY.test(i))).toEqual([]);
    expect(bundle.externals).toEqual([]);
    // The guard itself recognizes what it must keep out.
    expect(['node_modules/better-sqlite3/lib/index.js', 'node:fs', 'src/x.ts'].filter((i) => NODE_ONLY.test(i))).toEqual(['node_modules/better-sqlite3/lib/index.js', 'node:fs']);
  });

  it('wrangler deploy --dry-run bundles it and wrangler applies the migrations to a local D1', () => {
    const out = tempDir('grasp-wrangler-');
    const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1' };
    const deploy = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', join(out, 'dist')], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(deploy.status, deploy.stderr + deploy.stdout).toBe(0);
    expect(readFileSync(join(out, 'dist', 'worker.js'), 'utf8')).toContain('/api/import');
    const migrate = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'grasp', '--local', '--persist-to', join(out, 'state')], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(migrate.status, migrate.stderr + migrate.stdout).toBe(0);
    expect(migrate.stdout).toMatch(/0000_init\.sql/);
    rmSync(out, { recursive: true, force: true });
  }, 120_000);
});

describe('worker on D1 in workerd', () => {
  const adminToken = generateToken();
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { GRASP_ADMIN_TOKEN: adminToken, GRASP_WEBHOOK_SECRET: 'hook-secret', GRASP_D1_MAX_QUERIES: '60' } });
  });
  afterAll(() => worker?.dispose());

  const admin = (init: RequestInit = {}) => ({ ...init, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', ...(init.headers as object) } });

  it('serves the API from D1', async () => {
    const res = await worker.fetch('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, driver: 'd1' });
    const missing = await worker.fetch('/api/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not-found');
  });

  it('accepts the GRASP_ADMIN_TOKEN secret as admin, stored only as a hash', async () => {
    const me = await worker.fetch('/api/me', admin());
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ admin: true, engineer: null });
    const wrong = await worker.fetch('/api/me', { headers: { Authorization: `Bearer ${generateToken()}` } });
    expect(wrong.status).toBe(401);
    const rows = await worker.store.db.select().from(tokens);
    expect(rows.map((r) => r.hash).join()).not.toContain(adminToken);
    expect(rows.filter((r) => r.admin && r.revokedAt === null)).toHaveLength(1);
  });

  it('lets the admin add engineers and engineers write marks (the same routes as grasp serve)', async () => {
    const created = await worker.fetch('/api/engineers', admin({ method: 'POST', body: JSON.stringify({ handle: 'ada', emails: ['ada@example.com'] }) }));
    expect(created.status).toBe(201);
    const refused = await worker.fetch('/api/engineers', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle: 'eve' }) });
    expect(refused.status).toBe(401);
    const list = (await (await worker.fetch('/api/engineers')).json()) as { engineers: { handle: string; emails: string[] }[] };
    expect(list.engineers).toEqual([expect.objectContaining({ handle: 'ada', emails: ['ada@example.com'] })]);
    // Engineer tokens have no HTTP endpoint yet; mint one straight in the Worker's database.
    const { token } = await createToken(worker.store, { handle: 'ada' });
    const me = await worker.fetch('/api/me', { headers: { Authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ admin: false, engineer: 'ada' });
  });

  it('refuses an import batch over the statement budget the Worker was given', async () => {
    const status = (await (await worker.fetch('/api/import', admin())).json()) as { maxStatements: number; maxParams: number };
    expect(status.maxParams).toBe(100);
    expect(status.maxStatements).toBe(50); // GRASP_D1_MAX_QUERIES 60 minus headroom
    const rows = Array.from({ length: 64 }, (_, i) => [`${String(i).padStart(40, 'a')}`, i + 1, '[]', 'n', 'e', 1, 'n', 'e', 1, 's', 'm', null, '[]', 'human', null, 1, '[]', 0]);
    const fileRows = Array.from({ length: 600 }, (_, i) => [rows[0]![0], i, `f${i}`, null, 'A', null, 1, 0, false, null, null, '', '', false]);
    const body = { version: 2, generation: 'gen-test-1', origin: null, repo: 'acme/web', parts: [{ block: 'h:0', replace: true, tables: { commits: rows, file_changes: fileRows } }] };
    const res = await worker.fetch('/api/import', admin({ method: 'POST', body: JSON.stringify(body) }));
    expect(res.status).toBe(413);
    expect(await getMeta(worker.store, 'push.generation')).toBeNull();
  });

  it('runs the weekly digest on the Cron Trigger and stores it', async () => {
    const monday = new Date('2026-11-23T08:00:00Z');
    const result = await worker.scheduled(monday);
    expect(result.outcome).toBe('ok');
    const stored = await getMeta(worker.store, 'digest.2026-W47');
    expect(stored).not.toBeNull();
    expect(JSON.parse(stored!)).toMatchObject({ week: '2026-W47', previousWeek: '2026-W46' });
  });
});

describe('worker admin secret', () => {
  it('a malformed secret is not installed and the Worker keeps serving', async () => {
    const worker = await startWorker({ bindings: { GRASP_ADMIN_TOKEN: 'hunter2' } });
    try {
      expect((await worker.fetch('/api/health')).status).toBe(200);
      expect((await worker.fetch('/api/me', { headers: { Authorization: 'Bearer hunter2' } })).status).toBe(401);
      expect(await worker.store.db.select().from(tokens)).toEqual([]);
    } finally {
      await worker.dispose();
    }
  });

  it('rotating the secret revokes the previous one', async () => {
    const first = generateToken();
    const second = generateToken();
    const a = await startWorker({ bindings: { GRASP_ADMIN_TOKEN: first } });
    try {
      expect((await a.fetch('/api/me', { headers: { Authorization: `Bearer ${first}` } })).status).toBe(200);
      // A second Worker on the same database plays the redeploy with a new secret.
      const { installSecretAdminToken } = await import('../src/db/repo/admin-token.ts');
      await installSecretAdminToken(a.store, second);
      const rows = await a.store.db.select().from(tokens).where(eq(tokens.admin, true));
      expect(rows.filter((r) => r.revokedAt === null)).toHaveLength(1);
      expect((await a.fetch('/api/me', { headers: { Authorization: `Bearer ${second}` } })).status).toBe(200);
      expect((await a.fetch('/api/me', { headers: { Authorization: `Bearer ${first}` } })).status).toBe(401);
    } finally {
      await a.dispose();
    }
  });
});


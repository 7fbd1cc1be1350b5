/**
 * Crash safety of `grasp push`: a push cut off after the service applied a batch but before the
 * client saw the answer resumes by re-sending exactly that one batch; a `grasp push` process
 * killed with SIGKILL mid-way resumes to the same service state as a clean push.
 */
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/core/tokens.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import type { Store } from '../../src/db/store.ts';
import { createApp } from '../../src/http/app.ts';
import { cursorKey, pushDatabase } from '../../src/push/client.ts';
import { WIRE_TABLES, type WireTable } from '../../src/db/push-wire.ts';
import { buildAnalyzedRepo } from '../helpers/d1.ts';
import { tempDir, type GitFixture } from '../helpers/git-fixture.ts';
import { dumpTable, rowCounts, startTarget, type TargetKind } from '../helpers/push-targets.ts';

const TABLES = Object.keys(WIRE_TABLES) as WireTable[];
const ROOT = join(import.meta.dirname, '..', '..');

async function expectSameTables(source: Store, target: Store) {
  for (const name of TABLES) expect(await dumpTable(target, name), name).toEqual(await dumpTable(source, name));
}

/** fetch that counts import batches and, once `cutAfter` batches were applied, behaves like a dead link. */
function flakyFetch(cutAfter: number) {
  const state = { posts: 0, cut: false };
  const fn: typeof fetch = async (input, init) => {
    if (state.cut) throw new TypeError('fetch failed: connection refused');
    const res = await fetch(input, init);
    if (init?.method === 'POST' && String(input).endsWith('/api/import')) {
      state.posts++;
      if (state.posts === cutAfter) {
        state.cut = true; // applied by the service; the answer never arrives
        throw new TypeError('fetch failed: socket hang up');
      }
    }
    return res;
  };
  return { fn, state };
}

function countingFetch() {
  const state = { posts: 0 };
  const fn: typeof fetch = async (input, init) => {
    if (init?.method === 'POST' && String(input).endsWith('/api/import')) state.posts++;
    return fetch(input, init);
  };
  return { fn, state };
}

let dbFile: string;
let source: Store;
let repo: GitFixture;

beforeAll(async () => {
  dbFile = join(tempDir('grasp-push-src-'), 'local.db');
  source = openNodeStore(dbFile);
  ({ repo } = await buildAnalyzedRepo(source, { volume: 150 }));
});
afterAll(() => {
  source?.close();
  repo?.cleanup();
});

describe.each<TargetKind>(['node', 'worker'])('interrupted push into %s', (kind) => {
  it('re-sends exactly the one batch whose answer was lost, and ends equal to a clean push', async () => {
    const clean = await startTarget(kind);
    const target = await startTarget(kind);
    try {
      const opts = { batchSize: 60, retryDelayMs: 1 };
      const counted = countingFetch();
      const full = await pushDatabase(source, { url: clean.url, token: clean.adminToken, fetch: counted.fn, ...opts });
      expect(full.batches).toBeGreaterThan(6);
      expect(counted.state.posts).toBe(full.batches);

      const cutAfter = 4;
      const flaky = flakyFetch(cutAfter);
      await expect(pushDatabase(source, { url: target.url, token: target.adminToken, fetch: flaky.fn, ...opts })).rejects.toThrow(/cannot reach/);
      const resumed = countingFetch();
      const second = await pushDatabase(source, { url: target.url, token: target.adminToken, fetch: resumed.fn, ...opts });
      expect(second.incremental).toBe(true);
      // Batches 1..3 were acknowledged; batch 4 was applied but not acknowledged: only it is repeated.
      expect(resumed.state.posts).toBe(full.batches - (cutAfter - 1));
      await expectSameTables(source, target.store);
      await expectSameTables(clean.store, target.store);
    } finally {
      await clean.dispose();
      await target.dispose();
    }
  });
});

describe('grasp push killed with SIGKILL', () => {
  let server: Server;
  let url: string;
  let service: Store;
  let token: string;

  beforeAll(async () => {
    service = openNodeStore(join(tempDir('grasp-push-svc-'), 'service.db'));
    token = (await createToken(service, { admin: true })).token;
    // A slow link (30 ms per batch) so the kill lands mid-push.
    const app = new Hono()
      .use('/api/import', async (_c, next) => {
        await new Promise((r) => setTimeout(r, 30));
        await next();
      })
      .route('/', createApp({ store: service }));
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    service?.close();
  });

  const cli = (args: string[], pushToken = token) =>
    spawn('node', ['bin/grasp.mjs', 'push', '--to', url, '--db', dbFile, '--batch-size', '40', ...args], { cwd: ROOT, env: { ...process.env, GRASP_PUSH_TOKEN: pushToken } });
  /** Runs the CLI to the end without blocking this process (the service answers from here). */
  const run = (args: string[], pushToken = token) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = cli(args, pushToken);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('exit', (status) => resolve({ status, stdout, stderr }));
    });

  it('resumes where the acknowledged batches end and reaches the same state', async () => {
    const key = cursorKey(url, 1);
    const child = cli([]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    const reader = new Database(dbFile, { readonly: true, fileMustExist: true });
    let acked = 0;
    try {
      for (let i = 0; i < 600 && acked < 2; i++) {
        await new Promise((r) => setTimeout(r, 10));
        const row = reader.prepare('select value from meta where key = ?').get(key) as { value: string } | undefined;
        acked = row ? Object.keys((JSON.parse(row.value) as { blocks: object }).blocks).length : 0;
      }
    } finally {
      reader.close();
    }
    child.kill('SIGKILL');
    const exit = await exited;
    expect(exit, stderr).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acked).toBeGreaterThanOrEqual(2);
    const after = new Database(dbFile, { readonly: true });
    const cursor = JSON.parse((after.prepare('select value from meta where key = ?').get(key) as { value: string }).value) as { blocks: Record<string, string> };
    after.close();
    const ackedBlocks = Object.keys(cursor.blocks).filter((b) => !b.endsWith(':end')).length;
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total(await rowCounts(service))).toBeLessThan(total(await rowCounts(source))); // killed mid-way, not after the end

    const resumed = await run(['--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { incremental: boolean; blocks: { total: number; sent: number; unchanged: number } };
    expect(summary.incremental).toBe(true);
    expect(summary.blocks.unchanged).toBe(ackedBlocks); // acknowledged blocks are not sent again
    expect(summary.blocks.sent + summary.blocks.unchanged).toBe(summary.blocks.total);
    await expectSameTables(source, service);
  }, 120_000);

  it('refuses a wrong token with a clear message and exit code', async () => {
    const r = await run([], generateToken());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/401 invalid credentials: unknown token/);
  });
});

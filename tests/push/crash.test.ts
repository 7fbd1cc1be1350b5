/**
 * Crash safety of the service side of `grasp push`: the real `grasp serve` process receiving the
 * import batches is killed with SIGKILL mid-push (possibly inside a batch's transaction),
 * restarted on the same file, and the push re-run. The service must end with exactly the rows of
 * the local database (no half batch, nothing twice) and a sound file. (tests/push/resume.test.ts
 * covers the other side: the pushing client killed or cut off.)
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { openRepoStore } from '../helpers/repo-store.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';

import { createToken } from '../../src/db/repo/tokens.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { pushDatabase } from '../../src/push/client.ts';
import { WIRE_TABLES, type WireTable } from '../../src/db/push-wire.ts';
import { FuzzCounter } from '../helpers/fuzz-count.ts';
import { GitFixture, buildHistory, tempDir } from '../helpers/git-fixture.ts';
import { dumpTable } from '../helpers/push-targets.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'grasp.mjs');
const TABLES = Object.keys(WIRE_TABLES) as WireTable[];
const figures = new FuzzCounter('crash-push');
const repo = new GitFixture();
const children: ChildProcess[] = [];
const stores: RepoStore[] = [];
afterAll(() => {
  figures.save();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of stores) s.close();
  repo.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function serve(db: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', [BIN, 'serve', '--db', db, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`grasp serve exited (${code}) before listening: ${err}`)));
  });
}

function serviceRows(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return TABLES.reduce((n, t) => n + (db.prepare(`select count(*) n from "${t}"`).get() as { n: number }).n, 0);
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('the push service killed with SIGKILL mid-push', () => {
  it('ends with exactly the local rows after kills, restarts and re-runs', async () => {
    buildHistory(repo, 300, 15);
    const source = openRepoStore(join(tempDir('grasp-crash-push-src-'), 'local.db'));
    stores.push(source);
    await ingestRepository(source, repo.dir);
    await analyzeRepository(source, repo.dir);
    const localRows = (await Promise.all(TABLES.map((t) => dumpTable(source, t)))).reduce((n, rows) => n + rows.length, 0);
    expect(localRows).toBeGreaterThan(1500);

    const serviceDb = join(tempDir('grasp-crash-push-svc-'), 'service.db');
    const admin = openRepoStore(serviceDb);
    const token = (await createToken(admin, { admin: true })).token;
    admin.close();

    let server = await serve(serviceDb, 0);
    const port = Number(new URL(server.url).port);
    const push = () => pushDatabase(source, { url: server.url, token, batchSize: 25, retryDelayMs: 1 });
    const killedAt: number[] = [];
    for (const fraction of [0.15, 0.55]) {
      const pushing = push().then(
        () => 'finished',
        (err: Error) => err.message,
      );
      let finished = false;
      void pushing.then(() => (finished = true));
      for (let i = 0; i < 3000 && !finished && serviceRows(serviceDb) < localRows * fraction; i++) await sleep(5);
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGKILL');
      await exited;
      const outcome = await pushing;
      killedAt.push(serviceRows(serviceDb));
      if (outcome !== 'finished') figures.tried('service kills mid-push');
      expect(outcome).toMatch(/finished|cannot reach|fetch failed|ECONNREFUSED|socket|terminated/i);
      server = await serve(serviceDb, port);
    }
    expect(killedAt.some((n) => n > 0 && n < localRows), `rows on the service at each kill: ${killedAt}`).toBe(true);

    const last = await push();
    expect(last.incremental).toBe(true);
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;

    const check = new Database(serviceDb, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const service = openRepoStore(serviceDb);
    stores.push(service);
    for (const t of TABLES) expect(await dumpTable(service, t), t).toEqual(await dumpTable(source, t));
    console.log(`[crash-push] ${localRows} rows; service held ${killedAt.join(', ')} rows at the kills; re-run sent ${last.blocks.sent} of ${last.blocks.total} blocks`);
    figures.tried('rows compared after resume', localRows);
  }, 120_000);
});

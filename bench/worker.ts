/**
 * The Worker figures: `grasp push` of an ingested and analyzed database into the bundled Worker
 * on D1 in local workerd (Miniflare, what `wrangler dev` runs), then report latency there beside
 * the same report from `grasp serve` on the local better-sqlite3 file, both over loopback HTTP.
 *
 *   node bin/run-ts.mjs bench/worker.ts /tmp/hono.db      (after `grasp ingest <repo> --db /tmp/hono.db`)
 *   GRASP_WORKER_SCRIPT=dist/worker.js ...                 (a prebuilt bundle instead of src/worker.ts)
 */
import { Miniflare } from 'miniflare';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleWorker } from '../scripts/bundle-worker.ts';
import { generateToken } from '../src/core/tokens.ts';
import { openNodeStore } from '../src/db/node/open.ts';
import { addEngineer, getUnlinkedAuthors, listEngineers } from '../src/db/repo/engineers.ts';
import { startServer } from '../src/node.ts';
import { pushDatabase } from '../src/push/client.ts';
import { ms, timeMedian } from './common.ts';
import { applyMigrations, compatibilityDate } from '../scripts/local-d1.ts';

export interface WorkerBenchResult {
  pushMs: number;
  rows: number;
  batches: number;
  bytes: number;
  /** Median latency of GET /api/engineers/:handle/report from the Worker on D1. */
  reportMs: number;
  /** The same request to `grasp serve` on the local file. */
  nodeReportMs: number;
  /** Re-push with nothing changed (digests only). */
  repushMs: number;
  handle: string;
}

const RUNS = 5;

/** `scriptPath`: a prebuilt Worker bundle (e.g. wrangler's `deploy --dry-run --outdir` output) instead of bundling src/worker.ts. */
export async function benchWorkerPush(dbFile: string, opts: { scriptPath?: string } = {}): Promise<WorkerBenchResult> {
  // Work on a copy: the bench adds an engineer and push bookkeeping to the database.
  const copy = join(mkdtempSync(join(tmpdir(), 'grasp-bench-worker-')), 'local.db');
  copyFileSync(dbFile, copy);
  if (existsSync(`${dbFile}-wal`)) copyFileSync(`${dbFile}-wal`, `${copy}-wal`);
  const local = openNodeStore(copy);
  let scriptPath = opts.scriptPath;
  if (!scriptPath) {
    const bundle = await bundleWorker();
    if (bundle.nodeOnly.length > 0) {
      local.close();
      throw new Error(`the Worker does not bundle: ${bundle.nodeOnly.map((n) => n.chain.join(' -> ')).join('; ')}`);
    }
    scriptPath = bundle.outfile;
  }
  const adminToken = generateToken();
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: compatibilityDate(),
    d1Databases: { DB: 'grasp-bench' },
    bindings: { GRASP_ADMIN_TOKEN: adminToken },
    host: '127.0.0.1',
    port: 0,
  });
  const node = await startServer({ store: local, port: 0 });
  try {
    const url = (await mf.ready).origin;
    await applyMigrations(await mf.getD1Database('DB'));
    // The report needs an engineer: the local ones, else the most active commit author.
    if ((await listEngineers(local)).length === 0) {
      const top = (await getUnlinkedAuthors(local))[0];
      if (!top) throw new Error('the database has no commits by a person: nothing to report on');
      await addEngineer(local, { handle: 'bench', name: top.name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'bench', emails: [top.email] });
    }
    const handle = (await listEngineers(local))[0]!.handle;

    const started = performance.now();
    const summary = await pushDatabase(local, { url, token: adminToken, engineers: true });
    const pushMs = performance.now() - started;
    const repushStarted = performance.now();
    await pushDatabase(local, { url, token: adminToken });
    const repushMs = performance.now() - repushStarted;

    const get = async (base: string) => {
      const res = await fetch(`${base}/api/engineers/${handle}/report`);
      if (res.status !== 200) throw new Error(`report from ${base}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    await get(url); // warm both sides once
    await get(node.url);
    const reportMs = await timeMedian(RUNS, () => get(url));
    const nodeReportMs = await timeMedian(RUNS, () => get(node.url));
    const rows = Object.values(summary.rows).reduce((a, b) => a + (b ?? 0), 0);
    return { pushMs, rows, batches: summary.batches, bytes: summary.bytes, reportMs, nodeReportMs, repushMs, handle };
  } finally {
    await node.close(1000);
    await mf.dispose();
    local.close();
    rmSync(dirname(copy), { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node bin/run-ts.mjs bench/worker.ts <database file>');
  const r = await benchWorkerPush(resolve(file), { scriptPath: process.env.GRASP_WORKER_SCRIPT });
  console.log(
    `worker push: ${r.rows} rows in ${r.batches} batches (${(r.bytes / 1e6).toFixed(1)} MB) in ${ms(r.pushMs)}; re-push with nothing new ${ms(r.repushMs)}; ` +
      `report (${r.handle}) ${ms(r.reportMs)} on D1 in workerd vs ${ms(r.nodeReportMs)} from grasp serve`,
  );
}

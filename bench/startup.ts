/**
 * CLI start-up against `node -e 0` (Node's own start, the floor), paired runs in one process:
 * `grasp --help` and `grasp commits --limit 5` on an ingested database, both through bin/grasp.mjs
 * as a user runs it (dist/, rebuilt first when stale).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distIsFresh } from '../bin/dist-stamp.mjs';
import { openNodeStore } from '../src/db/node/open.ts';
import { ingestRepository } from '../src/ingest/ingest.ts';
import { paired } from './common.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'grasp.mjs');

function run(args: string[]): Promise<void> {
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return Promise.resolve();
}

export async function benchStartup(repo: string, runs = 11) {
  if (!distIsFresh(ROOT)) await run([join(ROOT, 'bin', 'build.mjs')]);
  const dir = mkdtempSync(join(tmpdir(), 'grasp-bench-startup-'));
  try {
    const db = join(dir, 'grasp.db');
    const store = openNodeStore(db);
    try {
      await ingestRepository(store, repo);
    } finally {
      store.close();
    }
    const floor = () => run(['-e', '0']);
    await run([BIN, '--help']); // warm the OS cache
    const help = await paired(runs, () => run([BIN, '--help']), floor);
    const commits = await paired(runs, () => run([BIN, 'commits', '--limit', '5', '--db', db]), floor);
    return { help, commits };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

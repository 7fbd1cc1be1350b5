/**
 * Ingest against the bare `git log` that reads the same data (same format and diff options),
 * in the same process, paired runs. Re-ingest with nothing new, in-process and as a CLI process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeStore } from '../src/db/node/open.ts';
import { ingestRepository } from '../src/ingest/ingest.ts';
import { DIFF_ARGS } from '../src/ingest/log-stream.ts';
import { LOG_FORMAT } from '../src/git/log-parser.ts';
import { GIT_SAFE_CONFIG } from '../src/git/run.ts';
import { median, paired, timeMedian } from './common.ts';

function gitLogBaseline(repo: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_SAFE_CONFIG, 'log', `--format=${LOG_FORMAT}`, ...DIFF_ARGS, '--topo-order', '--reverse', 'HEAD'], { cwd: repo });
    let bytes = 0;
    child.stdout.on('data', (b: Buffer) => (bytes += b.length));
    child.on('error', reject);
    child.on('close', () => resolve(bytes));
  });
}

export async function benchIngest(repo: string, runs = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'grasp-bench-'));
  let n = 0;
  let commits = 0;
  try {
    await gitLogBaseline(repo); // warm the OS cache
    const first = await paired(
      runs,
      async () => {
        const store = openNodeStore(join(dir, `ingest-${n++}.db`));
        try {
          commits = (await ingestRepository(store, repo)).newCommits;
        } finally {
          store.close();
        }
      },
      () => gitLogBaseline(repo),
    );
    const dbFile = join(dir, 'ingest-0.db');
    const store = openNodeStore(dbFile);
    const reingestMs = await timeMedian(5, () => ingestRepository(store, repo));
    store.close();
    const cli = ['bin/grasp.mjs', 'ingest', repo, '--db', dbFile, '--no-analyze', '--json'];
    const cliTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      execFileSync('node', cli, { stdio: 'ignore' });
      cliTimes.push(performance.now() - t);
    }
    return { commits, ingestMs: first.a, gitLogMs: first.b, ratio: first.ratio, reingestMs, reingestCliMs: median(cliTimes) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A second process writing marks to a database while an ingest writes it: one mark every few ms,
 * each waiting at most LOCK_WAIT_MS for the write lock. Prints `ready` once it writes, and when its
 * stdin closes, one JSON line: { ok, refused, p99Ms, maxMs }.
 * Run: node bin/run-ts.mjs tests/ingest/processes/mark-writer.ts DB LOCK_WAIT_MS
 */
import { GraspError } from '../../../src/core/errors.ts';
import { openRepoStore } from '../../helpers/repo-store.ts';

import { addEngineer } from '../../../src/db/repo/engineers.ts';
import { recordMarks } from '../../../src/db/repo/marks.ts';

const [db, lockWait] = process.argv.slice(2);
const store = openRepoStore(db!, { lockWaitMs: Number(lockWait) });
const engineer = await addEngineer(store, { handle: `writer${process.pid}` });
let ok = 0;
let refused = 0;
const latencies: number[] = [];
let stopping = false;
process.stdin.on('data', () => {});
process.stdin.on('end', () => (stopping = true));

for (let i = 0; !stopping; i++) {
  const started = performance.now();
  try {
    await recordMarks(store, {
      engineer,
      target: 'src/writer.ts',
      level: 'viewed',
      note: `write ${i}`,
      source: 'cli',
      items: [{ symbolId: null, file: 'src/writer.ts', name: '', kind: 'file', hash: `h${i}` }],
    });
    ok++;
    if (ok === 1) process.stdout.write('ready\n');
  } catch (err) {
    if (!(err instanceof GraspError && err.code === 'busy')) throw err;
    refused++;
  }
  latencies.push(performance.now() - started);
  await new Promise((r) => setTimeout(r, 3));
}
latencies.sort((a, b) => a - b);
const p99Ms = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0;
process.stdout.write(`${JSON.stringify({ ok, refused, p99Ms, maxMs: latencies.at(-1) ?? 0 })}\n`);
store.close();

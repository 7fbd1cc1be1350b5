/**
 * Concurrent mark writes while the real `grasp serve` process is killed with SIGKILL and
 * restarted on the same database: every write the server acknowledged (201) is stored exactly
 * once, retries of unacknowledged writes (same Idempotency-Key) never duplicate, the derived
 * current state agrees with the history, and the file passes `PRAGMA integrity_check`.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { FuzzCounter } from '../helpers/fuzz-count.ts';
import { openTempStore, seedSymbol, tempDbPath } from '../helpers/marks-seed.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'grasp.mjs');
const ENGINEERS = ['ada', 'bob', 'cy', 'dee'];
const CLIENTS_PER_ENGINEER = 5;
const SYMBOLS = 30;
const KILLS = 2;
const figures = new FuzzCounter('crash-serve');
const children: ChildProcess[] = [];
afterAll(() => {
  figures.save();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `grasp serve` and resolves with its URL once it prints it. */
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

interface Ack {
  key: string;
  engineer: string;
  symbol: string;
  level: string;
}

describe('grasp serve killed with SIGKILL under concurrent mark writes', () => {
  it('keeps every acknowledged write exactly once across kills and restarts', async () => {
    const db = tempDbPath();
    const store = openTempStore(db);
    const tokens = new Map<string, string>();
    try {
      for (let i = 0; i < SYMBOLS; i++) await seedSymbol(store, { id: i + 1, file: `src/s${i % 3}.ts`, name: `f${i}`, hash: `hash-${i}` });
      for (const handle of ENGINEERS) {
        await addEngineer(store, { handle });
        tokens.set(handle, (await createToken(store, { handle })).token);
      }
    } finally {
      store.close();
    }

    let server = await serve(db, 0);
    const port = Number(new URL(server.url).port);
    let url = server.url;
    const acked: Ack[] = [];
    let attempts = 0;
    let failures = 0;
    const cut = new Set<string>();
    let stop = false;

    // One client: writes marks one after another; a write that fails on the wire is retried with
    // the same Idempotency-Key until the (restarted) server acknowledges it.
    const client = async (engineer: string, c: number) => {
      for (let n = 0; !stop; n++) {
        const key = `${engineer}-${c}-${n}`;
        const symbol = `f${(c * 7 + n) % SYMBOLS}`;
        const level = n % 3 === 0 ? 'reviewed' : 'viewed';
        const body = JSON.stringify({ target: `src/s${Number(symbol.slice(1)) % 3}.ts#${symbol}`, level, note: key });
        for (;;) {
          attempts++;
          try {
            const res = await fetch(`${url}/api/marks`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${tokens.get(engineer)}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
              body,
              signal: AbortSignal.timeout(10_000),
            });
            const text = await res.text();
            if (res.status === 201) {
              acked.push({ key, engineer, symbol, level });
              break;
            }
            throw new Error(`unexpected ${res.status}: ${text}`);
          } catch (err) {
            if (err instanceof Error && err.message.startsWith('unexpected')) throw err;
            failures++;
            cut.add(key);
            await sleep(50);
          }
        }
      }
    };
    const running = ENGINEERS.flatMap((e) => Array.from({ length: CLIENTS_PER_ENGINEER }, (_, c) => client(e, c)));

    for (let k = 0; k < KILLS; k++) {
      const before = acked.length;
      for (let i = 0; i < 1000 && acked.length < before + 150; i++) await sleep(10);
      await sleep(Math.random() * 200);
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGKILL');
      await exited;
      figures.tried('server kills under write load');
      await sleep(100);
      server = await serve(db, port); // same port, so clients retry against the new process
      url = server.url;
    }
    const target = acked.length + 150;
    for (let i = 0; i < 1000 && acked.length < target; i++) await sleep(10);
    stop = true;
    await Promise.all(running);
    expect(failures, 'the kills must hit writes in flight').toBeGreaterThan(0);

    // The derived current state, read through the restarted server.
    const current = new Map<string, Set<string>>();
    for (const e of ENGINEERS) {
      const res = await fetch(`${url}/api/engineers/${e}/marks`);
      const body = (await res.json()) as { marks: { symbol: string }[] };
      current.set(e, new Set(body.marks.map((m) => m.symbol)));
    }
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;

    const sqlite = new Database(db, { readonly: true });
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = sqlite.prepare('select note, count(*) n from marks group by note').all() as { note: string; n: number }[];
      const stored = new Map(rows.map((r) => [r.note, r.n]));
      const lost = acked.filter((a) => stored.get(a.key) !== 1);
      expect(lost, 'acknowledged writes missing or duplicated').toEqual([]);
      expect(rows.filter((r) => r.n !== 1), 'duplicated rows').toEqual([]);
      // Every stored row was acknowledged (no retry left a stray second write behind).
      expect(rows.length).toBe(acked.length);
      for (const e of ENGINEERS) expect([...current.get(e)!].sort()).toEqual([...new Set(acked.filter((a) => a.engineer === e).map((a) => a.symbol))].sort());
    } finally {
      sqlite.close();
    }
    figures.tried('acknowledged writes checked', acked.length);
    figures.tried('writes cut by a kill and retried', cut.size);
    console.log(`[crash-serve] ${acked.length} acknowledged writes, ${attempts} attempts, ${cut.size} writes cut by ${KILLS} kills (${failures} failed attempts)`);
  }, 90_000);
});

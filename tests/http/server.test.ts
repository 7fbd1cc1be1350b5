import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { marks } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { startServer, type RunningServer } from '../../src/node.ts';
import { openTempStore, seedSymbol, tempDbPath } from '../helpers/marks-seed.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'grasp.mjs');

describe('the API on a real listening server', () => {
  let store: Store;
  let server: RunningServer;
  let token = '';

  beforeAll(async () => {
    store = openTempStore();
    for (let i = 0; i < 5; i++) await seedSymbol(store, { id: i + 1, file: 'src/a.ts', name: `f${i}`, hash: `h${i}` });
    await addEngineer(store, { handle: 'ada' });
    token = (await createToken(store, { handle: 'ada' })).token;
    server = await startServer({ store, port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    store?.close();
  });

  it('listens on a free port and answers JSON', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, driver: 'better-sqlite3' });
  });

  it('accepts concurrent writes and loses none', async () => {
    const writes = 300;
    const before = (await store.db.select({ n: count() }).from(marks))[0]!.n;
    let next = 0;
    const statuses: number[] = [];
    const worker = async () => {
      while (next < writes) {
        const i = next++;
        const res = await fetch(`${server.url}/api/marks`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          // A distinct note per write: a mark that repeats the engineer's latest word is not written again.
          body: JSON.stringify({ target: `src/a.ts#f${i % 5}`, level: 'viewed', note: `write ${i}` }),
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 25 }, worker));
    expect(statuses.filter((s) => s === 201)).toHaveLength(writes);
    expect((await store.db.select({ n: count() }).from(marks))[0]!.n).toBe(before + writes);
  });

  it('refuses an oversized streamed body over the wire with JSON 413', async () => {
    const res = await fetch(`${server.url}/api/marks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 'src/a.ts#f0', level: 'explained', note: 'y'.repeat(200_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'too-large' } });
  });
});

describe('grasp serve', () => {
  it('prints its URL, serves, and shuts down cleanly on SIGTERM', async () => {
    const db = tempDbPath();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`grasp serve exited with ${code} before listening; stderr: ${stderr}`));
      });
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const res = await fetch(`${url}/api/engineers`);
    expect(await res.json()).toEqual({ engineers: [] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('shutting down');
    expect(stderr).toBe('');
  });
});

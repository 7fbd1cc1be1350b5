/**
 * Writes are never refused during an ingest: REAL processes, an ingest of a wide generated history
 * (every commit edits many files, so a 500-commit transaction holds tens of thousands of rows)
 * while another process writes marks, each allowed to wait only LOCK_WAIT_MS for the lock (a
 * tenth of the service's wait). Before ingest transactions were bounded in time, that writer was
 * refused whenever a batch was stored.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture, HUMAN, tempDir } from '../helpers/git-fixture.ts';
import { BIN } from '../cli/run-grasp.ts';

const COMMITS = 700;
const FILES_PER_COMMIT = 120;
const LOCK_WAIT_MS = 500;
const RUN_TS = join(import.meta.dirname, '../../bin/run-ts.mjs');
const WRITER = join(import.meta.dirname, 'processes/mark-writer.ts');

let repo: GitFixture;
let dir: string;

/** A wide history via fast-import: commit i rewrites FILES_PER_COMMIT files (a formatter run every commit). */
function buildWideHistory(r: GitFixture): void {
  const parts: string[] = [];
  const t0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
  for (let i = 1; i <= COMMITS; i++) {
    const who = `${HUMAN.name} <${HUMAN.email}>`;
    const msg = `sweep ${i}\n`;
    let files = '';
    for (let f = 0; f < FILES_PER_COMMIT; f++) {
      const body = `export const v${f} = ${i};\n`;
      files += `M 100644 inline src/w${f}.ts\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
    parts.push(`commit refs/heads/main\nmark :${i}\ncommitter ${who} ${t0 + i * 600} +0000\ndata ${msg.length}\n${msg}${i > 1 ? `from :${i - 1}\n` : ''}${files}`);
  }
  r.gitRaw(['fast-import', '--quiet'], parts.join(''));
  r.git('reset', '-q', '--hard', 'main');
}

beforeAll(() => {
  dir = tempDir();
  repo = new GitFixture();
  buildWideHistory(repo);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(repo.dir, { recursive: true, force: true });
});

function run(args: string[]): { exited: Promise<{ code: number | null; stdout: string; stderr: string }>; child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, args, { env: { ...process.env, GRASP_DB: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  return { exited, child };
}

describe('writes during an ingest', () => {
  it('a mark writer in another process is never refused while the ingest stores a wide history', async () => {
    const db = join(dir, 'g.db');
    const writer = run([RUN_TS, WRITER, db, String(LOCK_WAIT_MS)]);
    await new Promise<void>((ready, failed) => {
      createInterface({ input: writer.child.stdout! }).on('line', (l) => l === 'ready' && ready());
      writer.exited.then((r) => failed(new Error(`writer exited: ${r.stderr}`)));
    });
    const ingest = await run([BIN, 'ingest', repo.dir, '--db', db, '--no-analyze', '--json']).exited;
    writer.child.stdin!.end();
    const w = await writer.exited;
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout).newCommits).toBe(COMMITS);
    expect(w.code, w.stderr).toBe(0);
    const result = JSON.parse(w.stdout.trim().split('\n').at(-1)!) as { ok: number; refused: number; p99Ms: number; maxMs: number };
    console.log(`writes during ingest: ${result.ok} stored, ${result.refused} refused, p99 ${result.p99Ms.toFixed(0)} ms, max ${result.maxMs.toFixed(0)} ms`);
    expect(result.ok).toBeGreaterThan(20);
    expect(result.refused).toBe(0);
  }, 240_000);
});

/**
 * Load on a real `grasp serve` process over loopback, with autocannon:
 *   0. floor: the same writes to a hono server on the same stack that stores nothing, the
 *      baseline in the same run (what HTTP and the load generator cost on this machine);
 *   1. writes: 50 connections posting marks with per-engineer tokens, each request a unique note,
 *      so afterwards every acknowledged (201) mark can be found stored exactly once;
 *   2. reads: 50 connections on GET /api/engineers/:handle/marks;
 *   3. writes again while a real `grasp ingest` of a big repository writes the same database file.
 * Each phase lasts $GRASP_LOAD_SECONDS (default 30). Goals (issue 5): reads >= 5,000 req/s,
 * writes >= 2,000 req/s, p99 < 20 ms, 0 lost, 0 duplicated, error rate 0.
 * Run alone with `node bin/run-ts.mjs bench/load.ts`, or from bench/run.ts through `benchLoad`.
 */
// @ts-expect-error autocannon ships no type declarations; the parts used here are typed below.
import autocannonUntyped from 'autocannon';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openNodeStore } from '../src/db/node/open.ts';
import { addEngineer } from '../src/db/repo/engineers.ts';
import { createToken } from '../src/db/repo/tokens.ts';
import { symbols, symbolTexts } from '../src/db/schema.ts';
import { benchRepo } from './common.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'grasp.mjs');

/** The slice of autocannon's API this bench uses (see its README). */
interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: CannonRequest, context: Record<string, unknown>) => CannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = autocannonUntyped as (opts: { url: string; connections: number; duration?: number; amount?: number; requests?: CannonRequest[] }) => Promise<CannonResult>;

export interface LoadOptions {
  /** Seconds per phase; default $GRASP_LOAD_SECONDS or 30. */
  seconds?: number;
  connections?: number;
  engineers?: number;
  /** Symbols the marks are written on. */
  symbols?: number;
  /** Repository ingested during phase 3; default the bench repository (hono mirror). */
  ingestRepo?: string;
}

export interface PhaseFigures {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  errorRate: number;
}

export interface WriteFigures extends PhaseFigures {
  accepted: number;
  stored: number;
  /** Acknowledged with 201 but not in the database. */
  lost: number;
  /** Notes stored more than once. */
  duplicated: number;
  /**
   * In the database without an acknowledgement: requests in flight when autocannon closed the
   * window (at most one per connection). Not an error; reported.
   */
  storedUnacknowledged: number;
}

export interface LoadResult {
  seconds: number;
  connections: number;
  /** The same writes against a hono server that stores nothing (bench/floor-server.ts). */
  floor: PhaseFigures;
  writes: WriteFigures;
  /** Each read answers an engineer's current marks: this many on average. */
  reads: PhaseFigures & { marksPerResponse: number };
  writesDuringIngest: WriteFigures & { ingest: { repo: string; commitsDuringWindow: number; analyzedDuringWindow: number; finished: boolean } };
}

function figures(r: CannonResult): PhaseFigures {
  const requests = r.requests.total;
  const failed = r.non2xx + r.errors + r.timeouts;
  return {
    requests,
    perSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    errorRate: requests + r.errors > 0 ? failed / (requests + r.errors) : 0,
  };
}

export function startServer(db: string): Promise<{ child: ChildProcess; url: string }> {
  return startListening([BIN, 'serve', '--db', db, '--port', '0']);
}

/** The no-storage floor (bench/floor-server.ts) on the same stack. */
function startFloorServer(): Promise<{ child: ChildProcess; url: string }> {
  return startListening([join(import.meta.dirname, '..', 'bin', 'run-ts.mjs'), join(import.meta.dirname, 'floor-server.ts')]);
}

function startListening(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  // GRASP_LOAD_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p": profile the server under load.
  const nodeArgs = (process.env.GRASP_LOAD_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn('node', [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** A database with engineers, their tokens, and symbols on paths no real repository has. */
export async function buildFixture(db: string, engineerCount: number, symbolCount: number) {
  const store = openNodeStore(db);
  try {
    const rows = Array.from({ length: symbolCount }, (_, i) => ({
      id: 1_000_000 + i,
      repoId: 1,
      file: `bench/load/m${i % 20}.ts`,
      name: `f${i}`,
      kind: 'function',
      hash: `load-hash-${i}`,
      startLine: 1,
      endLine: 3,
    }));
    await store.atomic([store.db.insert(symbols).values(rows), store.db.insert(symbolTexts).values(rows.map((r) => ({ hash: r.hash, text: `function ${r.name}() {}` })))]);
    const engineers: { handle: string; token: string }[] = [];
    for (let i = 0; i < engineerCount; i++) {
      const handle = `load${i}`;
      await addEngineer(store, { handle });
      engineers.push({ handle, token: (await createToken(store, { handle })).token });
    }
    return { engineers, targets: rows.map((r) => `${r.file}#${r.name}`) };
  } finally {
    store.close();
  }
}

type Fixture = Awaited<ReturnType<typeof buildFixture>>;

/** POST /api/marks, each with a unique note; `acked` collects the notes answered with 201. */
function markWrites(fx: Fixture, prefix: string, acked: Set<string>): CannonRequest {
  let seq = 0;
  return {
    method: 'POST',
    path: '/api/marks',
    setupRequest: (req: CannonRequest, context: Record<string, unknown>) => {
      const i = seq++;
      const e = fx.engineers[i % fx.engineers.length]!;
      const note = `${prefix}-${i}`;
      context.note = note; // one request in flight per connection: the answer is for this note
      return {
        ...req,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${e.token}` },
        body: JSON.stringify({ target: fx.targets[(i * 7) % fx.targets.length], level: i % 3 === 0 ? 'reviewed' : 'viewed', note }),
      };
    },
    onResponse: (status: number, _body: string, context: Record<string, unknown>) => {
      if (status === 201) acked.add(context.note as string);
    },
  };
}

/** The same writes against the no-storage floor server: what HTTP alone costs on this machine. */
async function floorPhase(fx: Fixture, seconds: number, connections: number): Promise<PhaseFigures> {
  const floor = await startFloorServer();
  try {
    await autocannon({ url: `${floor.url}/api/marks`, connections: 10, amount: 500, requests: [markWrites(fx, 'warm', new Set())] });
    return figures(await autocannon({ url: floor.url, connections, duration: seconds, requests: [markWrites(fx, 'floor', new Set())] }));
  } finally {
    await stop(floor.child);
  }
}

/** 50 writers for `seconds`, each request a unique note; then checks the notes in the database. */
export async function writePhase(url: string, db: string, fx: Fixture, prefix: string, seconds: number, connections: number): Promise<WriteFigures> {
  const acked = new Set<string>();
  const result = await autocannon({ url, connections, duration: seconds, requests: [markWrites(fx, prefix, acked)] });
  const sqlite = new Database(db, { readonly: true });
  let stored: { note: string; n: number }[];
  try {
    stored = sqlite.prepare("select note, count(*) n from marks where note like ? || '-%' group by note").all(prefix) as { note: string; n: number }[];
  } finally {
    sqlite.close();
  }
  const storedNotes = new Set(stored.map((r) => r.note));
  return {
    ...figures(result),
    accepted: acked.size,
    stored: storedNotes.size,
    lost: [...acked].filter((n) => !storedNotes.has(n)).length,
    duplicated: stored.filter((r) => r.n > 1).length,
    storedUnacknowledged: [...storedNotes].filter((n) => !acked.has(n)).length,
  };
}

async function readPhase(url: string, fx: Fixture, seconds: number, connections: number): Promise<PhaseFigures> {
  let seq = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req: CannonRequest) => ({ ...req, path: `/api/engineers/${fx.engineers[seq++ % fx.engineers.length]!.handle}/marks` }),
      },
    ],
  });
  return figures(result);
}

/** Average number of current marks per engineer (distinct symbols each has marked). */
function currentMarksPerEngineer(db: string): number {
  const sqlite = new Database(db, { readonly: true });
  try {
    const row = sqlite.prepare('select avg(n) avg from (select count(distinct symbol_id) n from marks group by engineer_id)').get() as { avg: number | null };
    return Math.round(row.avg ?? 0);
  } finally {
    sqlite.close();
  }
}

function ingestProgress(db: string): { commits: number; analyzed: number } {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare('select count(*) commits, coalesce(sum(analyzed), 0) analyzed from commits').get() as { commits: number; analyzed: number };
  } finally {
    sqlite.close();
  }
}

export async function benchLoad(opts: LoadOptions = {}): Promise<LoadResult> {
  const seconds = opts.seconds ?? Number(process.env.GRASP_LOAD_SECONDS ?? 30);
  const connections = opts.connections ?? 50;
  const ingestRepo = opts.ingestRepo ?? benchRepo();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-load-'));
  const db = join(dir, 'load.db');
  let server: { child: ChildProcess; url: string } | null = null;
  let ingest: ChildProcess | null = null;
  try {
    const fx = await buildFixture(db, opts.engineers ?? 10, opts.symbols ?? 400);
    const floor = await floorPhase(fx, seconds, connections);
    server = await startServer(db);
    await autocannon({ url: `${server.url}/api/health`, connections: 10, amount: 500 }); // warm-up
    const writes = await writePhase(server.url, db, fx, 'w1', seconds, connections);
    const reads = { ...(await readPhase(server.url, fx, seconds, connections)), marksPerResponse: currentMarksPerEngineer(db) };

    // Phase 3: the same writes while `grasp ingest` (history, then symbol analysis) writes the same file.
    ingest = spawn('node', [BIN, 'ingest', ingestRepo, '--db', db, '--json'], { stdio: 'ignore' });
    const ingestExit = new Promise<number | null>((r) => ingest!.once('exit', (code) => r(code)));
    for (let i = 0; i < 600 && ingestProgress(db).commits === 0 && ingest.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    const before = ingestProgress(db);
    const during = await writePhase(server.url, db, fx, 'w2', seconds, connections);
    const after = ingestProgress(db);
    const finished = ingest.exitCode !== null;
    // Still running: kill -9 is safe (tests/crash-*.test.ts); a later ingest resumes.
    if (!finished) ingest.kill('SIGKILL');
    await ingestExit;
    return {
      seconds,
      connections,
      floor,
      writes,
      reads,
      writesDuringIngest: { ...during, ingest: { repo: ingestRepo, commitsDuringWindow: after.commits - before.commits, analyzedDuringWindow: after.analyzed - before.analyzed, finished } },
    };
  } finally {
    if (ingest) await stop(ingest, 'SIGKILL');
    if (server) await stop(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** Human-readable lines for bench/run.ts. */
export function formatLoad(r: LoadResult): string[] {
  const phase = (name: string, p: PhaseFigures) =>
    `${name}: ${p.perSecond} req/s, p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms, max ${p.maxMs} ms, ${p.requests} requests, error rate ${pct(p.errorRate)} (${p.non2xx} non-2xx, ${p.errors} errors, ${p.timeouts} timeouts)`;
  const marks = (w: WriteFigures) => `  marks: ${w.accepted} accepted, ${w.stored} stored, ${w.lost} lost, ${w.duplicated} duplicated, ${w.storedUnacknowledged} stored whose answer was cut off by the end of the window`;
  const i = r.writesDuringIngest.ingest;
  return [
    `load: ${r.connections} connections, ${r.seconds} s per phase, real grasp serve on loopback (goals: reads >= 5,000 req/s, writes >= 2,000 req/s, p99 < 20 ms)`,
    phase('floor: the same writes to hono storing nothing', r.floor),
    phase('writes', r.writes),
    marks(r.writes),
    `${phase('reads', r.reads)}; ${r.reads.marksPerResponse} marks per answer`,
    phase('writes during ingest', r.writesDuringIngest),
    marks(r.writesDuringIngest),
    `  ingest of ${i.repo}: ${i.commitsDuringWindow} commits read and ${i.analyzedDuringWindow} analyzed during the window${i.finished ? ' (finished inside it)' : ' (still running at the end, then killed)'}`,
  ];
}

if (resolve(process.argv[1] ?? '') === import.meta.filename) {
  for (const line of formatLoad(await benchLoad())) console.log(line);
}

/**
 * `grasp push`: uploads the local analysis to a grasp service (a Worker with D1, or `grasp serve`)
 * in idempotent batches. Only blocks whose digest differs from the last acknowledged push are
 * sent; after each acknowledged batch the local meta `push.<url>.cursor` records the digests of
 * the blocks it completed, so a killed push re-sends at most the batch in flight (and a block
 * larger than one batch from its start).
 */
import { listRepos } from '../db/repo/repos.ts';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GraspError, type ErrorCode } from '../core/errors.ts';
import { getMeta, setMeta } from '../db/repo/commits.ts';
import { listEngineers } from '../db/repo/engineers.ts';
import type { Store } from '../db/store.ts';
import { localBlocks, localEnds, localExtent, type LocalBlock } from '../db/repo/push-blocks.ts';
import { planBatches, splitBatch, type PlannedBatch } from './plan.ts';
import { BLOCK_SIZE, WIRE_VERSION, type ImportStatus, type WireBatch, type WireTable } from '../db/push-wire.ts';

export interface PushOptions {
  /** Service base URL, e.g. https://grasp.example.workers.dev */
  url: string;
  /** An admin token of the service. */
  token: string;
  /** At most this many rows per batch (default 5000). */
  batchSize?: number;
  /** At most this many bytes per request body (default: what the service accepts). */
  maxBytes?: number;
  /** Also create the local engineers (and link their aliases) on the service. */
  engineers?: boolean;
  fetch?: typeof fetch;
  /** First retry delay (doubles per attempt); network errors, 429 and 5xx are retried 3 times. */
  retryDelayMs?: number;
  onProgress?: (p: { batches: number; blocks: number; rows: number }) => void;
}

export interface PushSummary {
  url: string;
  generation: string;
  blocks: { total: number; sent: number; unchanged: number };
  batches: number;
  rows: Partial<Record<WireTable, number>>;
  bytes: number;
  /** True when an earlier push to this service had acknowledged some blocks already. */
  incremental: boolean;
  engineers?: { created: string[]; updated: string[]; skipped: { handle: string; reason: string }[] };
  durationMs: number;
}

const cursorSchema = z.object({
  generation: z.string(),
  blocks: z.record(z.string(), z.string()),
  /** The block an interrupted push was in the middle of. */
  partial: z.object({ id: z.string(), digest: z.string(), rows: z.number().int().min(0) }).optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

const statusSchema = z.object({
  version: z.number(),
  generation: z.string().nullable(),
  origin: z.string().nullable(),
  maxParams: z.number().int().positive(),
  maxStatements: z.number().int().positive(),
  maxBytes: z.number().int().positive(),
  blockSize: z.object({ h: z.number(), s: z.number(), p: z.number() }),
});

export function normalizeServiceUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GraspError('invalid', `--to must be a URL like https://grasp.example.workers.dev, got "${url}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new GraspError('invalid', '--to must be an http(s) URL');
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

export const cursorKey = (url: string): string => `push.${normalizeServiceUrl(url)}.cursor`;

async function readCursor(store: Store, key: string): Promise<Cursor | null> {
  const raw = await getMeta(store, key);
  if (raw === null) return null;
  try {
    return cursorSchema.parse(JSON.parse(raw));
  } catch {
    return null; // an unreadable cursor only costs a full push
  }
}

class Http {
  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly fetchFn: typeof fetch,
    private readonly retryDelayMs: number,
  ) {}

  /** JSON request with retries on network errors, 429 and 5xx (every call is idempotent). */
  async call(method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 1)));
      let res: Response;
      try {
        res = await this.fetchFn(`${this.base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
          body,
        });
      } catch (err) {
        lastError = new GraspError('invalid', `cannot reach ${this.base}: ${(err as Error).message}`, { cause: err });
        continue;
      }
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        // a proxy's HTML error page: reported by status below
      }
      if (res.ok) return json;
      const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
      const message = `${method} ${path}: ${res.status} ${err?.message ?? text.slice(0, 200)}`;
      if (res.status === 429 || res.status >= 500) {
        lastError = new GraspError('invalid', message);
        continue;
      }
      const code: ErrorCode = res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status === 404 ? 'not-found' : res.status === 409 ? 'conflict' : res.status === 413 ? 'too-large' : 'invalid';
      throw new GraspError(code, message);
    }
    throw lastError;
  }
}

export async function pushDatabase(store: Store, opts: PushOptions): Promise<PushSummary> {
  const started = performance.now();
  const repos = await listRepos(store);
  if (repos.length > 1) {
    throw new GraspError('invalid', `this database holds ${repos.length} repositories (${repos.map((r) => r.name).join(', ')}); grasp push sends a database of one repository for now`);
  }
  const url = normalizeServiceUrl(opts.url);
  const http = new Http(url, opts.token, opts.fetch ?? fetch, opts.retryDelayMs ?? 500);
  const status = statusSchema.parse(await http.call('GET', '/api/import'));
  if (status.version !== WIRE_VERSION) throw new GraspError('conflict', `the service speaks push format ${status.version}; this grasp speaks ${WIRE_VERSION}: upgrade the older side`);
  if (status.blockSize.h !== BLOCK_SIZE.h || status.blockSize.s !== BLOCK_SIZE.s || status.blockSize.p !== BLOCK_SIZE.p) {
    throw new GraspError('conflict', 'the service cuts blocks differently from this grasp version: upgrade the older side');
  }
  const extent = await localExtent(store);
  if (extent.maxSeq === 0) throw new GraspError('invalid', 'nothing to push: this database has no commits (run grasp ingest first)');
  if (status.origin !== null && status.origin !== extent.origin) {
    throw new GraspError('conflict', `the service holds the history of another repository (first commit ${status.origin.slice(0, 12)}, here ${extent.origin?.slice(0, 12)})`);
  }

  const key = cursorKey(url);
  const previous = await readCursor(store, key);
  const generation = status.generation ?? randomBytes(12).toString('base64url');
  const cursor: Cursor = previous && previous.generation === generation ? previous : { generation, blocks: {} };
  const incremental = Object.keys(cursor.blocks).length > 0 || cursor.partial !== undefined;
  const resume = cursor.partial;

  const summary: PushSummary = {
    url,
    generation,
    blocks: { total: 0, sent: 0, unchanged: 0 },
    batches: 0,
    rows: {},
    bytes: 0,
    incremental,
    durationMs: 0,
  };
  if (opts.engineers) summary.engineers = await pushEngineers(store, http);

  const ends = localEnds(extent);
  const endsChanged = cursor.blocks['h:end'] !== String(ends.h) || cursor.blocks['s:end'] !== String(ends.s);
  async function* changed(): AsyncGenerator<LocalBlock> {
    for await (const block of localBlocks(store, extent)) {
      summary.blocks.total++;
      if (cursor.blocks[block.id] === block.digest) {
        summary.blocks.unchanged++;
        continue;
      }
      if (block.digest === 'empty' && status.generation === null && !incremental) {
        // A fresh service holds nothing in this range either.
        cursor.blocks[block.id] = block.digest;
        summary.blocks.unchanged++;
        continue;
      }
      yield block;
    }
  }

  const budget = {
    maxParams: status.maxParams,
    maxStatements: status.maxStatements,
    maxBytes: Math.min(status.maxBytes, opts.maxBytes ?? Number.POSITIVE_INFINITY),
    maxRows: opts.batchSize ?? 5000,
  };
  if (!(budget.maxRows >= 1)) throw new GraspError('invalid', '--batch-size must be a positive number of rows');
  const post = async (planned: PlannedBatch, withEnds: boolean) => {
    const batch: WireBatch = { version: WIRE_VERSION, generation, origin: extent.origin, ...(repos[0] ? { repo: repos[0].name } : {}), parts: planned.parts, ...(withEnds ? { ends } : {}) };
    const body = JSON.stringify(batch);
    await http.call('POST', '/api/import', body);
    summary.batches++;
    summary.bytes += Buffer.byteLength(body);
    for (const part of planned.parts) {
      for (const [name, rows] of Object.entries(part.tables)) summary.rows[name as WireTable] = (summary.rows[name as WireTable] ?? 0) + rows.length;
    }
    for (const done of planned.completes) cursor.blocks[done.id] = done.digest;
    summary.blocks.sent += planned.completes.length;
    if (planned.progress) cursor.partial = planned.progress;
    else if (planned.completes.length > 0 || withEnds) delete cursor.partial;
    if (withEnds) {
      cursor.blocks['h:end'] = String(ends.h);
      cursor.blocks['s:end'] = String(ends.s);
    }
    await setMeta(store, key, JSON.stringify(cursor));
    opts.onProgress?.({ batches: summary.batches, blocks: summary.blocks.sent, rows: Object.values(summary.rows).reduce((a, b) => a + (b ?? 0), 0) });
  };
  /** A batch refused as too large (a proxy's or the app's body limit) is halved, and later batches shrink too. */
  const send = async (planned: PlannedBatch): Promise<void> => {
    try {
      await post(planned, false);
    } catch (err) {
      if (!(err instanceof GraspError && err.code === 'too-large')) throw err;
      budget.maxBytes = Math.max(4096, Math.min(budget.maxBytes, Math.floor(planned.bytes / 2)));
      budget.maxStatements = Math.max(16, Math.min(budget.maxStatements, Math.floor(budget.maxStatements / 2)));
      const [first, second] = splitBatch(planned);
      await send(first);
      await send(second);
    }
  };
  await planBatches(changed(), budget, send, resume);
  if (endsChanged) await post({ parts: [], completes: [], bytes: 0 }, true);

  summary.durationMs = performance.now() - started;
  return summary;
}

const engineersReply = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  skipped: z.array(z.object({ handle: z.string(), reason: z.string() })),
});

async function pushEngineers(store: Store, http: Http): Promise<NonNullable<PushSummary['engineers']>> {
  const all = await listEngineers(store);
  const out: NonNullable<PushSummary['engineers']> = { created: [], updated: [], skipped: [] };
  for (let i = 0; i < all.length; i += 100) {
    const engineers = all.slice(i, i + 100).map((e) => ({ handle: e.handle, name: e.name, emails: e.emails, logins: e.logins }));
    const reply = engineersReply.parse(await http.call('POST', '/api/import/engineers', JSON.stringify({ engineers })));
    out.created.push(...reply.created);
    out.updated.push(...reply.updated);
    out.skipped.push(...reply.skipped);
  }
  return out;
}

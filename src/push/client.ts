/**
 * `grasp push`: uploads the local analysis to a grasp service (a Worker with D1, or `grasp serve`)
 * in idempotent batches. Only blocks whose digest differs from the last acknowledged push are
 * sent; after each acknowledged batch the local meta `push.<url>.cursor` records the digests of
 * the blocks it completed, so a killed push re-sends at most the batch in flight (and a block
 * larger than one batch from its start).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';
import { getMeta, setMeta } from '../db/repo/commits.ts';
import { listEngineers } from '../db/repo/engineers.ts';
import { localBlocks, localEnds, localExtent, type LocalBlock, type LocalExtent } from '../db/repo/push-blocks.ts';
import { listRepos, repoMetaKey, type RepoRow } from '../db/repo/repos.ts';
import { moveSymbolsIntoNamespaces } from '../db/repo/symbol-namespace.ts';
import { forRepo, type RepoStore, type Store } from '../db/store.ts';
import { BLOCK_SIZE, WIRE_VERSION, type WireBatch, type WireTable } from '../db/push-wire.ts';
import { Http } from './http.ts';
import { planBatches, splitBatch, type Budget, type PlannedBatch } from './plan.ts';

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
  /** Per repository, in name order. */
  repos: RepoPushSummary[];
  engineers?: { created: string[]; updated: string[]; skipped: { handle: string; reason: string }[] };
  durationMs: number;
}

const cursorSchema = z.object({
  generation: z.string(),
  /** The repository's name the blocks were acknowledged under (the service matches by name). */
  repo: z.string(),
  blocks: z.record(z.string(), z.string()),
  /** The block an interrupted push was in the middle of. */
  partial: z.object({ id: z.string(), digest: z.string(), rows: z.number().int().min(0) }).optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

const statusSchema = z.object({
  version: z.number(),
  generation: z.string().nullable(),
  // Absent from a service of push format 1: the version check below then says so.
  repos: z.array(z.object({ name: z.string(), origin: z.string().nullable() })).default([]),
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

/** Local meta key of a repository's push cursor for one service (removed with the repository). */
export const cursorKey = (url: string, repoId: number): string => repoMetaKey(repoId, `push.${normalizeServiceUrl(url)}.cursor`);

async function readCursor(store: Store, key: string): Promise<Cursor | null> {
  const raw = await getMeta(store, key);
  if (raw === null) return null;
  try {
    return cursorSchema.parse(JSON.parse(raw));
  } catch {
    return null; // an unreadable cursor only costs a full push
  }
}

/** What one repository's push did. */
export interface RepoPushSummary {
  name: string;
  blocks: { total: number; sent: number; unchanged: number };
  batches: number;
  rows: Partial<Record<WireTable, number>>;
  incremental: boolean;
}

/**
 * Pushes every repository of the local database that has history, one after the other, each
 * under its name (the service registers a name it does not know). Each repository has its own
 * cursor, so a killed push resumes in the repository it was in, and re-pushing what the service
 * already acknowledged sends nothing.
 */
export async function pushDatabase(store: Store, opts: PushOptions): Promise<PushSummary> {
  const started = performance.now();
  // Ids numbered before namespacing would leave with the wrong offsets.
  await moveSymbolsIntoNamespaces(store);
  const url = normalizeServiceUrl(opts.url);
  const http = new Http(url, opts.token, opts.fetch ?? fetch, opts.retryDelayMs ?? 500);
  const status = statusSchema.parse(await http.call('GET', '/api/import'));
  if (status.version !== WIRE_VERSION) throw new GraspError('conflict', `the service speaks push format ${status.version}; this grasp speaks ${WIRE_VERSION}: upgrade the older side`);
  if (status.blockSize.h !== BLOCK_SIZE.h || status.blockSize.s !== BLOCK_SIZE.s || status.blockSize.p !== BLOCK_SIZE.p) {
    throw new GraspError('conflict', 'the service cuts blocks differently from this grasp version: upgrade the older side');
  }
  const local: { repo: RepoRow; store: RepoStore; extent: LocalExtent }[] = [];
  for (const repo of await listRepos(store)) {
    const scoped = forRepo(store, repo.id);
    const extent = await localExtent(scoped);
    if (extent.maxSeq > 0) local.push({ repo, store: scoped, extent });
  }
  if (local.length === 0) throw new GraspError('invalid', 'nothing to push: this database has no commits (run grasp ingest first)');
  // Every history is checked against the service before anything is sent.
  for (const { repo, extent } of local) {
    const held = status.repos.find((r) => r.name === repo.name)?.origin ?? null;
    if (held !== null && held !== extent.origin) {
      throw new GraspError('conflict', `the service's repository ${repo.name} holds another history (first commit ${held.slice(0, 12)}, here ${extent.origin?.slice(0, 12)}); rename one of them with grasp ingest --name`);
    }
  }

  const generation = status.generation ?? randomBytes(12).toString('base64url');
  const summary: PushSummary = {
    url,
    generation,
    blocks: { total: 0, sent: 0, unchanged: 0 },
    batches: 0,
    rows: {},
    bytes: 0,
    incremental: false,
    repos: [],
    durationMs: 0,
  };
  if (opts.engineers) summary.engineers = await pushEngineers(store, http);
  const budget: Budget = {
    maxParams: status.maxParams,
    maxStatements: status.maxStatements,
    maxBytes: Math.min(status.maxBytes, opts.maxBytes ?? Number.POSITIVE_INFINITY),
    maxRows: opts.batchSize ?? 5000,
  };
  if (!(budget.maxRows >= 1)) throw new GraspError('invalid', '--batch-size must be a positive number of rows');

  for (const { repo, store: scoped, extent } of local) {
    const onService = status.repos.some((r) => r.name === repo.name);
    const done = await pushRepository(scoped, repo.name, extent, { http, url, generation, budget, fresh: !onService, summary, onProgress: opts.onProgress });
    summary.repos.push(done);
    summary.incremental ||= done.incremental;
    summary.blocks.total += done.blocks.total;
    summary.blocks.sent += done.blocks.sent;
    summary.blocks.unchanged += done.blocks.unchanged;
  }
  summary.durationMs = performance.now() - started;
  return summary;
}

interface RepoPushContext {
  http: Http;
  url: string;
  generation: string;
  budget: Budget;
  /** The service has no repository of this name yet: it holds nothing in any range. */
  fresh: boolean;
  /** Totals across repositories (batches, rows, bytes), updated as batches are acknowledged. */
  summary: PushSummary;
  onProgress?: PushOptions['onProgress'];
}

async function pushRepository(store: RepoStore, name: string, extent: LocalExtent, ctx: RepoPushContext): Promise<RepoPushSummary> {
  const { http, generation, budget, summary } = ctx;
  const key = cursorKey(ctx.url, store.repoId);
  const previous = await readCursor(store, key);
  // A cursor of another generation or of the repository's former name says nothing about the service.
  const cursor: Cursor = previous && previous.generation === generation && previous.repo === name ? previous : { generation, repo: name, blocks: {} };
  const incremental = Object.keys(cursor.blocks).length > 0 || cursor.partial !== undefined;
  const resume = cursor.partial;
  const mine: RepoPushSummary = { name, blocks: { total: 0, sent: 0, unchanged: 0 }, batches: 0, rows: {}, incremental };

  const ends = localEnds(extent);
  const endsChanged = cursor.blocks['h:end'] !== String(ends.h) || cursor.blocks['s:end'] !== String(ends.s);
  async function* changed(): AsyncGenerator<LocalBlock> {
    for await (const block of localBlocks(store, extent)) {
      mine.blocks.total++;
      if (cursor.blocks[block.id] === block.digest) {
        mine.blocks.unchanged++;
        continue;
      }
      if (block.digest === 'empty' && ctx.fresh && !incremental) {
        // A repository new to the service holds nothing in this range either.
        cursor.blocks[block.id] = block.digest;
        mine.blocks.unchanged++;
        continue;
      }
      yield block;
    }
  }

  const post = async (planned: PlannedBatch, withEnds: boolean) => {
    const batch: WireBatch = { version: WIRE_VERSION, generation, origin: extent.origin, repo: name, parts: planned.parts, ...(withEnds ? { ends } : {}) };
    const body = JSON.stringify(batch);
    await http.call('POST', '/api/import', body);
    mine.batches++;
    summary.batches++;
    summary.bytes += Buffer.byteLength(body);
    for (const part of planned.parts) {
      for (const [table, rows] of Object.entries(part.tables) as [WireTable, unknown[][]][]) {
        mine.rows[table] = (mine.rows[table] ?? 0) + rows.length;
        summary.rows[table] = (summary.rows[table] ?? 0) + rows.length;
      }
    }
    for (const done of planned.completes) cursor.blocks[done.id] = done.digest;
    mine.blocks.sent += planned.completes.length;
    if (planned.progress) cursor.partial = planned.progress;
    else if (planned.completes.length > 0 || withEnds) delete cursor.partial;
    if (withEnds) {
      cursor.blocks['h:end'] = String(ends.h);
      cursor.blocks['s:end'] = String(ends.s);
    }
    await setMeta(store, key, JSON.stringify(cursor));
    ctx.onProgress?.({ batches: summary.batches, blocks: summary.blocks.sent + mine.blocks.sent, rows: Object.values(summary.rows).reduce((a, b) => a + (b ?? 0), 0) });
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
  return mine;
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

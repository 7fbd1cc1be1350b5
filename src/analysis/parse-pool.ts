/**
 * Parsing, walking and hashing on every core: `analyzeBlobText` runs in worker threads, one blob
 * per job, while the main thread keeps reading git, blame, identities and database writes in order.
 * Results are the same function's over the same bytes, so they are identical to one thread's.
 * With `jobs` 1, or too few blobs to pay for starting workers, it runs inline.
 * The worker is this same module (its bundle chunk in dist/, or the .ts file through tsx).
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { analyzeBlobText, type PathAttributes } from './classify.ts';
import type { BlobAnalysis } from './types.ts';

const ROLE = 'grasp-parse-worker';
/** Below this many blobs in one request, starting workers costs more than it saves. */
const MIN_PARALLEL = 16;
/**
 * A worker's usable stack is stackSizeMb minus Node's 192 KiB reserve; this gives it V8's default
 * 984 KiB, the main thread's, so a file nested too deeply to parse fails alike on both.
 */
const STACK_SIZE_MB = (984 + 192) / 1024;

export const defaultJobs = (): number => availableParallelism();

interface Job {
  id: number;
  path: string;
  content: Uint8Array;
  attrs: PathAttributes;
}

export class ParsePool {
  private workers: Worker[] = [];
  private inFlight: number[] = [];
  private queue: Job[] = [];
  private waiting = new Map<number, { resolve(a: BlobAnalysis): void; reject(e: unknown): void; worker: number }>();
  private nextId = 0;

  constructor(readonly jobs: number = 1) {}

  /** Analyses of these blobs, in their order. */
  async analyzeAll(items: readonly { path: string; content: Uint8Array; attrs: PathAttributes }[]): Promise<BlobAnalysis[]> {
    if (this.jobs <= 1 || (this.workers.length === 0 && items.length < MIN_PARALLEL)) {
      return items.map((i) => analyzeBlobText(i.path, i.content, i.attrs));
    }
    this.start();
    return Promise.all(items.map((i) => this.submit(i)));
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private start(): void {
    if (this.workers.length > 0) return;
    const url = import.meta.url;
    // From source (tsx, vitest), the worker first registers tsx's loader to import TypeScript.
    const tsx = url.endsWith('.ts') ? pathToFileURL(createRequire(url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href : null;
    const boot = tsx ? `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(url)}); })` : null;
    for (let i = 0; i < this.jobs; i++) {
      const options = { workerData: { role: ROLE }, resourceLimits: { stackSizeMb: STACK_SIZE_MB } };
      const w = boot ? new Worker(boot, { ...options, eval: true }) : new Worker(new URL(url), options);
      w.unref();
      w.on('message', (m: { id: number; analysis: BlobAnalysis }) => this.done(i, m.id, m.analysis));
      w.on('error', (err) => this.fail(err));
      this.workers.push(w);
      this.inFlight.push(0);
    }
  }

  private submit(item: { path: string; content: Uint8Array; attrs: PathAttributes }): Promise<BlobAnalysis> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker: -1 });
      this.queue.push({ id, ...item });
      this.pump();
    });
  }

  /** Two jobs per worker in flight: one to parse, one waiting in its port. */
  private pump(): void {
    for (let i = 0; i < this.workers.length && this.queue.length > 0; i++) {
      while (this.inFlight[i]! < 2 && this.queue.length > 0) {
        const job = this.queue.shift()!;
        this.inFlight[i]!++;
        this.waiting.get(job.id)!.worker = i;
        this.workers[i]!.postMessage(job);
      }
    }
  }

  private done(worker: number, id: number, analysis: BlobAnalysis): void {
    this.inFlight[worker]!--;
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    w?.resolve(analysis);
    this.pump();
  }

  private fail(err: unknown): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.queue = [];
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  parentPort!.on('message', (job: Job) => {
    parentPort!.postMessage({ id: job.id, analysis: analyzeBlobText(job.path, job.content, job.attrs) });
  });
}

/**
 * Test harness for the two drivers and the real Worker, offline, on Node 20.
 *
 *   const drivers = ['better-sqlite3', 'd1'] as const;
 *   describe.each(drivers)('commits on %s', (driver) => {
 *     let store: TestStore;
 *     beforeEach(async () => (store = await openTestStore(driver)));
 *     afterEach(() => store.dispose());
 *     it('...', async () => { await listCommits(store); ... });
 *   });
 *
 * 'd1' is a real D1 database inside local workerd (Miniflare, the engine of `wrangler dev`),
 * reached from Node through Miniflare's binding proxy, with the migrations in migrations/
 * applied statement by statement. `startWorker()` runs the bundled src/worker.ts in workerd
 * with its own D1 database, for API tests over HTTP.
 */
import type { D1Database } from '@cloudflare/workers-types';
import { Miniflare } from 'miniflare';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleWorker } from '../../scripts/bundle-worker.ts';
import { applyMigrations, compatibilityDate } from '../../scripts/local-d1.ts';

export { applyMigrations, compatibilityDate, migrationStatements } from '../../scripts/local-d1.ts';
import { openD1Store } from '../../src/db/d1/open.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { type RepoStore, type Store, forRepo } from '../../src/db/store.ts';
import { firstRepo } from './repo-store.ts';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { formatGitAiNote } from '../../src/core/git-ai-note.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { buildHistory, GitFixture, HUMAN, HUMAN2, tempDir } from './git-fixture.ts';

export type Driver = 'better-sqlite3' | 'd1';
export const DRIVERS: readonly Driver[] = ['better-sqlite3', 'd1'];

export interface TestStore extends RepoStore {
  /** Closes the store and stops workerd (for 'd1'). */
  dispose(): Promise<void>;
}

const IDLE_WORKER = 'export default { fetch() { return new Response("grasp test d1", { status: 404 }); } }';

/** A store on a fresh database of the given driver, schema applied. */
export async function openTestStore(driver: Driver): Promise<TestStore> {
  if (driver === 'better-sqlite3') {
    const store = openNodeStore(join(tempDir('grasp-store-'), 'grasp.db'));
    return firstRepo({ ...store, async dispose() { store.close(); } });
  }
  const mf = new Miniflare({ modules: true, script: IDLE_WORKER, compatibilityDate: compatibilityDate(), d1Databases: { DB: 'test-db' } });
  const d1 = (await mf.getD1Database('DB')) as unknown as D1Database;
  await applyMigrations(d1);
  const store = openD1Store(d1);
  return firstRepo({ ...store, async dispose() { await mf.dispose(); } });
}

export interface TestWorker {
  /** http://127.0.0.1:<port> served by workerd: usable by `grasp push` and plain fetch. */
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The Worker's own D1 database, seen from Node. */
  store: Store;
  d1: D1Database;
  /** Runs the Worker's Cron Trigger handler as workerd would. */
  scheduled(time: Date, cron?: string): Promise<{ outcome: string }>;
  bundleBytes: number;
  dispose(): Promise<void>;
}

let bundled: Promise<{ outfile: string; bytes: number }> | null = null;

/**
 * src/worker.ts bundled once per test process (like `wrangler deploy` does); $GRASP_WORKER_SCRIPT
 * runs a prebuilt bundle instead (e.g. wrangler's own `deploy --dry-run --outdir` output).
 */
export function workerBundle(): Promise<{ outfile: string; bytes: number }> {
  const prebuilt = process.env.GRASP_WORKER_SCRIPT;
  bundled ??= prebuilt
    ? Promise.resolve({ outfile: prebuilt, bytes: readFileSync(prebuilt).length })
    : bundleWorker().then((b) => {
        // workerd cannot load Node-only modules: say which import chain brought them in.
        if (b.nodeOnly.length > 0) throw new Error(`the Worker does not bundle for workerd:\n  ${b.nodeOnly.map((n) => n.chain.join(' -> ')).join('\n  ')}`);
        return { outfile: b.outfile, bytes: b.bytes };
      });
  return bundled;
}

export async function startWorker(opts: { bindings?: Record<string, string>; migrate?: boolean } = {}): Promise<TestWorker> {
  const bundle = await workerBundle();
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundle.outfile,
    // Module names are paths relative to this root; the bundle lives in a temp dir.
    modulesRoot: dirname(bundle.outfile),
    compatibilityDate: compatibilityDate(),
    d1Databases: { DB: 'grasp-worker-test' },
    bindings: opts.bindings ?? {},
    host: '127.0.0.1',
    port: 0,
  });
  const url = (await mf.ready).origin;
  const d1 = (await mf.getD1Database('DB')) as unknown as D1Database;
  if (opts.migrate !== false) await applyMigrations(d1);
  return {
    url,
    fetch: (path, init) => fetch(`${url}${path}`, init),
    store: openD1Store(d1),
    d1,
    async scheduled(time, cron = '0 8 * * 1') {
      const worker = await mf.getWorker();
      const result = await worker.scheduled({ scheduledTime: time, cron });
      return { outcome: result.outcome };
    },
    bundleBytes: bundle.bytes,
    dispose: () => mf.dispose(),
  };
}

// ---------------------------------------------------------------------------------------------
// A real analyzed repository to push and to run repository code on

const CLAUDE = '\n\nCo-authored-by: Claude <noreply@anthropic.com>\n';

const RENDER_V1 = `export function renderPage(title: string, items: string[]): string {
  let html = '<h1>' + title + '</h1>';
  for (const item of items) html += item.length > 20 ? '<li class="long">' + item + '</li>' : '<li>' + item + '</li>';
  return html;
}
`;
const RENDER_V2 = `export function renderPage(title: string, items: string[]): string {
  let html = '<h1>' + title + '</h1>';
  if (items.length === 0) return html + '<p>empty</p>';
  for (const item of items) html += item.length > 20 ? '<li class="long">' + item + '</li>' : '<li>' + item + '</li>';
  return html;
}

export class Pager {
  constructor(private size: number) {}
  pages(total: number): number {
    return total <= 0 ? 0 : Math.ceil(total / this.size);
  }
}
`;

/**
 * Writes a small real history: agent and human commits, a git-ai note, a rename, a deletion and
 * a package.json bump, optionally on top of `volume` generated commits. Returns the shas in order.
 */
export function writeFixtureHistory(opts: { volume?: number } = {}): { repo: GitFixture; shas: string[] } {
  const repo = new GitFixture();
  const shas: string[] = [];
  if (opts.volume) buildHistory(repo, opts.volume, 12);
  shas.push(
    repo
      .write('src/config.ts', 'export function parseConfig(text: string): Record<string, string> {\n  const out: Record<string, string> = {};\n  for (const line of text.split("\\n")) if (line.includes("=")) out[line.split("=")[0]!] = line.split("=")[1]!;\n  return out;\n}\n')
      .write('package.json', '{\n  "name": "fixture",\n  "dependencies": { "hono": "^4.0.0" }\n}\n')
      .write('README.md', '# fixture\n')
      .commit({ author: HUMAN, message: 'config parser' }),
  );
  shas.push(
    repo
      .write('src/web/render.ts', RENDER_V1)
      .write('src/util/home.ts', "import { renderPage } from '../web/render';\n\nexport function homePage(): string {\n  return renderPage('Home', ['a', 'b']);\n}\n")
      .commit({ author: HUMAN, message: `render pages${CLAUDE}` }),
  );
  const noted = repo.write('src/validate.ts', 'export function validateKey(key: string): boolean {\n  return /^[a-z]+$/.test(key) || key === "id";\n}\n').commit({ author: HUMAN2, message: 'validation' });
  repo.note(
    noted,
    formatGitAiNote({
      schemaVersion: 'authorship/3.0.0',
      files: [{ path: 'src/validate.ts', sessions: [{ session: 'abc1234def567890', ranges: [[1, 3]] }] }],
      sessions: { abc1234def567890: { agent: 'claude', model: 'claude-sonnet-4' } },
    }),
  );
  shas.push(noted);
  shas.push(repo.write('src/web/render.ts', RENDER_V2).move('src/util/home.ts', 'src/pages/home.ts').commit({ author: HUMAN2, message: 'pager, move home page' }));
  shas.push(
    repo
      .remove('README.md')
      .write('package.json', '{\n  "name": "fixture",\n  "dependencies": { "hono": "^4.6.0", "zod": "^4.0.0" }\n}\n')
      .commit({ author: HUMAN, message: `bump dependencies${CLAUDE}` }),
  );
  return { repo, shas };
}

/** The real pipeline: `grasp ingest` (history, provenance) and the symbol analysis, into `store`. */
export async function ingestAndAnalyze(store: Store, repo: GitFixture): Promise<void> {
  // One name whatever the temp directory, so two drivers' copies of a fixture compare equal.
  const { repoId } = await ingestRepository(store, repo.dir, { name: 'fixture' });
  await analyzeRepository(forRepo(store, repoId), repo.dir);
}

/** writeFixtureHistory, then ingestAndAnalyze into `store`. */
export async function buildAnalyzedRepo(store: Store, opts: { volume?: number } = {}): Promise<{ repo: GitFixture; shas: string[] }> {
  const built = writeFixtureHistory(opts);
  await ingestAndAnalyze(store, built.repo);
  return built;
}

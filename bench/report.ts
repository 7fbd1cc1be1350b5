/**
 * Report and hotspots speed on a generated database: 10,000 alive symbols, 50,000 symbol versions
 * (5,000 commits x 10 symbol changes), 20 engineers and 100,000 marks (half on current versions),
 * with texts for every version, forward blame for every current file, and a few pull requests.
 * Goals: the report for one engineer < 100 ms, hotspots < 200 ms (medians, warm process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeStore } from '../src/db/node/open.ts';
import {
  blobLines,
  commits,
  engineerAliases,
  engineers,
  fileChanges,
  marks,
  prFiles,
  prReviewRequests,
  pullRequests,
  repos,
  reviews,
  symbolChanges,
  symbols,
  symbolTexts,
} from '../src/db/schema.ts';
import type { Store, WriteQuery } from '../src/db/store.ts';
import { buildEngineerReport } from '../src/report/engineer-report.ts';
import { buildHotspotsReport } from '../src/report/hotspots-report.ts';
import { timeMedian } from './common.ts';
import { seededRandom as rng } from './random.ts';

const SYMBOLS = 10_000;
const VERSIONS = 50_000;
const PER_COMMIT = 10;
const ENGINEERS = 20;
const MARKS = 100_000;
const SYMBOLS_PER_FILE = 20;
const FILES_PER_DIR = 10;
const DAY = 86_400;
const NOW = Date.parse('2026-11-20T00:00:00Z') / 1000;
const REPO = 1;


const fileOf = (symbol: number) => {
  const file = Math.floor(symbol / SYMBOLS_PER_FILE);
  return `src/d${Math.floor(file / FILES_PER_DIR)}/f${file % FILES_PER_DIR}.ts`;
};
const nameOf = (symbol: number) => `handleItem${symbol}`;
const startOf = (symbol: number) => (symbol % SYMBOLS_PER_FILE) * 12 + 1;
const sha = (n: number) => n.toString(16).padStart(40, '0');
const emailOf = (e: number) => `eng${e}@example.com`;

function textOf(symbol: number, version: number, random: () => number): string {
  const callee = nameOf(Math.floor(random() * SYMBOLS));
  return [
    `export function ${nameOf(symbol)}(input: Item, options: Options): Result {`,
    `  const value = ${callee}(input, options); // version ${version}`,
    `  if (value.kind === 'skip') return { ok: false, reason: 'skipped ${version}' };`,
    `  for (const entry of value.entries) {`,
    `    if (entry.weight > ${version % 97}) total += entry.weight * options.scale;`,
    '  }',
    '  return { ok: true, total };',
    '}',
  ].join('\n');
}

export async function generateReportDb(file: string): Promise<void> {
  const store = openNodeStore(file);
  const random = rng(42);
  const commitCount = VERSIONS / PER_COMMIT;
  const writes: WriteQuery[] = [];
  try {
    // Everything lives in repository 1, as in a database that tracks one repository.
    writes.push(...store.insertIgnore(repos, [{ id: REPO, name: 'bench/report', path: '/src/bench-report', head: sha(commitCount) }]));
    const people = Array.from({ length: ENGINEERS }, (_, i) => ({ id: i + 1, handle: `eng${i}`, name: `Engineer ${i}`, createdAt: NOW - 400 * DAY }));
    writes.push(...store.insertIgnore(engineers, people));
    writes.push(
      ...store.insertIgnore(engineerAliases, [
        ...people.map((p, i) => ({ kind: 'email' as const, value: emailOf(i), engineerId: p.id })),
        ...people.map((p, i) => ({ kind: 'login' as const, value: `eng${i}`, engineerId: p.id })),
      ]),
    );

    // Commits spread over the last year, oldest first; half by agents, each driven by an engineer.
    const commitRows = [];
    const commitMeta: { author: number; agent: boolean; at: number }[] = [];
    for (let c = 0; c < commitCount; c++) {
      const author = Math.floor(random() * ENGINEERS);
      const agent = random() < 0.5;
      const at = NOW - 365 * DAY + Math.floor(((c + 1) / commitCount) * 365 * DAY) - 60;
      commitMeta.push({ author, agent, at });
      commitRows.push({
        repoId: REPO, sha: sha(c + 1), seq: c + 1, parents: JSON.stringify(c > 0 ? [sha(c)] : []), authorName: `Engineer ${author}`, authorEmail: emailOf(author),
        authorDate: at, committerName: `Engineer ${author}`, committerEmail: emailOf(author), committerDate: at, subject: `change ${c}`,
        message: agent ? `change ${c}\n\nCo-authored-by: Claude <noreply@anthropic.com>` : `change ${c}`, kind: agent ? ('agent' as const) : ('human' as const),
        agent: agent ? 'claude' : null, confidence: 1, analyzed: 1,
      });
    }
    writes.push(...store.insertIgnore(commits, commitRows));

    // Versions: the first 10,000 add every symbol once, the rest modify random symbols.
    const versionsOf = new Array<number>(SYMBOLS).fill(0);
    const lastCommitOf = new Array<number>(SYMBOLS).fill(0);
    const changeRows = [];
    const textRows = [];
    const filesByCommit = new Map<number, Set<string>>();
    for (let v = 0; v < VERSIONS; v++) {
      const c = Math.floor(v / PER_COMMIT);
      const s = v < SYMBOLS ? v : Math.floor(random() * SYMBOLS);
      const version = versionsOf[s]!++;
      lastCommitOf[s] = c;
      const hash = `h${s}-${version}`;
      changeRows.push({
        repoId: REPO, sha: sha(c + 1), file: fileOf(s), name: nameOf(s), symbolId: s + 1, kind: 'function', change: version === 0 ? ('added' as const) : ('modified' as const),
        hash, oldHash: version === 0 ? null : `h${s}-${version - 1}`, startLine: startOf(s), endLine: startOf(s) + 7, complexity: 1 + (s % 12),
        agentLines: commitMeta[c]!.agent ? 8 : 0, humanLines: commitMeta[c]!.agent ? 0 : 8,
      });
      textRows.push({ hash, text: textOf(s, version, random) });
      filesByCommit.set(c, (filesByCommit.get(c) ?? new Set()).add(fileOf(s)));
    }
    writes.push(...store.insertIgnore(symbolChanges, changeRows), ...store.insertIgnore(symbolTexts, textRows));
    const fileRows = [];
    const lastBlobOf = new Map<string, { blob: string; commit: number }>();
    for (const [c, files] of filesByCommit) {
      let idx = 0;
      for (const path of files) {
        const blob = `b${c}-${idx}`.padEnd(40, '0');
        fileRows.push({ repoId: REPO, sha: sha(c + 1), idx: idx++, path, status: 'M', added: 8, deleted: 8, newBlob: blob });
        lastBlobOf.set(path, { blob, commit: c });
      }
    }
    writes.push(...store.insertIgnore(fileChanges, fileRows));

    const symbolRows = Array.from({ length: SYMBOLS }, (_, s) => {
      const c = lastCommitOf[s]!;
      const agent = commitMeta[c]!.agent;
      return {
        id: s + 1, repoId: REPO, file: fileOf(s), name: nameOf(s), kind: 'function', alive: true, hash: `h${s}-${versionsOf[s]! - 1}`, startLine: startOf(s),
        endLine: startOf(s) + 7, exported: true, complexity: 1 + (s % 12), agentLines: agent ? 8 : 0, humanLines: agent ? 0 : 8,
        authors: JSON.stringify([emailOf(commitMeta[c]!.author)]), lastSha: sha(c + 1), changeCount: versionsOf[s]!,
      };
    });
    writes.push(...store.insertIgnore(symbols, symbolRows));
    // Forward blame of each file's current blob: each symbol's 8 lines by its last commit.
    const blameRows = [...lastBlobOf].map(([path, { blob }]) => {
      const first = (Number(path.match(/d(\d+)\/f(\d+)/)![1]) * FILES_PER_DIR + Number(path.match(/f(\d+)\.ts/)![1])) * SYMBOLS_PER_FILE;
      const runs = [];
      for (let s = first; s < first + SYMBOLS_PER_FILE; s++) runs.push([8, sha(lastCommitOf[s]! + 1), commitMeta[lastCommitOf[s]!]!.agent ? 1 : 0], [4, '', 0]);
      return { blob, runs: JSON.stringify(runs) };
    });
    writes.push(...store.insertIgnore(blobLines, blameRows));

    // Marks: half on the current version, half on an older one (stale, or fresh for another engineer).
    const markRows = [];
    const levels = ['viewed', 'reviewed', 'explained'] as const;
    for (let m = 0; m < MARKS; m++) {
      const s = Math.floor(random() * SYMBOLS);
      const version = random() < 0.5 ? versionsOf[s]! - 1 : Math.floor(random() * versionsOf[s]!);
      markRows.push({
        id: m + 1, engineerId: 1 + Math.floor(random() * ENGINEERS), repoId: REPO, symbolId: s + 1, file: fileOf(s), name: nameOf(s), hash: `h${s}-${version}`,
        level: levels[Math.floor(random() * 3)]!, note: null, source: 'cli' as const, target: `${fileOf(s)}#${nameOf(s)}`, origin: null, createdAt: NOW - Math.floor(random() * 300 * DAY),
      });
    }
    writes.push(...store.insertIgnore(marks, markRows));

    // A few pull requests on recent files, with review requests for eng0 and some rubber stamps.
    for (let n = 1; n <= 20; n++) {
      writes.push(...store.insertIgnore(pullRequests, [{ repoId: REPO, number: n, title: `PR ${n}`, state: n % 2 ? 'OPEN' : 'MERGED', createdAt: NOW - 10 * DAY, updatedAt: NOW - n * DAY }]));
      writes.push(...store.insertIgnore(prFiles, [0, 1, 2].map((k) => ({ repoId: REPO, number: n, path: fileOf(((n * 37 + k * 11) % 500) * SYMBOLS_PER_FILE) }))));
      writes.push(...store.insertIgnore(prReviewRequests, [{ repoId: REPO, number: n, login: `eng${n % 4}` }]));
      writes.push(...store.insertIgnore(reviews, [{ id: String(1000 + n), repoId: REPO, number: n, authorLogin: `eng${(n + 1) % 20}`, state: 'APPROVED', submittedAt: NOW - n * DAY, rubberStamp: n % 3 === 0, rubberStampReason: n % 3 === 0 ? 'approved 500 changed lines without a single comment' : null }]));
    }
    await store.atomic(writes);
  } finally {
    store.close();
  }
}

/**
 * A fixed CPU-bound loop (10 million square roots: about 20 ms on the 2-core dev VM when it is
 * quiet), timed next to the measurements: on shared machines it tells how much of a figure is load.
 */
function calibrationMs(): number {
  const started = performance.now();
  let x = 0;
  for (let i = 0; i < 1e7; i++) x += Math.sqrt(i);
  if (x < 0) console.log(x); // keeps the loop from being optimized away
  return performance.now() - started;
}

export async function benchReport(
  runs = 7,
): Promise<{ reportMs: number; hotspotsMs: number; generateMs: number; calibrationMs: number; items: number; hotspots: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'grasp-bench-report-'));
  try {
    const file = join(dir, 'report.db');
    const started = performance.now();
    await generateReportDb(file);
    const generateMs = performance.now() - started;
    const store = openNodeStore(file);
    try {
      const nowMs = NOW * 1000;
      // Warm-up: first queries pay for page cache and statement preparation.
      const first = await buildEngineerReport(store, 'eng0', { now: nowMs });
      const hot = await buildHotspotsReport(store, { now: nowMs });
      const reportMs = await timeMedian(runs, () => buildEngineerReport(store, 'eng0', { now: nowMs }));
      const hotspotsMs = await timeMedian(runs, () => buildHotspotsReport(store, { now: nowMs }));
      const calibration = Math.min(calibrationMs(), calibrationMs(), calibrationMs());
      return { reportMs, hotspotsMs, generateMs, calibrationMs: calibration, items: first.items.length, hotspots: hot.symbols.length };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Standalone: `node bin/run-ts.mjs bench/report.ts`.
if (process.argv[1]?.endsWith('bench/report.ts')) {
  const r = await benchReport();
  console.log(
    `generated in ${r.generateMs.toFixed(0)} ms; report ${r.reportMs.toFixed(1)} ms (goal < 100), hotspots ${r.hotspotsMs.toFixed(1)} ms (goal < 200); ` +
      `CPU calibration ${r.calibrationMs.toFixed(1)} ms (about 20 when the dev VM is quiet)`,
  );
}

/**
 * Generated databases for the desk benches (bench/desk.ts), written through the real schema:
 * - the team queue database: 20 repositories, each with a linear history of 1,000 commits changing
 *   1,000 symbols in 50 files (5,000 versions with texts, forward blame and blob analyses), 5,000
 *   marks by 20 engineers, 20 closed PRs and 10 open agent PRs of one commit off the tip each,
 *   changing 4 symbols, one of them among 8 hot ones (so open PRs collide);
 * - the scorecard database: one repository of 100,000 commits, half agent-written, each changing
 *   one file and one symbol, with forward blame.
 */
import { openNodeStore } from '../src/db/node/open.ts';
import {
  blobAnalyses,
  blobLines,
  commits,
  engineerAliases,
  engineers,
  fileAnalyses,
  fileChanges,
  marks,
  prCommits,
  prReviewRequests,
  pullRequests,
  repos,
  reviews,
  symbolChanges,
  symbols,
  symbolTexts,
} from '../src/db/schema.ts';
import type { WriteQuery } from '../src/db/store.ts';
import { seededRandom as rng } from './random.ts';

export const DAY = 86_400;
export const NOW = Date.parse('2026-11-20T00:00:00Z') / 1000;
export const sha = (n: number) => n.toString(16).padStart(40, '0');

export const QUEUE_REPOS = 20;
export const OPEN_PRS_PER_REPO = 10;
const REPO_COMMITS = 1_000;
const REPO_SYMBOLS = 1_000;
const VERSIONS_PER_COMMIT = 5;
const SYMBOLS_PER_FILE = 20;
const MARKS_PER_REPO = 5_000;
const ENGINEERS = 20;
const HOT_SYMBOLS = 8;
const AGENTS = ['claude', 'codex', 'copilot', 'cursor'];

const emailOf = (e: number) => `eng${e}@example.com`;
const fileOf = (s: number) => `src/m${Math.floor(s / SYMBOLS_PER_FILE / 10)}/f${Math.floor(s / SYMBOLS_PER_FILE)}.ts`;
const nameOf = (s: number) => `handle${s}`;
const startOf = (s: number) => (s % SYMBOLS_PER_FILE) * 12 + 1;
const blobId = (text: string) => text.padEnd(40, '0');

function symbolText(s: number, version: string, callee: number): string {
  return [
    `export async function ${nameOf(s)}(input: Item, options: Options): Promise<Result> {`,
    `  const value = await ${nameOf(callee)}(input, options); // ${version}`,
    `  if (value.kind === 'skip') return { ok: false, reason: 'skipped' };`,
    '  let total = 0;',
    '  for (const entry of value.entries) {',
    '    if (entry.weight > options.floor) total += entry.weight * options.scale;',
    '  }',
    '  return { ok: true, total };',
    '}',
  ].join('\n');
}

/** The blob analysis of one version of a file: its 20 functions, each 9 lines, 3 apart. */
function fileSymbols(firstSymbol: number, hashOf: (s: number) => string, complexityOf: (s: number) => number): string {
  return JSON.stringify(
    Array.from({ length: SYMBOLS_PER_FILE }, (_, k) => {
      const s = firstSymbol + k;
      return { name: nameOf(s), kind: 'function', startLine: startOf(s), endLine: startOf(s) + 8, exported: true, complexity: complexityOf(s), hash: hashOf(s), parent: -1 };
    }),
  );
}

/** The team database of the queue bench: see the file comment. Returns the open PRs per repository. */
export async function generateQueueDb(file: string): Promise<{ repos: number; openPrs: number }> {
  const store = openNodeStore(file);
  const random = rng(7);
  const writes: WriteQuery[] = [];
  try {
    const people = Array.from({ length: ENGINEERS }, (_, i) => ({ id: i + 1, handle: `eng${i}`, name: `Engineer ${i}`, createdAt: NOW - 400 * DAY }));
    writes.push(...store.insertIgnore(engineers, people));
    writes.push(
      ...store.insertIgnore(engineerAliases, [
        ...people.map((p, i) => ({ kind: 'email' as const, value: emailOf(i), engineerId: p.id })),
        ...people.map((p, i) => ({ kind: 'login' as const, value: `eng${i}`, engineerId: p.id })),
      ]),
    );
    let markId = 0;
    let openPrs = 0;
    for (let r = 1; r <= QUEUE_REPOS; r++) {
      const repoId = r;
      const idBase = (r - 1) * REPO_SYMBOLS; // symbol ids are unique across repositories
      const shaOf = (c: number) => sha(r * 10_000_000 + c + 1);
      writes.push(...store.insertIgnore(repos, [{ id: repoId, name: `team/service-${r}`, path: `/nonexistent/service-${r}`, head: shaOf(REPO_COMMITS - 1), createdAt: NOW - 400 * DAY }]));

      const versionsOf = new Array<number>(REPO_SYMBOLS).fill(0);
      const complexityOf = new Array<number>(REPO_SYMBOLS).fill(1);
      const lastCommitOf = new Array<number>(REPO_SYMBOLS).fill(0);
      const hashOf = (s: number, v = versionsOf[s]! - 1) => `r${r}s${s}v${v}`;
      const blobOfFile = new Map<number, string>();
      const commitRows = [];
      const changeRows = [];
      const textRows = [];
      const fileRows = [];
      const analysisRows = [];
      const blobRows = [];
      const blameRows = [];
      const agentCommit: boolean[] = [];
      const authorOf: number[] = [];
      for (let c = 0; c < REPO_COMMITS; c++) {
        const author = Math.floor(random() * ENGINEERS);
        const agent = random() < 0.5;
        agentCommit.push(agent);
        authorOf.push(author);
        const at = NOW - 365 * DAY + Math.floor(((c + 1) / REPO_COMMITS) * 360 * DAY);
        commitRows.push({
          repoId, sha: shaOf(c), seq: c + 1, parents: JSON.stringify(c > 0 ? [shaOf(c - 1)] : []), authorName: `Engineer ${author}`, authorEmail: emailOf(author),
          authorDate: at, committerName: `Engineer ${author}`, committerEmail: emailOf(author), committerDate: at, subject: `change ${c}`,
          message: agent ? `change ${c}\n\nCo-authored-by: Claude <noreply@anthropic.com>` : `change ${c}`, kind: agent ? ('agent' as const) : ('human' as const),
          agent: agent ? 'claude' : null, confidence: 1, analyzed: 1,
        });
        const touched = new Map<number, number[]>();
        for (let k = 0; k < VERSIONS_PER_COMMIT; k++) {
          const v = c * VERSIONS_PER_COMMIT + k;
          const s = v < REPO_SYMBOLS ? v : Math.floor(random() * REPO_SYMBOLS);
          if ([...touched.values()].some((list) => list.includes(s))) continue;
          const f = Math.floor(s / SYMBOLS_PER_FILE);
          touched.set(f, [...(touched.get(f) ?? []), s]);
          const version = versionsOf[s]!++;
          const oldComplexity = complexityOf[s]!;
          complexityOf[s] = 1 + ((s + version) % 12);
          lastCommitOf[s] = c;
          const hash = hashOf(s);
          changeRows.push({
            repoId, sha: shaOf(c), file: fileOf(s), name: nameOf(s), symbolId: idBase + s + 1, kind: 'function', change: version === 0 ? ('added' as const) : ('modified' as const),
            hash, oldHash: version === 0 ? null : hashOf(s, version - 1), startLine: startOf(s), endLine: startOf(s) + 8, exported: true, complexity: complexityOf[s]!,
            oldComplexity: version === 0 ? null : oldComplexity, agentLines: agent ? 9 : 0, humanLines: agent ? 0 : 9,
          });
          textRows.push({ hash, text: symbolText(s, hash, Math.floor(random() * REPO_SYMBOLS)) });
        }
        let idx = 0;
        for (const [f, changed] of touched) {
          const blob = blobId(`r${r}c${c}f${f}`);
          const oldBlob = blobOfFile.get(f) ?? null;
          blobOfFile.set(f, blob);
          const lines = changed.length * 9;
          fileRows.push({ repoId, sha: shaOf(c), idx: idx++, path: fileOf(f * SYMBOLS_PER_FILE), status: oldBlob ? 'M' : 'A', added: lines, deleted: oldBlob ? lines : 0, oldBlob, newBlob: blob });
          analysisRows.push({ repoId, sha: shaOf(c), path: fileOf(f * SYMBOLS_PER_FILE), blob, status: 'ok', agentLines: agent ? lines : 0, humanLines: agent ? 0 : lines });
          const first = f * SYMBOLS_PER_FILE;
          blobRows.push({ blob, status: 'ok', lineCount: SYMBOLS_PER_FILE * 12, symbols: fileSymbols(first, (s) => hashOf(s, Math.max(0, versionsOf[s]! - 1)), (s) => complexityOf[s]!) });
          const shas = [...new Set(Array.from({ length: SYMBOLS_PER_FILE }, (_, k) => shaOf(lastCommitOf[first + k]!)))];
          blameRows.push({ blob, runs: JSON.stringify({ shas, runs: Array.from({ length: SYMBOLS_PER_FILE }, (_, k) => [12, shas.indexOf(shaOf(lastCommitOf[first + k]!)), agentCommit[lastCommitOf[first + k]!] ? 1 : 0]) }) });
        }
      }
      writes.push(
        ...store.insertIgnore(commits, commitRows),
        ...store.insertIgnore(symbolChanges, changeRows),
        ...store.insertIgnore(symbolTexts, textRows),
        ...store.insertIgnore(fileChanges, fileRows),
        ...store.insertIgnore(fileAnalyses, analysisRows),
        ...store.insertIgnore(blobAnalyses, blobRows),
        ...store.insertIgnore(blobLines, blameRows),
      );
      writes.push(
        ...store.insertIgnore(
          symbols,
          Array.from({ length: REPO_SYMBOLS }, (_, s) => {
            const agent = agentCommit[lastCommitOf[s]!]!;
            return {
              id: idBase + s + 1, repoId, file: fileOf(s), name: nameOf(s), kind: 'function', alive: true, hash: hashOf(s), startLine: startOf(s), endLine: startOf(s) + 8,
              exported: true, complexity: complexityOf[s]!, agentLines: agent ? 9 : 0, humanLines: agent ? 0 : 9, authors: JSON.stringify([emailOf(authorOf[lastCommitOf[s]!]!)]),
              lastSha: shaOf(lastCommitOf[s]!), changeCount: versionsOf[s]!,
            };
          }),
        ),
      );

      // Marks: half on the current version, half on an older one.
      const levels = ['viewed', 'reviewed', 'explained'] as const;
      const markRows = [];
      for (let m = 0; m < MARKS_PER_REPO; m++) {
        const s = Math.floor(random() * REPO_SYMBOLS);
        const version = random() < 0.5 ? versionsOf[s]! - 1 : Math.floor(random() * versionsOf[s]!);
        const level = levels[Math.floor(random() * 3)]!;
        markRows.push({
          id: ++markId, engineerId: 1 + Math.floor(random() * ENGINEERS), repoId, symbolId: idBase + s + 1, file: fileOf(s), name: nameOf(s), hash: hashOf(s, version), level,
          note: level === 'explained' ? `why ${nameOf(s)} retries` : null, source: 'cli' as const, target: `${fileOf(s)}#${nameOf(s)}`, origin: null, createdAt: NOW - Math.floor(random() * 300 * DAY),
        });
      }
      writes.push(...store.insertIgnore(marks, markRows));

      // Closed history: 20 merged PRs with approvals (some rubber stamps).
      for (let n = 1; n <= 20; n++) {
        writes.push(...store.insertIgnore(pullRequests, [{ repoId, number: n, title: `PR ${n}`, state: 'MERGED', createdAt: NOW - 60 * DAY, updatedAt: NOW - 50 * DAY, mergedAt: NOW - 50 * DAY }]));
        writes.push(...store.insertIgnore(reviews, [{ id: `r${r}-${n}`, repoId, number: n, authorLogin: `eng${n % ENGINEERS}`, state: 'APPROVED', submittedAt: NOW - 50 * DAY, rubberStamp: n % 3 === 0 }]));
      }

      // Open agent PRs: one commit off the tip each, 4 symbols (1 of the 8 hot ones), one file change per file.
      const base = shaOf(REPO_COMMITS - 1);
      for (let p = 0; p < OPEN_PRS_PER_REPO; p++) {
        const number = 1000 + p;
        const head = sha(r * 10_000_000 + 5_000_000 + p);
        const agent = AGENTS[(p + r) % AGENTS.length]!;
        const at = NOW - Math.floor(random() * 5 * DAY);
        writes.push(
          ...store.insertIgnore(commits, [
            {
              repoId, sha: head, seq: REPO_COMMITS + p + 1, parents: JSON.stringify([base]), authorName: agent, authorEmail: `${agent}@agents.example`, authorDate: at,
              committerName: agent, committerEmail: `${agent}@agents.example`, committerDate: at, subject: `task ${p}`, message: `task ${p}`, kind: 'agent', agent, confidence: 0.95, analyzed: 1,
            },
          ]),
        );
        const picks = new Set<number>([Math.floor(random() * HOT_SYMBOLS) * 37]);
        while (picks.size < 4) picks.add(Math.floor(random() * REPO_SYMBOLS));
        const byFile = new Map<number, number[]>();
        for (const s of picks) byFile.set(Math.floor(s / SYMBOLS_PER_FILE), [...(byFile.get(Math.floor(s / SYMBOLS_PER_FILE)) ?? []), s]);
        const prHash = (s: number) => `r${r}pr${p}s${s}`;
        for (const s of picks) {
          writes.push(
            ...store.insertIgnore(symbolChanges, [
              {
                repoId, sha: head, file: fileOf(s), name: nameOf(s), symbolId: idBase + s + 1, kind: 'function', change: 'modified', hash: prHash(s), oldHash: hashOf(s), startLine: startOf(s),
                endLine: startOf(s) + 8, exported: true, complexity: complexityOf[s]! + 1, oldComplexity: complexityOf[s]!, agentLines: 9, humanLines: 0,
              },
            ]),
            ...store.insertIgnore(symbolTexts, [{ hash: prHash(s), text: symbolText(s, prHash(s), (s + 1) % REPO_SYMBOLS).replace('let total = 0;', `let total = ${p}; // task ${p}`) }]),
          );
        }
        let idx = 0;
        for (const [f, changed] of byFile) {
          const blob = blobId(`r${r}pr${p}f${f}`);
          const path = fileOf(f * SYMBOLS_PER_FILE);
          writes.push(
            ...store.insertIgnore(fileChanges, [{ repoId, sha: head, idx: idx++, path, status: 'M', added: 9 * changed.length, deleted: 9 * changed.length, oldBlob: blobOfFile.get(f) ?? null, newBlob: blob }]),
            ...store.insertIgnore(fileAnalyses, [{ repoId, sha: head, path, blob, status: 'ok', agentLines: 9 * changed.length, humanLines: 0 }]),
            ...store.insertIgnore(blobAnalyses, [
              { blob, status: 'ok', lineCount: SYMBOLS_PER_FILE * 12, symbols: fileSymbols(f * SYMBOLS_PER_FILE, (s) => (changed.includes(s) ? prHash(s) : hashOf(s)), (s) => complexityOf[s]! + (changed.includes(s) ? 1 : 0)) },
            ]),
          );
        }
        writes.push(
          ...store.insertIgnore(pullRequests, [
            { repoId, number, title: `Agent task ${p}`, authorLogin: `${agent}[bot]`, state: 'OPEN', headRef: `${agent}/task-${p}`, baseRef: 'main', headSha: head, baseSha: base, createdAt: at, updatedAt: at, lastPushAt: at, additions: 36, deletions: 36 },
          ]),
          ...store.insertIgnore(prCommits, [{ repoId, number, sha: head, pushedAt: at }]),
          ...(p % 3 === 0 ? store.insertIgnore(prReviewRequests, [{ repoId, number, login: 'eng0' }]) : []),
        );
        openPrs++;
      }
    }
    await store.atomic(writes);
    return { repos: QUEUE_REPOS, openPrs };
  } finally {
    store.close();
  }
}

const SCORECARD_FILES = 2_000;
const SCORECARD_SYMBOLS_PER_FILE = 5;

/** A linear history of `count` commits, half agent-written, each changing one file and one symbol, with forward blame. */
export async function generateScorecardDb(file: string, count: number): Promise<void> {
  const store = openNodeStore(file);
  const random = rng(11);
  const repoId = 1;
  try {
    const agents = ['claude', 'codex', 'copilot', 'cursor', 'devin'];
    const commitRows = [];
    const changeRows = [];
    const analysisRows = [];
    const blameRows = [];
    const symbolChangeRows = [];
    // Per file: the shas its current lines came from (up to 4 runs of 10 lines).
    const blame = new Map<number, { sha: string; agent: number }[]>();
    const lastOf = new Map<number, { sha: string; agent: boolean; version: number }>();
    for (let c = 0; c < count; c++) {
      const agentIdx = random() < 0.5 ? Math.floor(random() * agents.length) : -1;
      const at = NOW - 730 * DAY + Math.floor(((c + 1) / count) * 730 * DAY);
      const s = sha(c + 1);
      const agent = agentIdx >= 0 ? agents[agentIdx]! : null;
      commitRows.push({
        repoId, sha: s, seq: c + 1, parents: JSON.stringify(c > 0 ? [sha(c)] : []), authorName: agent ?? `dev${c % 20}`, authorEmail: `${agent ?? `dev${c % 20}`}@example.com`, authorDate: at,
        committerName: 'dev', committerEmail: 'dev@example.com', committerDate: at, subject: c % 997 === 0 && c > 0 ? `Revert "change ${c - 1}"` : `change ${c}`,
        message: c % 997 === 0 && c > 0 ? `Revert "change ${c - 1}"\n\nThis reverts commit ${sha(c)}.` : `change ${c}`, kind: agent ? ('agent' as const) : ('human' as const), agent, confidence: 0.95, analyzed: 1,
      });
      const f = Math.floor(random() * SCORECARD_FILES);
      const path = `src/d${f % 20}/f${f}.ts`;
      const blob = `blob${c}`.padEnd(40, '0');
      changeRows.push({ repoId, sha: s, idx: 0, path, status: lastOf.has(f) ? 'M' : 'A', added: 10, deleted: lastOf.has(f) ? 10 : 0, newBlob: blob });
      analysisRows.push({ repoId, sha: s, path, blob, status: 'analyzed', agentLines: agent ? 10 : 0, humanLines: agent ? 0 : 10 });
      const runs = [...(blame.get(f) ?? []).slice(-3), { sha: s, agent: agent ? 1 : 0 }];
      blame.set(f, runs);
      blameRows.push({ blob, runs: JSON.stringify({ shas: runs.map((r) => r.sha), runs: runs.map((r, i) => [10, i, r.agent]) }) });
      const sym = f * SCORECARD_SYMBOLS_PER_FILE + (c % SCORECARD_SYMBOLS_PER_FILE);
      const version = (lastOf.get(sym)?.version ?? -1) + 1;
      lastOf.set(f, { sha: s, agent: !!agent, version: 0 });
      lastOf.set(sym + SCORECARD_FILES, { sha: s, agent: !!agent, version });
      symbolChangeRows.push({
        repoId, sha: s, file: path, name: `fn${sym}`, symbolId: sym + 1, kind: 'function', change: version === 0 ? ('added' as const) : ('modified' as const), hash: `s${sym}-${c}`,
        oldHash: null, startLine: 1 + (sym % SCORECARD_SYMBOLS_PER_FILE) * 12, endLine: 10 + (sym % SCORECARD_SYMBOLS_PER_FILE) * 12, complexity: 1 + (c % 13), agentLines: agent ? 10 : 0, humanLines: agent ? 0 : 10,
      });
    }
    const symbolRows = Array.from({ length: SCORECARD_FILES * SCORECARD_SYMBOLS_PER_FILE }, (_, sym) => {
      const f = Math.floor(sym / SCORECARD_SYMBOLS_PER_FILE);
      const last = lastOf.get(sym + SCORECARD_FILES);
      return {
        id: sym + 1, repoId, file: `src/d${f % 20}/f${f}.ts`, name: `fn${sym}`, kind: 'function', alive: true, hash: `s${sym}-${last?.sha ?? 'none'}`, startLine: 1 + (sym % SCORECARD_SYMBOLS_PER_FILE) * 12,
        endLine: 10 + (sym % SCORECARD_SYMBOLS_PER_FILE) * 12, exported: true, complexity: 1 + (sym % 13), agentLines: last?.agent ? 10 : 0, humanLines: last?.agent ? 0 : 10, changeCount: (last?.version ?? 0) + 1,
      };
    });
    await store.atomic([
      ...store.insertIgnore(repos, [{ id: repoId, name: 'team/monorepo', path: '/nonexistent/monorepo', head: sha(count), createdAt: NOW - 800 * DAY }]),
      ...store.insertIgnore(commits, commitRows),
      ...store.insertIgnore(fileChanges, changeRows),
      ...store.insertIgnore(fileAnalyses, analysisRows),
      ...store.insertIgnore(blobLines, blameRows),
      ...store.insertIgnore(symbolChanges, symbolChangeRows),
      ...store.insertIgnore(symbols, symbolRows),
    ]);
  } finally {
    store.close();
  }
}

/**
 * A generated team database (issue 15): 20 repositories, 100,000 alive symbols, 500,000 symbol
 * versions, 50 engineers and 1,000,000 marks, shaped like bench/report.ts's single repository
 * scaled out: each repository has 5,000 symbols changed by 2,500 commits of 10 symbol changes over
 * the last year, half of them by agents; marks fall on random repositories, half on the current
 * version. Repositories r and r + 10 are copies of one library (same content hashes), so a query
 * that forgot the repository would cover the wrong code and read twice the rows.
 * Rows go through the real schema in bulk (one transaction per repository). Generation is not timed.
 */
import { blobLines, commits, engineerAliases, engineers, fileChanges, marks, prFiles, prReviewRequests, pullRequests, repos, reviews, symbolChanges, symbols, symbolTexts } from '../src/db/schema.ts';
import { openNodeStore } from '../src/db/node/open.ts';
import type { WriteQuery } from '../src/db/store.ts';
import { seededRandom } from './random.ts';

export const TEAM = {
  repos: 20,
  symbolsPerRepo: 5_000,
  versionsPerRepo: 25_000,
  engineers: 50,
  marks: 1_000_000,
} as const;
const PER_COMMIT = 10;
const SYMBOLS_PER_FILE = 20;
const FILES_PER_DIR = 10;
const DAY = 86_400;
/** The benches' clock: the generated history ends here. */
export const TEAM_NOW = Date.parse('2026-11-20T00:00:00Z') / 1000;
/** Repositories r and r + COPY_STRIDE share their content hashes (a vendored library). */
const COPY_STRIDE = 10;

const fileOf = (s: number) => {
  const file = Math.floor(s / SYMBOLS_PER_FILE);
  return `src/d${Math.floor(file / FILES_PER_DIR)}/f${file % FILES_PER_DIR}.ts`;
};
const nameOf = (s: number) => `handleItem${s}`;
const startOf = (s: number) => (s % SYMBOLS_PER_FILE) * 12 + 1;
/** Commit c (0-based) of repository r (1-based): distinct across repositories, as real shas are. */
const shaOf = (r: number, c: number) => (r * 1_000_000 + c + 1).toString(16).padStart(40, '0');
const hashOf = (r: number, s: number, version: number) => `g${(r - 1) % COPY_STRIDE}-h${s}-${version}`;
const emailOf = (e: number) => `eng${e}@example.com`;
/** Global symbol id of local symbol s in repository r. */
export const teamSymbolId = (r: number, s: number) => (r - 1) * TEAM.symbolsPerRepo + s + 1;
export const teamRepoName = (r: number) => `team/repo-${String(r).padStart(2, '0')}`;

function textOf(s: number, version: number, random: () => number): string {
  const callee = nameOf(Math.floor(random() * TEAM.symbolsPerRepo));
  return [
    `export function ${nameOf(s)}(input: Item, options: Options): Result {`,
    `  const value = ${callee}(input, options); // version ${version}`,
    `  if (value.kind === 'skip') return { ok: false, reason: 'skipped ${version}' };`,
    `  for (const entry of value.entries) {`,
    `    if (entry.weight > ${version % 97}) total += entry.weight * options.scale;`,
    '  }',
    '  return { ok: true, total };',
    '}',
  ].join('\n');
}

/** What the mark generator needs to know of each repository's versions. */
interface RepoVersions {
  versionsOf: number[];
}

export async function generateTeamDb(file: string): Promise<void> {
  const store = openNodeStore(file);
  const random = seededRandom(4242);
  try {
    const people = Array.from({ length: TEAM.engineers }, (_, i) => ({ id: i + 1, handle: `eng${i}`, name: `Engineer ${i}`, createdAt: TEAM_NOW - 400 * DAY }));
    await store.atomic([
      ...store.insertIgnore(repos, Array.from({ length: TEAM.repos }, (_, i) => ({ id: i + 1, name: teamRepoName(i + 1), path: `/src/team/repo-${i + 1}`, head: shaOf(i + 1, TEAM.versionsPerRepo / PER_COMMIT - 1) }))),
      ...store.insertIgnore(engineers, people),
      ...store.insertIgnore(engineerAliases, [
        ...people.map((p, i) => ({ kind: 'email' as const, value: emailOf(i), engineerId: p.id })),
        ...people.map((p, i) => ({ kind: 'login' as const, value: `eng${i}`, engineerId: p.id })),
      ]),
    ]);
    const all: RepoVersions[] = [];
    for (let r = 1; r <= TEAM.repos; r++) all.push(await writeRepository(store, r, random));
    await writeMarks(store, all, random);
  } finally {
    store.close();
  }
}

async function writeRepository(store: ReturnType<typeof openNodeStore>, r: number, random: () => number): Promise<RepoVersions> {
  const commitCount = TEAM.versionsPerRepo / PER_COMMIT;
  const writes: WriteQuery[] = [];
  const commitRows = [];
  const commitMeta: { author: number; agent: boolean }[] = [];
  for (let c = 0; c < commitCount; c++) {
    const author = Math.floor(random() * TEAM.engineers);
    const agent = random() < 0.5;
    const at = TEAM_NOW - 365 * DAY + Math.floor(((c + 1) / commitCount) * 365 * DAY) - 60 - r;
    commitMeta.push({ author, agent });
    commitRows.push({
      repoId: r, sha: shaOf(r, c), seq: c + 1, parents: JSON.stringify(c > 0 ? [shaOf(r, c - 1)] : []), authorName: `Engineer ${author}`, authorEmail: emailOf(author),
      authorDate: at, committerName: `Engineer ${author}`, committerEmail: emailOf(author), committerDate: at, subject: `change ${c}`,
      message: agent ? `change ${c}\n\nCo-authored-by: Claude <noreply@anthropic.com>` : `change ${c}`, kind: agent ? ('agent' as const) : ('human' as const),
      agent: agent ? 'claude' : null, confidence: 1, analyzed: 1,
    });
  }
  writes.push(...store.insertIgnore(commits, commitRows));

  const versionsOf = new Array<number>(TEAM.symbolsPerRepo).fill(0);
  const lastCommitOf = new Array<number>(TEAM.symbolsPerRepo).fill(0);
  const changeRows = [];
  const textRows = [];
  const filesByCommit = new Map<number, Set<string>>();
  for (let v = 0; v < TEAM.versionsPerRepo; v++) {
    const c = Math.floor(v / PER_COMMIT);
    const s = v < TEAM.symbolsPerRepo ? v : Math.floor(random() * TEAM.symbolsPerRepo);
    const version = versionsOf[s]!++;
    lastCommitOf[s] = c;
    const hash = hashOf(r, s, version);
    const agent = commitMeta[c]!.agent;
    changeRows.push({
      repoId: r, sha: shaOf(r, c), file: fileOf(s), name: nameOf(s), symbolId: teamSymbolId(r, s), kind: 'function', change: version === 0 ? ('added' as const) : ('modified' as const),
      hash, oldHash: version === 0 ? null : hashOf(r, s, version - 1), startLine: startOf(s), endLine: startOf(s) + 7, complexity: 1 + (s % 12),
      agentLines: agent ? 8 : 0, humanLines: agent ? 0 : 8,
    });
    textRows.push({ hash, text: textOf(s, version, random) });
    filesByCommit.set(c, (filesByCommit.get(c) ?? new Set()).add(fileOf(s)));
  }
  writes.push(...store.insertIgnore(symbolChanges, changeRows), ...store.insertIgnore(symbolTexts, textRows));

  const fileRows = [];
  const lastBlobOf = new Map<string, string>();
  for (const [c, files] of filesByCommit) {
    let idx = 0;
    for (const path of files) {
      const blob = `r${r}b${c}-${idx}`.padEnd(40, '0');
      fileRows.push({ repoId: r, sha: shaOf(r, c), idx: idx++, path, status: 'M', added: 8, deleted: 8, newBlob: blob });
      lastBlobOf.set(path, blob);
    }
  }
  writes.push(...store.insertIgnore(fileChanges, fileRows));

  const symbolRows = Array.from({ length: TEAM.symbolsPerRepo }, (_, s) => {
    const meta = commitMeta[lastCommitOf[s]!]!;
    return {
      id: teamSymbolId(r, s), repoId: r, file: fileOf(s), name: nameOf(s), kind: 'function', alive: true, hash: hashOf(r, s, versionsOf[s]! - 1), startLine: startOf(s),
      endLine: startOf(s) + 7, exported: true, complexity: 1 + (s % 12), agentLines: meta.agent ? 8 : 0, humanLines: meta.agent ? 0 : 8,
      authors: JSON.stringify([emailOf(meta.author)]), lastSha: shaOf(r, lastCommitOf[s]!), changeCount: versionsOf[s]!,
    };
  });
  writes.push(...store.insertIgnore(symbols, symbolRows));
  // Forward blame of each file's current blob: each symbol's 8 lines by its last commit.
  const blameRows = [...lastBlobOf].map(([path, blob]) => {
    const [, dir, f] = path.match(/d(\d+)\/f(\d+)\.ts/)!;
    const first = (Number(dir) * FILES_PER_DIR + Number(f)) * SYMBOLS_PER_FILE;
    const runs = [];
    for (let s = first; s < first + SYMBOLS_PER_FILE; s++) runs.push([8, shaOf(r, lastCommitOf[s]!), commitMeta[lastCommitOf[s]!]!.agent ? 1 : 0], [4, '', 0]);
    return { blob, runs: JSON.stringify(runs) };
  });
  writes.push(...store.insertIgnore(blobLines, blameRows));

  // A few pull requests per repository, with review requests and some rubber stamps.
  for (let n = 1; n <= 10; n++) {
    writes.push(...store.insertIgnore(pullRequests, [{ repoId: r, number: n, title: `PR ${n}`, state: n % 2 ? 'OPEN' : 'MERGED', createdAt: TEAM_NOW - 10 * DAY, updatedAt: TEAM_NOW - n * DAY }]));
    writes.push(...store.insertIgnore(prFiles, [0, 1, 2].map((k) => ({ repoId: r, number: n, path: fileOf(((n * 37 + k * 11) % 250) * SYMBOLS_PER_FILE) }))));
    writes.push(...store.insertIgnore(prReviewRequests, [{ repoId: r, number: n, login: `eng${(n + r) % 4}` }]));
    writes.push(
      ...store.insertIgnore(reviews, [
        { id: String(r * 1000 + n), repoId: r, number: n, authorLogin: `eng${(n + r) % TEAM.engineers}`, state: 'APPROVED', submittedAt: TEAM_NOW - n * DAY, rubberStamp: n % 3 === 0, rubberStampReason: n % 3 === 0 ? 'approved 500 changed lines without a single comment' : null },
      ]),
    );
  }
  await store.atomic(writes);
  return { versionsOf };
}

/** Marks on random repositories and symbols: half on the current version, half on an older one. */
async function writeMarks(store: ReturnType<typeof openNodeStore>, all: readonly RepoVersions[], random: () => number): Promise<void> {
  const levels = ['viewed', 'reviewed', 'explained'] as const;
  const batch = 100_000;
  for (let from = 0; from < TEAM.marks; from += batch) {
    const rows = [];
    for (let m = from; m < Math.min(TEAM.marks, from + batch); m++) {
      const r = 1 + Math.floor(random() * TEAM.repos);
      const s = Math.floor(random() * TEAM.symbolsPerRepo);
      const versions = all[r - 1]!.versionsOf[s]!;
      const version = random() < 0.5 ? versions - 1 : Math.floor(random() * versions);
      rows.push({
        id: m + 1, engineerId: 1 + Math.floor(random() * TEAM.engineers), repoId: r, symbolId: teamSymbolId(r, s), file: fileOf(s), name: nameOf(s), hash: hashOf(r, s, version),
        level: levels[Math.floor(random() * 3)]!, note: null, source: 'cli' as const, target: `${fileOf(s)}#${nameOf(s)}`, origin: null, createdAt: TEAM_NOW - Math.floor(random() * 300 * DAY),
      });
    }
    await store.atomic(store.insertIgnore(marks, rows));
  }
}

/**
 * The one drizzle schema shared by every driver (better-sqlite3 on Node, D1 on Workers).
 * One database holds any number of repositories (`repos`); every history, analysis, PR and mark row
 * carries its `repo_id`. Content-addressed tables (blob_*, symbol_texts) are shared by all of them.
 *
 * Conventions: dates are integer epoch seconds; lists and evidence are JSON text;
 * line ranges are compact text ("3-7,12,20-21", see src/core/ranges.ts).
 * Migrations in migrations/ are generated from this file (`npm run db:generate`).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The repositories this database tracks, by a stable name (the origin remote's owner/name, else the
 * directory name; `grasp ingest --name` overrides it). Repository 1 of a database written before
 * this table existed is filled from meta `repo.root` by migration 0001.
 */
export const repos = sqliteTable('repos', {
  id: integer('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Work tree root (or git dir of a bare repository) it was last ingested from. */
  path: text('path').notNull(),
  /** HEAD when it was last ingested; null for an empty repository. */
  head: text('head'),
  createdAt: integer('created_at').notNull().default(sql`(unixepoch())`),
});

/**
 * Key/value facts: team-wide ones by plain key (`marks.headsUpTo`, `push.*`), a repository's own as
 * `repo.<id>.<key>` (`ingest.frontier`, `analysis.head`, `github.repo`, ...; src/db/repo/repos.ts).
 */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const commits = sqliteTable(
  'commits',
  {
    repoId: integer('repo_id').notNull(),
    sha: text('sha').notNull(),
    /** Topological position, parents before children; the ingest order. */
    seq: integer('seq').notNull(),
    parents: text('parents').notNull(), // JSON string[]
    authorName: text('author_name').notNull(),
    authorEmail: text('author_email').notNull(),
    authorDate: integer('author_date').notNull(),
    committerName: text('committer_name').notNull(),
    committerEmail: text('committer_email').notNull(),
    committerDate: integer('committer_date').notNull(),
    subject: text('subject').notNull(),
    message: text('message').notNull(),
    prNumber: integer('pr_number'),
    branches: text('branches').notNull().default('[]'), // JSON string[]
    kind: text('kind', { enum: ['agent', 'human', 'bot'] }).notNull(),
    agent: text('agent'),
    confidence: real('confidence').notNull(),
    evidence: text('evidence').notNull().default('[]'), // JSON Evidence[]
    /** 0 = not analyzed yet, 1 = symbol analysis stored. */
    analyzed: integer('analyzed').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.repoId, t.sha] }),
    uniqueIndex('commits_seq').on(t.repoId, t.seq),
    index('commits_author_date').on(t.authorDate),
    index('commits_sha').on(t.sha),
  ],
);

export const fileChanges = sqliteTable(
  'file_changes',
  {
    repoId: integer('repo_id').notNull(),
    sha: text('sha').notNull(),
    idx: integer('idx').notNull(),
    path: text('path').notNull(),
    oldPath: text('old_path'),
    /** A M D R C T (git raw status letter). */
    status: text('status').notNull(),
    similarity: integer('similarity'),
    /** null = unknown (binary or missing blob). */
    added: integer('added'),
    deleted: integer('deleted'),
    binary: integer('binary', { mode: 'boolean' }).notNull().default(false),
    oldBlob: text('old_blob'),
    newBlob: text('new_blob'),
    /** Changed line ranges on the new side / old side (from -U0 hunks). */
    newRanges: text('new_ranges').notNull().default(''),
    oldRanges: text('old_ranges').notNull().default(''),
    /** true for a merge commit's diff against its first parent (not authored by the merge). */
    viaMerge: integer('via_merge', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.sha, t.idx] }), index('file_changes_path').on(t.repoId, t.path)],
);

/** Agent-written line ranges from git-ai notes (refs/notes/ai). */
export const aiLines = sqliteTable(
  'ai_lines',
  {
    repoId: integer('repo_id').notNull(),
    sha: text('sha').notNull(),
    path: text('path').notNull(),
    session: text('session').notNull(),
    agent: text('agent'),
    model: text('model'),
    ranges: text('ranges').notNull(),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.sha, t.path, t.session] })],
);

/** Problems met while ingesting or analyzing: reported, never fatal. */
export const warnings = sqliteTable(
  'warnings',
  {
    repoId: integer('repo_id').notNull(),
    sha: text('sha').notNull(),
    path: text('path').notNull().default(''),
    code: text('code').notNull(),
    message: text('message').notNull(),
    createdAt: integer('created_at').notNull().default(sql`(unixepoch())`),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.sha, t.path, t.code] })],
);

/**
 * Symbol analysis of one blob, content-addressed: every blob is parsed once (as the file type of the
 * first path it was seen at). Only content decides these statuses: ok | parse-error | too-large |
 * generated (markers, minified) | binary | missing. Path verdicts live in file_analyses.
 */
export const blobAnalyses = sqliteTable('blob_analyses', {
  blob: text('blob').primaryKey(),
  status: text('status').notNull(),
  reason: text('reason'),
  lineCount: integer('line_count').notNull().default(0),
  symbols: text('symbols').notNull().default('[]'), // JSON BlobSymbol[]
});

/**
 * Who introduced each line of a blob (forward blame), as JSON
 * {"shas": [sha, ...], "runs": [[count, shaIndex, agent 0|1], ...]}; sha '' = unknown (src/analysis/blame.ts).
 */
export const blobLines = sqliteTable('blob_lines', {
  blob: text('blob').primaryKey(),
  runs: text('runs').notNull(),
});

/**
 * How each changed file of each commit was analyzed: status as in blob_analyses plus the path
 * verdicts ignored (globs, linguist-vendored) | generated (linguist-generated) | unsupported (other
 * languages), with the reason; and the commit's added lines of the file split agent / non-agent
 * (for a merge's first-parent diff, only lines not found in the merged parent: what the merge wrote).
 */
export const fileAnalyses = sqliteTable(
  'file_analyses',
  {
    repoId: integer('repo_id').notNull(),
    sha: text('sha').notNull(),
    path: text('path').notNull(),
    /** The new blob, or the old one for a deletion. */
    blob: text('blob'),
    status: text('status').notNull(),
    reason: text('reason'),
    agentLines: integer('agent_lines').notNull().default(0),
    humanLines: integer('human_lines').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.sha, t.path] }), index('file_analyses_path').on(t.repoId, t.path)],
);

/** Text of a symbol version, by its normalized content hash (for "what changed since"). */
export const symbolTexts = sqliteTable('symbol_texts', {
  hash: text('hash').primaryKey(),
  text: text('text').notNull(),
});

/**
 * Text of small non-script blobs that reports need without git: package.json versions, so the
 * checklist can flag dependency changes (filled at ingest by src/ingest/manifests.ts).
 */
export const blobTexts = sqliteTable('blob_texts', {
  blob: text('blob').primaryKey(),
  text: text('text').notNull(),
});

/** What each commit did to each symbol. Deleted symbols keep their old file/name. */
export const symbolChanges = sqliteTable(
  'symbol_changes',
  {
    repoId: integer('repo_id').notNull(),
    sha: text('sha').notNull(),
    file: text('file').notNull(),
    name: text('name').notNull(),
    symbolId: integer('symbol_id').notNull(),
    kind: text('kind').notNull(),
    change: text('change', { enum: ['added', 'modified', 'deleted', 'moved'] }).notNull(),
    oldFile: text('old_file'),
    oldName: text('old_name'),
    hash: text('hash'),
    oldHash: text('old_hash'),
    startLine: integer('start_line').notNull(),
    endLine: integer('end_line').notNull(),
    exported: integer('exported', { mode: 'boolean' }).notNull().default(false),
    complexity: integer('complexity').notNull().default(1),
    oldComplexity: integer('old_complexity'),
    agentLines: integer('agent_lines').notNull().default(0),
    humanLines: integer('human_lines').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.repoId, t.sha, t.file, t.name] }),
    index('symbol_changes_symbol').on(t.symbolId),
    index('symbol_changes_hash').on(t.hash),
  ],
);

/**
 * Symbol identities and their state at the analyzed head. `alive` = present at head.
 * A file rename or a same-hash move keeps the id.
 */
export const symbols = sqliteTable(
  'symbols',
  {
    id: integer('id').primaryKey(),
    repoId: integer('repo_id').notNull(),
    file: text('file').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    alive: integer('alive', { mode: 'boolean' }).notNull().default(true),
    hash: text('hash').notNull(),
    startLine: integer('start_line').notNull(),
    endLine: integer('end_line').notNull(),
    exported: integer('exported', { mode: 'boolean' }).notNull().default(false),
    complexity: integer('complexity').notNull().default(1),
    /** Lines of the current version by origin (innermost symbol only). */
    agentLines: integer('agent_lines').notNull().default(0),
    humanLines: integer('human_lines').notNull().default(0),
    /** JSON string[] of author emails of the current version's lines. */
    authors: text('authors').notNull().default('[]'),
    lastSha: text('last_sha'),
    changeCount: integer('change_count').notNull().default(0),
  },
  // Not unique: a dead identity may share file + name with a live one that moved in later.
  (t) => [index('symbols_file_name').on(t.repoId, t.file, t.name, t.alive), index('symbols_hash').on(t.repoId, t.hash)],
);

export const engineers = sqliteTable('engineers', {
  id: integer('id').primaryKey(),
  handle: text('handle').notNull().unique(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull().default(sql`(unixepoch())`),
});

/** Git emails and GitHub logins that resolve to an engineer. */
export const engineerAliases = sqliteTable(
  'engineer_aliases',
  {
    kind: text('kind', { enum: ['email', 'login'] }).notNull(),
    value: text('value').notNull(), // lower-cased
    engineerId: integer('engineer_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] }), index('engineer_aliases_engineer').on(t.engineerId)],
);

/** API tokens, stored only as SHA-256 hashes. engineerId null = admin token. */
export const tokens = sqliteTable('tokens', {
  id: integer('id').primaryKey(),
  hash: text('hash').notNull().unique(),
  engineerId: integer('engineer_id'),
  admin: integer('admin', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull().default(sql`(unixepoch())`),
  expiresAt: integer('expires_at'),
  revokedAt: integer('revoked_at'),
});

/**
 * Web sessions (the browser's cookie), kept apart from API tokens: stored only as SHA-256 hashes,
 * listed and revoked per engineer, expiring on their own.
 */
export const webSessions = sqliteTable(
  'web_sessions',
  {
    id: integer('id').primaryKey(),
    hash: text('hash').notNull().unique(),
    engineerId: integer('engineer_id').notNull(),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    /** The API token the session was opened with: revoking or expiring it ends the session (added in 0005; null = refused). */
    tokenId: integer('token_id'),
  },
  (t) => [index('web_sessions_engineer').on(t.engineerId), index('web_sessions_token').on(t.tokenId)],
);

/** Append-only history of understanding marks; the current state is derived. */
export const marks = sqliteTable(
  'marks',
  {
    id: integer('id').primaryKey(),
    engineerId: integer('engineer_id').notNull(),
    /** A mark covers its repository's code only: the same content in another repository is not understood. */
    repoId: integer('repo_id').notNull(),
    symbolId: integer('symbol_id'),
    file: text('file').notNull(),
    name: text('name').notNull(), // '' for a file-granularity mark
    hash: text('hash').notNull(),
    level: text('level', { enum: ['viewed', 'reviewed', 'explained'] }).notNull(),
    note: text('note'),
    source: text('source', { enum: ['cli', 'web', 'api', 'github'] }).notNull(),
    target: text('target').notNull(),
    /** Idempotency key for automated sources (a GitHub review id, a client request id). */
    origin: text('origin'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('marks_hash').on(t.repoId, t.hash, t.engineerId, t.createdAt, t.level),
    index('marks_symbol').on(t.symbolId, t.engineerId),
    index('marks_file').on(t.repoId, t.file, t.name, t.engineerId),
    // Also serves lookups by engineer (its prefix): one index fewer per write.
    uniqueIndex('marks_origin').on(t.engineerId, t.repoId, t.hash, t.origin),
  ],
);

/**
 * Derived, rebuildable index of the latest mark per engineer and key, so current-state reads do
 * not scan the whole history. Never the source of truth: src/db/repo/marks.ts folds mark rows
 * newer than meta `marks.headsUpTo` in before reading. key: '<repoId>:h:<hash>' | 's:<symbolId>' |
 * '<repoId>:n:<file>\0<name>' (symbol ids are unique across repositories).
 */
export const markHeads = sqliteTable(
  'mark_heads',
  {
    key: text('key').notNull(),
    engineerId: integer('engineer_id').notNull(),
    markId: integer('mark_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.engineerId] }), index('mark_heads_engineer').on(t.engineerId)],
);

export const pullRequests = sqliteTable(
  'pull_requests',
  {
  repoId: integer('repo_id').notNull(),
  number: integer('number').notNull(),
  title: text('title').notNull(),
  authorLogin: text('author_login'),
  state: text('state').notNull(),
  headRef: text('head_ref'),
  baseRef: text('base_ref'),
  headSha: text('head_sha'),
  baseSha: text('base_sha'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  mergedAt: integer('merged_at'),
  /** The merge (or squash) commit on the base branch: stands for the PR when its own commits aren't ingested. */
  mergeSha: text('merge_sha'),
  /** Latest push to the head branch we know of (commit push/commit dates, force pushes, webhooks). */
  lastPushAt: integer('last_push_at'),
  additions: integer('additions').notNull().default(0),
  deletions: integer('deletions').notNull().default(0),
  commentId: text('comment_id'), // our persistent checklist comment
  /** The `grasp / understanding` check run we created, and the head it was created for. */
  checkRunId: text('check_run_id'),
  checkRunHeadSha: text('check_run_head_sha'),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.number] })],
);

export const prCommits = sqliteTable(
  'pr_commits',
  {
    repoId: integer('repo_id').notNull(),
    number: integer('number').notNull(),
    sha: text('sha').notNull(),
    /** GitHub's authors of the commit, git author first, then Co-authored-by: JSON [{name,email,login}]. */
    coAuthors: text('co_authors').notNull().default('[]'),
    /** When the commit reached GitHub (pushedDate when GitHub still reports it, else the commit date). */
    pushedAt: integer('pushed_at'),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.number, t.sha] }), index('pr_commits_sha').on(t.repoId, t.sha)],
);

export const prFiles = sqliteTable(
  'pr_files',
  {
    repoId: integer('repo_id').notNull(),
    number: integer('number').notNull(),
    path: text('path').notNull(),
    viewerViewedState: text('viewer_viewed_state'),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.number, t.path] })],
);

export const prReviewRequests = sqliteTable(
  'pr_review_requests',
  {
    repoId: integer('repo_id').notNull(),
    number: integer('number').notNull(),
    login: text('login').notNull(),
  },
  (t) => [primaryKey({ columns: [t.repoId, t.number, t.login] })],
);

export const reviews = sqliteTable(
  'reviews',
  {
    /** GitHub database id as text (GraphQL fullDatabaseId = webhook review.id), the same from both sources. */
    id: text('id').primaryKey(),
    repoId: integer('repo_id').notNull(),
    number: integer('number').notNull(),
    authorLogin: text('author_login'),
    /** APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING */
    state: text('state').notNull(),
    submittedAt: integer('submitted_at'),
    body: text('body').notNull().default(''),
    commitSha: text('commit_sha'),
    rubberStamp: integer('rubber_stamp', { mode: 'boolean' }).notNull().default(false),
    rubberStampReason: text('rubber_stamp_reason'),
  },
  (t) => [index('reviews_number').on(t.repoId, t.number)],
);

export const reviewComments = sqliteTable(
  'review_comments',
  {
    /** GitHub database id as text, like reviews.id. */
    id: text('id').primaryKey(),
    reviewId: text('review_id').notNull(),
    repoId: integer('repo_id').notNull(),
    number: integer('number').notNull(),
    authorLogin: text('author_login'),
    path: text('path').notNull(),
    /** Lines in `commitSha`'s version of the file (null when the comment is outdated or on the whole file). */
    startLine: integer('start_line'),
    line: integer('line'),
    commitSha: text('commit_sha'),
    /** Lines in `originalCommitSha`'s version: where the comment was first written. */
    originalStartLine: integer('original_start_line'),
    originalLine: integer('original_line'),
    originalCommitSha: text('original_commit_sha'),
    body: text('body').notNull().default(''),
    createdAt: integer('created_at'),
  },
  (t) => [index('review_comments_review').on(t.reviewId), index('review_comments_number').on(t.repoId, t.number)],
);

/** Processed GitHub webhook deliveries (idempotency by X-GitHub-Delivery). */
export const webhookDeliveries = sqliteTable('webhook_deliveries', {
  id: text('id').primaryKey(),
  event: text('event').notNull(),
  receivedAt: integer('received_at').notNull(),
});

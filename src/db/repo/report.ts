/**
 * Queries behind the debt report, hotspots and islands: a handful of set-based reads (never one
 * query per symbol), shaped for the pure model in src/core (debt, hotspots, islands, relevance).
 *
 * Team-wide by default: every repository's symbols. Given a RepoStore (forRepo), only that
 * repository's. A mark covers a symbol only in its own repository (same hash, same repo_id).
 */
import { and, eq, gte, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { DebtSymbol, SymbolMarkState } from '../../core/debt.ts';
import type { ChangeBucket, HotspotSymbolInput } from '../../core/hotspots.ts';
import type { MarkLevel, MarkRecord } from '../../core/marks.ts';
import { commits, engineerAliases, engineers, marks, symbolChanges, symbols, symbolTexts } from '../schema.ts';
import { chunk, isRepoStore, type Store } from '../store.ts';

const inChunks = (store: Store) => Math.max(1, store.maxParams - 8);

/** The repository a RepoStore narrows to; undefined = every repository. */
export const narrowedRepo = (store: Store): number | undefined => (isRepoStore(store) ? store.repoId : undefined);
const inRepoOf = (store: Store): SQL => {
  const id = narrowedRepo(store);
  return id === undefined ? sql`` : sql` and ${symbols.repoId} = ${id}`;
};

/** A symbol alive at head, with what the model and the report show. */
export interface SymbolFacts extends DebtSymbol {
  kind: string;
  startLine: number;
  endLine: number;
  lastSha: string | null;
}

/** Symbols whose file is `scope` or lies under the directory `scope` (a normalized relative path). */
function inScope(scope: string | undefined): SQL {
  if (!scope) return sql`1`;
  const prefix = `${scope}/`;
  return sql`(${symbols.file} = ${scope} or substr(${symbols.file}, 1, ${prefix.length}) = ${prefix})`;
}

function parseAuthors(text: string): string[] {
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase()) : [];
  } catch {
    return []; // a malformed list only loses authorship credit
  }
}

export interface AliveSymbolFilter {
  scope?: string;
  /** Only symbols with agent-written lines (the only ones that carry debt or count towards coverage). */
  agentOnly?: boolean;
}

/** Where a symbol is and what last changed it: read separately for the few symbols a report shows. */
export interface SymbolDetails {
  kind: string;
  startLine: number;
  endLine: number;
  lastSha: string | null;
}

function aliveWhere(filter: AliveSymbolFilter): SQL {
  return sql`${symbols.alive} = 1 and ${inScope(filter.scope)}${filter.agentOnly ? sql` and ${symbols.agentLines} > 0` : sql``}`;
}

const modelColumns = sql`${symbols.id} as id, ${symbols.repoId} as repoId, ${symbols.file} as file, ${symbols.name} as name, ${symbols.hash} as hash,
  ${symbols.complexity} as complexity, ${symbols.agentLines} as agentLines, ${symbols.humanLines} as humanLines, ${symbols.authors} as authors`;
const detailColumns = sql`${symbols.kind} as kind, ${symbols.startLine} as startLine, ${symbols.endLine} as endLine, ${symbols.lastSha} as lastSha`;

/** Turns the raw row into a DebtSymbol in place (no copy: these rows are the report's bulk). */
function withParsedAuthors<T extends { authors: string }>(row: T): Omit<T, 'authors'> & { authors: string[] } {
  const out = row as unknown as Omit<T, 'authors'> & { authors: string[] };
  out.authors = parseAuthors(row.authors);
  return out;
}

/**
 * Engineers whose latest mark on the symbol's current hash is reviewed or explained, as a
 * comma-separated list: the latest mark per engineer is picked inside SQLite (max() takes its bare
 * columns from the maximal row; the id breaks ties within a second), so one value per symbol
 * travels instead of one row per mark.
 */
const understoodByColumn = sql`(
  select group_concat(latest.eid) from (
    select ${marks.engineerId} as eid, ${marks.level} as lvl, max(${marks.createdAt} * 4294967296 + ${marks.id})
    from ${marks} where ${marks.repoId} = ${symbols.repoId} and ${marks.hash} = ${symbols.hash} group by ${marks.engineerId}
  ) as latest where latest.lvl <> 'viewed'
)`;

const parseIds = (list: string | null): number[] => (list ? list.split(',').map(Number) : []);

/**
 * 1 when some engineer (other than `except`) understands the symbol's current version by a fresh
 * mark: a reviewed / explained mark on its hash that is that engineer's latest on the hash. Cheaper
 * than listing who (stops at the first), for the thousands of symbols that only need a yes or no.
 */
function understoodColumn(except?: number): SQL {
  const m = sql.raw('m');
  const m2 = sql.raw('m2');
  const col = (alias: SQL, c: { name: string }) => sql`${alias}.${sql.identifier(c.name)}`;
  return sql`exists (
    select 1 from ${marks} as ${m}
    where ${col(m, marks.repoId)} = ${symbols.repoId} and ${col(m, marks.hash)} = ${symbols.hash} and ${col(m, marks.level)} <> 'viewed'
      ${except === undefined ? sql`` : sql`and ${col(m, marks.engineerId)} <> ${except}`}
      and not exists (
        select 1 from ${marks} as ${m2}
        where ${col(m2, marks.engineerId)} = ${col(m, marks.engineerId)} and ${col(m2, marks.repoId)} = ${col(m, marks.repoId)} and ${col(m2, marks.hash)} = ${col(m, marks.hash)}
          and (${col(m2, marks.createdAt)} > ${col(m, marks.createdAt)} or (${col(m2, marks.createdAt)} = ${col(m, marks.createdAt)} and ${col(m2, marks.id)} > ${col(m, marks.id)}))
      )
  )`;
}

/** One engineer's standing on the agent-written symbols, as read alongside them (see loadAgentSymbolsFor). */
export interface EngineerStanding {
  /** Symbols some other engineer understands by a fresh mark. */
  understoodByOthers: Set<number>;
  /** The engineer's latest mark level on the symbol's current hash (a fresh mark). */
  freshLevels: Map<number, MarkLevel>;
  /** Symbols with no mark of the engineer on the current hash but one on its identity (symbol id, or file + name): a stale mark. */
  staleSymbols: DebtSymbol[];
}

/**
 * Alive agent-written symbols (in scope) with `engineerId`'s standing on each: whether someone else
 * understands it (an index-only seek per symbol on marks_hash, in SQL), the engineer's fresh mark
 * level, and whether an older mark of theirs exists on the same identity. The last two come from
 * one read of the engineer's own marks (a few thousand rows) matched in memory: cheaper than two
 * more correlated seeks per symbol over a team's hundred thousand symbols. The widest read of
 * every report: raw rows, without the columns only shown items need (loadSymbolDetails).
 */
export async function loadAgentSymbolsFor(store: Store, scope: string | undefined, engineerId: number): Promise<{ symbols: DebtSymbol[] } & EngineerStanding> {
  // Positional rows (`values`): thousands of them, and named rows cost twice as much to build.
  type Row = [id: number, repoId: number, file: string, name: string, hash: string, complexity: number, agentLines: number, humanLines: number, authors: string, understood: number];
  type OwnRow = [repoId: number, symbolId: number | null, file: string, name: string, hash: string, level: MarkLevel, createdAt: number, id: number];
  const [rows, own] = await Promise.all([
    store.db.values<Row>(sql`
      select ${symbols.id}, ${symbols.repoId}, ${symbols.file}, ${symbols.name}, ${symbols.hash}, ${symbols.complexity}, ${symbols.agentLines}, ${symbols.humanLines}, ${symbols.authors},
        ${understoodColumn(engineerId)}
      from ${symbols} where ${aliveWhere({ scope, agentOnly: true })}${inRepoOf(store)}`),
    store.db.values<OwnRow>(
      sql`select ${marks.repoId}, ${marks.symbolId}, ${marks.file}, ${marks.name}, ${marks.hash}, ${marks.level}, ${marks.createdAt}, ${marks.id} from ${marks} where ${marks.engineerId} = ${engineerId}`,
    ),
  ]);
  // The engineer's latest mark per version (repository + hash), and every identity they marked.
  const latest = new Map<string, { level: MarkLevel; at: number; id: number }>();
  const markedIds = new Set<number>();
  const markedNames = new Set<string>();
  for (const [repoId, symbolId, file, name, hash, level, at, id] of own) {
    const key = versionKey(repoId, hash);
    const prev = latest.get(key);
    if (!prev || at > prev.at || (at === prev.at && id > prev.id)) latest.set(key, { level, at, id });
    if (symbolId !== null) markedIds.add(symbolId);
    markedNames.add(`${repoId}\u0000${file}\u0000${name}`);
  }
  const standing: EngineerStanding = { understoodByOthers: new Set(), freshLevels: new Map(), staleSymbols: [] };
  const out: DebtSymbol[] = [];
  for (const [id, repoId, file, name, hash, complexity, agentLines, humanLines, authors, understood] of rows) {
    const s: DebtSymbol = { id, repoId, file, name, hash, complexity, agentLines, humanLines, authors: parseAuthors(authors) };
    out.push(s);
    if (understood) standing.understoodByOthers.add(id);
    const mine = own.length === 0 ? undefined : latest.get(versionKey(repoId, hash));
    if (mine) standing.freshLevels.set(id, mine.level);
    else if (markedIds.has(id) || markedNames.has(`${repoId}\u0000${file}\u0000${name}`)) standing.staleSymbols.push(s);
  }
  return { symbols: out, ...standing };
}

/** The columns of a MarkRecord, named as its fields. */
const markRecordColumns = sql`${marks.id} as id, ${marks.engineerId} as engineerId, ${marks.repoId} as repoId, ${marks.symbolId} as symbolId, ${marks.file} as file,
  ${marks.name} as name, ${marks.hash} as hash, ${marks.level} as level, ${marks.createdAt} as createdAt`;

/** The engineer's mark rows on the given symbols' identities (by symbol id, or file + name): input for deriveMarkStates. */
export async function loadIdentityMarkRecords(store: Store, engineerId: number, symbolsOf: readonly Pick<DebtSymbol, 'id' | 'repoId' | 'file' | 'name'>[]): Promise<MarkRecord[]> {
  const out: MarkRecord[] = [];
  // Two reads, so that each keeps its index (an OR of the two falls back to all the engineer's rows).
  for (const part of chunk([...symbolsOf], inChunks(store))) {
    out.push(...(await store.db.all<MarkRecord>(sql`select ${markRecordColumns} from ${marks} where ${inArray(marks.symbolId, part.map((s) => s.id))} and ${marks.engineerId} = ${engineerId}`)));
  }
  for (const part of chunk([...symbolsOf], Math.max(1, Math.floor(inChunks(store) / 2)))) {
    const triples = sql.join(part.map((s) => sql`(${s.repoId}, ${s.file}, ${s.name})`), sql`, `);
    out.push(...(await store.db.all<MarkRecord>(sql`select ${markRecordColumns} from ${marks} where (${marks.repoId}, ${marks.file}, ${marks.name}) in (values ${triples}) and ${marks.engineerId} = ${engineerId}`)));
  }
  return [...new Map(out.map((m) => [m.id, m])).values()];
}

/** Alive symbols with everything the model weighs and the report shows. */
export async function loadAliveSymbols(store: Store, filter: AliveSymbolFilter = {}): Promise<SymbolFacts[]> {
  const rows = await store.db.all<Omit<SymbolFacts, 'authors'> & { authors: string }>(sql`select ${modelColumns}, ${detailColumns} from ${symbols} where ${aliveWhere(filter)}${inRepoOf(store)}`);
  return rows.map(withParsedAuthors);
}

/**
 * Alive symbols shaped as hotspot inputs, with whether someone understands each agent-written one
 * (no authors, no hash; kind and lines left blank for loadSymbolDetails to fill in on the few shown).
 */
export async function loadHotspotSymbols(store: Store, scope?: string): Promise<Omit<HotspotSymbolInput, 'changes'>[]> {
  const rows = await store.db.all<Omit<HotspotSymbolInput, 'changes' | 'understood'> & { understood: number }>(sql`
    select ${symbols.id} as id, ${symbols.repoId} as repoId, ${symbols.file} as file, ${symbols.name} as name, '' as kind, 0 as startLine, 0 as endLine,
      ${symbols.complexity} as complexity, ${symbols.agentLines} as agentLines, ${symbols.humanLines} as humanLines,
      ${symbols.agentLines} > 0 and ${understoodColumn()} as understood
    from ${symbols} where ${aliveWhere({ scope })}${inRepoOf(store)}`);
  for (const r of rows) (r as unknown as HotspotSymbolInput).understood = r.understood === 1;
  return rows as unknown as Omit<HotspotSymbolInput, 'changes'>[];
}

export async function loadSymbolDetails(store: Store, ids: Iterable<number>): Promise<Map<number, SymbolDetails>> {
  const out = new Map<number, SymbolDetails>();
  for (const part of chunk([...new Set(ids)], inChunks(store))) {
    const rows = await store.db.all<SymbolDetails & { id: number }>(sql`select ${symbols.id} as id, ${detailColumns} from ${symbols} where ${inArray(symbols.id, part)}`);
    for (const { id, ...d } of rows) out.set(id, d);
  }
  return out;
}

/** Who understands each alive agent-written symbol (in scope) by a fresh mark (see understoodByColumn). */
export async function loadUnderstoodBy(store: Store, scope?: string): Promise<Map<number, number[]>> {
  const rows = await store.db.all<{ id: number; engineers: string | null }>(
    sql`select ${symbols.id} as id, ${understoodByColumn} as engineers from ${symbols} where ${aliveWhere({ scope, agentOnly: true })}${inRepoOf(store)}`,
  );
  const out = new Map<number, number[]>();
  for (const r of rows) if (r.engineers) out.set(r.id, parseIds(r.engineers));
  return out;
}

/**
 * The same fresh understanding as states for deriveUnderstanding (level 'reviewed' stands for
 * reviewed or explained); only agent-written symbols in scope, the only ones debt and coverage weigh.
 */
export async function loadFreshMarkStates(store: Store, current: readonly Pick<SymbolFacts, 'id'>[], scope?: string): Promise<SymbolMarkState[]> {
  const wanted = new Set(current.map((s) => s.id));
  const out: SymbolMarkState[] = [];
  for (const [symbolId, ids] of await loadUnderstoodBy(store, scope)) {
    if (wanted.has(symbolId)) for (const engineerId of ids) out.push({ engineerId, symbolId, level: 'reviewed', stale: false });
  }
  return out;
}

/** Alive symbols by id, name and hash only (the engineer's recently changed symbols, for references). */
export async function loadSymbolNames(store: Store, ids: Iterable<number>): Promise<{ id: number; name: string; hash: string }[]> {
  const out: { id: number; name: string; hash: string }[] = [];
  for (const part of chunk([...new Set(ids)], inChunks(store))) {
    out.push(
      ...(await store.db.all<{ id: number; name: string; hash: string }>(
        sql`select ${symbols.id} as id, ${symbols.name} as name, ${symbols.hash} as hash from ${symbols} where ${symbols.alive} = 1 and ${inArray(symbols.id, part)}`,
      )),
    );
  }
  return out;
}

/** Key of a symbol version in one repository (content hashes repeat across repositories). */
export const versionKey = (repoId: number, hash: string): string => `${repoId}\u0000${hash}`;

/** Each engineer's latest mark level on each of the given versions (for the few items shown), keyed by versionKey. */
export async function loadLatestLevels(store: Store, versions: readonly { repoId: number; hash: string }[]): Promise<Map<string, { engineerId: number; level: MarkLevel }[]>> {
  const out = new Map<string, { engineerId: number; level: MarkLevel }[]>();
  const byRepo = new Map<number, Set<string>>();
  for (const v of versions) (byRepo.get(v.repoId) ?? byRepo.set(v.repoId, new Set()).get(v.repoId)!).add(v.hash);
  for (const [repoId, hashes] of byRepo) {
    for (const part of chunk([...hashes], inChunks(store))) {
      const latest = store.db
        .select({
          engineerId: marks.engineerId,
          hash: marks.hash,
          level: marks.level,
          rn: sql<number>`row_number() over (partition by ${marks.engineerId}, ${marks.hash} order by ${marks.createdAt} desc, ${marks.id} desc)`.as('rn'),
        })
        .from(marks)
        .where(and(eq(marks.repoId, repoId), inArray(marks.hash, part)))
        .as('latest');
      const rows = await store.db.select({ engineerId: latest.engineerId, hash: latest.hash, level: latest.level }).from(latest).where(eq(latest.rn, 1));
      for (const r of rows) {
        const key = versionKey(repoId, r.hash);
        out.set(key, [...(out.get(key) ?? []), { engineerId: r.engineerId, level: r.level }]);
      }
    }
  }
  return out;
}

/**
 * Mark rows for deriveMarkStates (raw rows): every row of everyone; given a RepoStore, the rows of
 * that repository only (on the marks_hash prefix). That loses nothing: a mark carries the
 * repository of the symbol it was written on (recordMarks takes both from one RepoStore), and a
 * mark covers its own repository's code only.
 */
export async function loadMarkRecords(store: Store): Promise<MarkRecord[]> {
  const repo = narrowedRepo(store);
  return store.db.all<MarkRecord>(sql`select ${markRecordColumns} from ${marks}${repo === undefined ? sql`` : sql` where ${marks.repoId} = ${repo}`}`);
}

export interface EngineerDirectory {
  byId: Map<number, { id: number; handle: string; name: string }>;
  /** Lower-cased email alias -> engineer id. */
  emailOwner: Map<string, number>;
  emailsOf: (id: number) => string[];
  loginsOf: (id: number) => string[];
}

export async function loadEngineerDirectory(store: Store): Promise<EngineerDirectory> {
  const [people, aliases] = await Promise.all([
    store.db.select({ id: engineers.id, handle: engineers.handle, name: engineers.name }).from(engineers),
    store.db.select().from(engineerAliases),
  ]);
  const emailOwner = new Map<string, number>();
  const emails = new Map<number, string[]>();
  const logins = new Map<number, string[]>();
  for (const a of aliases) {
    const value = a.value.toLowerCase();
    const list = a.kind === 'email' ? emails : logins;
    list.set(a.engineerId, [...(list.get(a.engineerId) ?? []), value]);
    if (a.kind === 'email') emailOwner.set(value, a.engineerId);
  }
  return {
    byId: new Map(people.map((p) => [p.id, p])),
    emailOwner,
    emailsOf: (id) => emails.get(id) ?? [],
    loginsOf: (id) => logins.get(id) ?? [],
  };
}

/**
 * Changes per living symbol since `since` (epoch s): one entry per change, at its commit's author
 * date (deletions are not changes of a living symbol). Raw rows: the hotspot read of the whole window.
 * Given `symbolIds`, only those symbols; else every symbol alive with agent-written lines (in
 * `scope`), the only ones a hotspot score can come from.
 */
export async function loadChangeBuckets(store: Store, since: number, symbolIds?: readonly number[], scope?: string): Promise<Map<number, ChangeBucket[]>> {
  const query = (where: SQL) =>
    store.db.all<{ id: number; at: number }>(sql`
      select ${symbolChanges.symbolId} as id, ${commits.authorDate} as at
      from ${commits} join ${symbolChanges} on ${symbolChanges.repoId} = ${commits.repoId} and ${symbolChanges.sha} = ${commits.sha}
      where ${commits.authorDate} >= ${since} and ${symbolChanges.change} <> 'deleted' and ${where}`);
  const rows =
    symbolIds === undefined
      ? await query(sql`${symbolChanges.symbolId} in (select ${symbols.id} from ${symbols} where ${aliveWhere({ scope, agentOnly: true })}${inRepoOf(store)})`)
      : (await Promise.all(chunk([...new Set(symbolIds)], inChunks(store)).map((part) => query(inArray(symbolChanges.symbolId, part))))).flat();
  const out = new Map<number, ChangeBucket[]>();
  for (const r of rows) {
    const list = out.get(r.id);
    if (list) list.push({ at: r.at, count: 1 });
    else out.set(r.id, [{ at: r.at, count: 1 }]);
  }
  return out;
}

export async function loadTexts(store: Store, hashes: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk([...new Set(hashes)], inChunks(store))) {
    const rows = await store.db.all<{ hash: string; text: string }>(
      sql`select ${symbolTexts.hash} as hash, ${symbolTexts.text} as text from ${symbolTexts} where ${inArray(symbolTexts.hash, part)}`,
    );
    for (const t of rows) out.set(t.hash, t.text);
  }
  return out;
}


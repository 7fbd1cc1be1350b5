/**
 * The checklist facts of every piece of work in one repository's queue, loaded at once: one query
 * per kind of row for the union of all their commits (instead of ~15 per PR), then each PR's
 * checklist reads its share from memory through the same ChecklistData interface the database
 * serves (src/checklist/data.ts). Each answer is what the per-PR query returns: the rows of the
 * asked keys, in the order SQLite returns them for one commit list (primary-key order).
 */
import type { ChecklistData } from '../checklist/data.ts';
import { isManifestPath } from '../core/path-category.ts';
import { parseFragment, type Fragment } from '../checklist/source.ts';
import {
  engineersByEmail,
  handlesOf,
  humanEditsOf,
  loadBlobAnalyses,
  loadBlobTexts,
  loadCommits,
  loadMarksOfEngineer,
  loadMarksOnHashes,
  loadSymbolTexts,
  outsideEmails,
  priorAuthorsFrom,
  type FileAnalysisFact,
  type FileChangeWithSeq,
  type HumanEdit,
  type MarkRow,
  type RangeCommit,
  type SymbolChangeWithSeq,
} from '../db/repo/checklist.ts';
import { fileAnalysesOfCommits, fileChangesOfCommits, symbolChangesOfCommits } from '../db/repo/queue.ts';
import type { RepoStore } from '../db/store.ts';
import { groupBy } from '../core/group-by.ts';

type SymbolRow = Omit<SymbolChangeWithSeq, 'seq'>;
type FileRow = Omit<FileChangeWithSeq, 'seq'>;


/** The asked keys' entries of a map (a Map's readers only use get/has, so key order is moot). */
function pick<K, V>(from: ReadonlyMap<K, V>, keys: Iterable<K>): Map<K, V> {
  const out = new Map<K, V>();
  for (const k of keys) if (from.has(k)) out.set(k, from.get(k)!);
  return out;
}

/** Rows of the asked commits: distinct shas in ascending order (the index order), each commit's rows in stored order. */
function rowsOf<T>(bySha: ReadonlyMap<string, T[]>, shas: readonly string[]): T[] {
  return [...new Set(shas)].sort().flatMap((sha) => bySha.get(sha) ?? []);
}

const present = (values: Iterable<string | null | undefined>): string[] => [...values].filter((v): v is string => !!v);

/**
 * Loads what the checklists of these ranges read (the union of their commits) and serves each
 * checklist from memory. `reviewerId`: the reader whose marks the checklists consult, if any.
 */
export async function loadQueueData(store: RepoStore, ranges: readonly (readonly string[])[], reviewerId: number | null): Promise<ChecklistData> {
  const allShas = [...new Set(ranges.flat())];
  const [commitRows, symbolRows, fileRows, verdictRows] = await Promise.all([
    loadCommits(store, allShas),
    symbolChangesOfCommits(store, allShas),
    fileChangesOfCommits(store, allShas),
    fileAnalysesOfCommits(store, allShas),
  ]);
  const commitBySha = new Map(commitRows.map((c) => [c.sha, c]));
  const symbolsBySha = groupBy<SymbolRow, string>(symbolRows, (r) => r.sha);
  const filesBySha = groupBy<FileRow, string>(fileRows, (r) => r.sha);
  const verdictsBySha = groupBy<FileAnalysisFact, string>(verdictRows, (r) => r.sha);

  // Every hash and blob a checklist or its gate can ask about is one of these rows' versions.
  const blobs = present(fileRows.flatMap((r) => [r.oldBlob, r.newBlob]));
  const versions = present(symbolRows.flatMap((r) => [r.hash, r.oldHash]));
  const reviewerMarks: MarkRow[] = reviewerId !== null ? await loadMarksOfEngineer(store, reviewerId) : [];
  const symbolIds = [...new Set(symbolRows.map((r) => r.symbolId))];
  const [analyses, texts, marksRows, edits, manifests] = await Promise.all([
    loadBlobAnalyses(store, blobs),
    loadSymbolTexts(store, [...versions, ...reviewerMarks.map((m) => m.hash)]),
    loadMarksOnHashes(store, [...versions, ...blobs]),
    humanEditsOf(store, symbolIds),
    loadBlobTexts(store, present(fileRows.filter((r) => isManifestPath(r.path)).flatMap((r) => [r.oldBlob, r.newBlob]))),
  ]);
  const engineerByEmail = await engineersByEmail(store, [...new Set(edits.map((e) => e.email.toLowerCase()))]);
  const handles = await handlesOf(store, [...new Set([...marksRows.map((m) => m.engineerId), ...engineerByEmail.values()])]);
  const marksByHash = groupBy<MarkRow, string>(marksRows, (m) => m.hash);
  // PRs on the same code share the texts they start from: each is parsed once. parseFragment
  // reads the file name only for its extension, so (extension, kind, text) decides the result.
  const fragments = new Map<string, Fragment>();
  const editsBySymbol = groupBy<HumanEdit, number>(edits, (e) => e.symbolId);

  return {
    async commits(shas) {
      return [...new Set(shas)].flatMap((sha): RangeCommit[] => (commitBySha.has(sha) ? [commitBySha.get(sha)!] : [])).sort((a, b) => a.seq - b.seq);
    },
    async symbolChanges(shas, seqOf) {
      return rowsOf(symbolsBySha, shas).map((r) => ({ ...r, seq: seqOf.get(r.sha) ?? 0 }));
    },
    async fileChanges(shas, seqOf) {
      return rowsOf(filesBySha, shas).map((r) => ({ ...r, seq: seqOf.get(r.sha) ?? 0 }));
    },
    async fileAnalyses(shas) {
      return rowsOf(verdictsBySha, shas);
    },
    async blobAnalyses(asked) {
      return pick(analyses, asked);
    },
    async marksOfEngineer(id) {
      return id === reviewerId ? [...reviewerMarks] : loadMarksOfEngineer(store, id);
    },
    async symbolTexts(hashes) {
      return pick(texts, hashes);
    },
    async marksOnHashes(hashes) {
      return [...new Set(hashes)].sort().flatMap((h) => marksByHash.get(h) ?? []);
    },
    async priorHumanAuthors(ids, rangeShas) {
      const asked = [...new Set(ids)].flatMap((id) => editsBySymbol.get(id) ?? []);
      return priorAuthorsFrom(outsideEmails(asked, rangeShas), engineerByEmail);
    },
    async blobTexts(asked) {
      return pick(manifests, asked);
    },
    async handles(ids) {
      return pick(handles, ids);
    },
    parse(text, file, kind) {
      const key = `${file.slice(file.lastIndexOf('.'))}\0${kind}\0${text}`;
      let f = fragments.get(key);
      if (!f) fragments.set(key, (f = parseFragment(text, file, kind)));
      return f;
    },
  };
}

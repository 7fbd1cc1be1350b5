/**
 * Everything the checklist reads about a range, as one interface. A single checklist reads it
 * straight from the database (checklistDataOf); the review queue, which needs the checklists of
 * every open PR of a repository at once, loads the same rows for all of them in a few set-based
 * queries and answers each PR from memory (src/desk/queue-data.ts). The checklist code is the
 * same either way, so both give the same checklist.
 */
import {
  handlesOf,
  loadBlobAnalyses,
  loadBlobTexts,
  loadCommits,
  loadFileAnalyses,
  loadFileChanges,
  loadMarksOfEngineer,
  loadMarksOnHashes,
  loadSymbolChanges,
  loadSymbolTexts,
  priorHumanAuthors,
  type FileAnalysisFact,
  type FileChangeWithSeq,
  type MarkRow,
  type RangeCommit,
  type StoredBlobAnalysis,
  type SymbolChangeWithSeq,
} from '../db/repo/checklist.ts';
import type { RepoStore } from '../db/store.ts';
import { parseFragment, type Fragment } from './source.ts';

export interface ChecklistData {
  /** The commits with these shas, oldest first. */
  commits(shas: readonly string[]): Promise<RangeCommit[]>;
  symbolChanges(shas: readonly string[], seqOf: ReadonlyMap<string, number>): Promise<SymbolChangeWithSeq[]>;
  fileChanges(shas: readonly string[], seqOf: ReadonlyMap<string, number>): Promise<FileChangeWithSeq[]>;
  fileAnalyses(shas: readonly string[]): Promise<FileAnalysisFact[]>;
  blobAnalyses(blobs: readonly string[]): Promise<Map<string, StoredBlobAnalysis>>;
  marksOfEngineer(engineerId: number): Promise<MarkRow[]>;
  symbolTexts(hashes: readonly string[]): Promise<Map<string, string>>;
  /** Every mark on any of these hashes, in this repository. */
  marksOnHashes(hashes: readonly string[]): Promise<MarkRow[]>;
  /** Engineers who wrote earlier versions of these symbols by hand, outside `rangeShas`. */
  priorHumanAuthors(symbolIds: readonly number[], rangeShas: ReadonlySet<string>): Promise<Map<number, Set<number>>>;
  blobTexts(blobs: readonly string[]): Promise<Map<string, string>>;
  handles(engineerIds: readonly number[]): Promise<Map<number, string>>;
  /** Parses a symbol's text (parseFragment, or a memo of it when many checklists share texts). */
  parse(text: string, file: string, kind: string): Fragment;
}

/** The checklist's reads, straight from the database. */
export function checklistDataOf(store: RepoStore): ChecklistData {
  return {
    commits: (shas) => loadCommits(store, shas),
    symbolChanges: (shas, seqOf) => loadSymbolChanges(store, shas, seqOf),
    fileChanges: (shas, seqOf) => loadFileChanges(store, shas, seqOf),
    fileAnalyses: (shas) => loadFileAnalyses(store, shas),
    blobAnalyses: (blobs) => loadBlobAnalyses(store, blobs),
    marksOfEngineer: (id) => loadMarksOfEngineer(store, id),
    symbolTexts: (hashes) => loadSymbolTexts(store, hashes),
    marksOnHashes: (hashes) => loadMarksOnHashes(store, hashes),
    priorHumanAuthors: (ids, rangeShas) => priorHumanAuthors(store, ids, rangeShas),
    blobTexts: (blobs) => loadBlobTexts(store, blobs),
    handles: (ids) => handlesOf(store, ids),
    parse: parseFragment,
  };
}

/**
 * Where authorship records live besides the commit message: notes refs (read once per ingest),
 * Agent Trace records committed to `.agent-trace/traces.jsonl`, Entire checkpoint metadata. The
 * per-batch readers cost one `git cat-file --batch` per batch, and only when the batch has such data.
 */
import { entireCheckpointAgent, parseEntireTrailers } from '../core/records/entire.ts';
import type { RecordNotesRef } from '../core/records/index.ts';
import type { Range } from '../core/ranges.ts';
import type { ParsedCommit } from '../git/log-parser.ts';
import { readBlobs } from '../git/notes.ts';
import { resolveRef } from '../git/repository.ts';

export const TREE_TRACES_PATH = '.agent-trace/traces.jsonl';
const ENTIRE_BRANCHES = ['refs/heads/entire/checkpoints/v1', 'refs/remotes/origin/entire/checkpoints/v1'];

/** ref → sha → text, turned into sha → ref → text. */
export function notesBySha(notes: Map<string, Map<string, string>>): Map<string, Partial<Record<RecordNotesRef, string>>> {
  const out = new Map<string, Partial<Record<RecordNotesRef, string>>>();
  for (const [ref, bySha] of notes) {
    for (const [sha, text] of bySha) out.set(sha, { ...(out.get(sha) ?? {}), [ref as RecordNotesRef]: text });
  }
  return out;
}

/** The lines each commit added to `.agent-trace/traces.jsonl` (its new trace records). */
export async function treeTracesFor(root: string, batch: readonly ParsedCommit[]): Promise<Map<string, string>> {
  const wanted: { sha: string; blob: string; ranges: Range[] }[] = [];
  for (const c of batch) {
    for (const f of c.files) if (f.path === TREE_TRACES_PATH && f.newBlob && f.newRanges.length) wanted.push({ sha: c.sha, blob: f.newBlob, ranges: f.newRanges });
  }
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  const blobs = await readBlobs(root, [...new Set(wanted.map((w) => w.blob))]);
  for (const w of wanted) {
    const lines = blobs.get(w.blob)?.toString('utf8').split('\n');
    if (!lines) continue;
    out.set(w.sha, w.ranges.flatMap(([s, e]) => lines.slice(s - 1, e)).join('\n'));
  }
  return out;
}

/** The Entire checkpoints branch, when fetched. */
export async function entireCheckpointsRef(root: string): Promise<string | null> {
  for (const ref of ENTIRE_BRANCHES) if (await resolveRef(root, ref)) return ref;
  return null;
}

/** Agent named by each commit's Entire checkpoint metadata (`<id[:2]>/<id[2:]>/metadata.json`). */
export async function entireAgentsFor(root: string, ref: string | null, batch: readonly ParsedCommit[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted: { sha: string; names: string[] }[] = [];
  for (const c of batch) {
    const id = c.message.includes('Entire-') ? parseEntireTrailers(c.message).checkpoint : null;
    if (!id) continue;
    const path = `${id.slice(0, 2)}/${id.slice(2)}/metadata.json`;
    // The git-refs backend keeps one ref per checkpoint with the same tree layout.
    const names = [...(ref ? [`${ref}:${path}`] : []), `refs/entire/checkpoints/${id.slice(0, 2)}/${id}:${path}`];
    wanted.push({ sha: c.sha, names });
  }
  if (wanted.length === 0) return out;
  const blobs = await readBlobs(root, wanted.flatMap((w) => w.names));
  for (const w of wanted) {
    for (const name of w.names) {
      const text = blobs.get(name);
      const agent = text ? entireCheckpointAgent(text.toString('utf8')) : null;
      if (agent) {
        out.set(w.sha, agent);
        break;
      }
    }
  }
  return out;
}


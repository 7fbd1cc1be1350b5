/** Reading git notes (git-ai stores line authorship under refs/notes/ai). */
import { runGit } from './run.ts';

export const AI_NOTES_REF = 'refs/notes/ai';

/** Tip of a notes ref, or null when it doesn't exist. */
export async function notesTip(root: string, ref = AI_NOTES_REF): Promise<string | null> {
  const r = await runGit(root, ['rev-parse', '--verify', '-q', ref]);
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** All notes of a ref as commit sha → note text. */
export async function readNotes(root: string, ref = AI_NOTES_REF): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  if (!(await notesTip(root, ref))) return notes;
  const list = await runGit(root, ['notes', `--ref=${ref}`, 'list']);
  if (list.code !== 0) return notes;
  const pairs = list.stdout
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((p): p is [string, string] => p.length === 2);
  const blobs = await readBlobs(root, pairs.map(([blob]) => blob));
  for (const [blob, commit] of pairs) {
    const content = blobs.get(blob);
    if (content) notes.set(commit, content.toString('utf8'));
  }
  return notes;
}

/** Reads many blobs with one `git cat-file --batch`; missing objects map to null. */
export async function readBlobs(root: string, oids: string[]): Promise<Map<string, Buffer | null>> {
  const result = new Map<string, Buffer | null>();
  if (oids.length === 0) return result;
  const r = await runGit(root, ['cat-file', '--batch'], oids.join('\n') + '\n');
  const out = r.stdout;
  let pos = 0;
  for (const oid of oids) {
    const nl = out.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = out.subarray(pos, nl).toString('latin1').split(' ');
    if (header[1] === 'missing' || header.length < 3) {
      result.set(oid, null);
      pos = nl + 1;
      continue;
    }
    const size = Number(header[2]);
    result.set(oid, out.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return result;
}

/** Which of these objects are absent (partial clone, dropped files). One `cat-file --batch-check`. */
export async function missingObjects(root: string, oids: string[]): Promise<Set<string>> {
  const missing = new Set<string>();
  if (oids.length === 0) return missing;
  const r = await runGit(root, ['cat-file', '--batch-check'], oids.join('\n') + '\n');
  for (const line of r.stdout.toString('latin1').split('\n')) {
    const [oid, type] = line.split(' ');
    if (oid && type === 'missing') missing.add(oid);
  }
  return missing;
}

/** Notes refs that exist, with their tips; one `for-each-ref`. */
export async function existingNotesRefs(root: string, refs: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const r = await runGit(root, ['for-each-ref', '--format=%(objectname) %(refname)', ...refs]);
  if (r.code !== 0) return out;
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const [sha, ref] = line.split(' ');
    if (sha && ref && refs.includes(ref)) out.set(ref, sha);
  }
  return out;
}

/** All notes of several refs (absent refs are skipped): ref → commit sha → text, and one tip string for change detection. */
export async function readNotesRefs(root: string, refs: readonly string[]): Promise<{ notes: Map<string, Map<string, string>>; tip: string | null }> {
  const tips = await existingNotesRefs(root, refs);
  const notes = new Map<string, Map<string, string>>();
  await Promise.all([...tips.keys()].map(async (ref) => notes.set(ref, await readNotes(root, ref))));
  const tip = tips.size ? [...tips].sort(([a], [b]) => a.localeCompare(b)).map(([ref, sha]) => `${ref}=${sha}`).join(' ') : null;
  return { notes, tip };
}

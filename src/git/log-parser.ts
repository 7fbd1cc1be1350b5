/**
 * Streaming parser for one `git log` pass that prints, per commit, a NUL-separated header,
 * then `--raw -z` entries, `--numstat -z` entries, and a `-p -U0` patch (only hunk headers
 * are kept: they give the changed line ranges on each side).
 *
 * The stream is parsed token by token, keeping state between chunks, so a huge patch costs
 * linear time and bounded memory. Record boundaries are unambiguous: header fields are
 * NUL-terminated (messages cannot contain NUL), raw/numstat entries are NUL-terminated, and
 * every patch line starts with a known prefix, so a line starting with RECORD_START is the
 * next commit.
 */
import { normalizeRanges, type Range } from '../core/ranges.ts';
import { decodePath, decodeText, unquoteCPath } from './paths.ts';

export const RECORD_START = 0x1e;
/** Fields, in order; keep in sync with HEADER_FIELDS. */
export const LOG_FORMAT = '%x1e%H%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%e%x00%B';
const HEADER_FIELDS = 10;

export interface ParsedFileChange {
  path: string;
  oldPath: string | null;
  status: string;
  similarity: number | null;
  oldMode: string;
  newMode: string;
  oldBlob: string | null;
  newBlob: string | null;
  /** null when unknown (binary file). */
  added: number | null;
  deleted: number | null;
  binary: boolean;
  newRanges: Range[];
  oldRanges: Range[];
}

export interface ParsedCommit {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorDate: number;
  committerName: string;
  committerEmail: string;
  committerDate: number;
  encoding: string;
  message: string;
  files: ParsedFileChange[];
}

interface PatchSection {
  headerPath: string | null;
  renameTo: string | null;
  plusPath: string | null;
  minusPath: string | null;
  sawHunk: boolean;
  newRanges: Range[];
  oldRanges: Range[];
}

type Phase = 'header' | 'afterHeader' | 'meta' | 'patch';
const ZERO_OID = /^0+$/;
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export class LogParseError extends Error {}

export class GitLogParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private phase: Phase = 'header';
  private fields: Buffer[] = [];
  private files: ParsedFileChange[] = [];
  private numstats: { path: string; added: number | null; deleted: number | null }[] = [];
  private sections: PatchSection[] = [];
  private section: PatchSection | null = null;

  constructor(private readonly emit: (commit: ParsedCommit) => void) {}

  /** Feeds a chunk of git's stdout. */
  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    this.drain(false);
  }

  /** Signals end of stream; emits the last commit. Throws LogParseError if the stream was cut mid-header. */
  end(): void {
    this.drain(true);
    if (this.phase === 'header' && this.fields.length > 0) {
      throw new LogParseError(`git log output ended inside a commit header (${this.fields.length} of ${HEADER_FIELDS} fields)`);
    }
    if (this.phase !== 'header') this.finishRecord();
    const rest = this.buf.subarray(this.pos);
    if (rest.some((b) => b !== 0x0a && b !== 0x00)) {
      throw new LogParseError(`unexpected trailing git log output: ${JSON.stringify(rest.subarray(0, 40).toString('latin1'))}`);
    }
    this.buf = Buffer.alloc(0);
    this.pos = 0;
  }

  private drain(final: boolean): void {
    for (;;) {
      if (!this.step(final)) return;
    }
  }

  /** Consumes one token; false when more input is needed. */
  private step(final: boolean): boolean {
    const b = this.buf;
    if (this.pos >= b.length) return false;
    switch (this.phase) {
      case 'header': {
        if (this.fields.length === 0) {
          if (b[this.pos] === 0x0a || b[this.pos] === 0x00) {
            this.pos++;
            return true;
          }
          if (b[this.pos] !== RECORD_START) {
            throw new LogParseError(`expected a commit record, found ${JSON.stringify(b.subarray(this.pos, this.pos + 40).toString('latin1'))}`);
          }
        }
        const nul = b.indexOf(0, this.pos);
        if (nul < 0) return false;
        const start = this.fields.length === 0 ? this.pos + 1 : this.pos;
        this.fields.push(b.subarray(start, nul));
        this.pos = nul + 1;
        if (this.fields.length === HEADER_FIELDS) this.phase = 'afterHeader';
        return true;
      }
      case 'afterHeader': {
        const c = b[this.pos];
        if (c === RECORD_START) {
          this.finishRecord();
          return true;
        }
        if (c === 0x0a) this.pos++;
        this.phase = 'meta';
        return true;
      }
      case 'meta':
        return this.stepMeta(final);
      case 'patch':
        return this.stepPatch(final);
    }
  }

  private stepMeta(final: boolean): boolean {
    const b = this.buf;
    const c = b[this.pos]!;
    if (c === RECORD_START) {
      this.finishRecord();
      return true;
    }
    if (c === 0x00 || c === 0x0a) {
      this.pos++;
      return true;
    }
    if (c === 0x64 /* d: "diff --git" */) {
      this.phase = 'patch';
      return true;
    }
    if (c === 0x3a /* ':' raw entry */) {
      const metaEnd = b.indexOf(0, this.pos);
      if (metaEnd < 0) return false;
      const meta = b.subarray(this.pos + 1, metaEnd).toString('latin1').split(' ');
      const status = meta[4] ?? '';
      const pathCount = status[0] === 'R' || status[0] === 'C' ? 2 : 1;
      const p1End = b.indexOf(0, metaEnd + 1);
      if (p1End < 0) return false;
      let p2End = p1End;
      if (pathCount === 2) {
        p2End = b.indexOf(0, p1End + 1);
        if (p2End < 0) return false;
      }
      const first = decodePath(b.subarray(metaEnd + 1, p1End));
      const second = pathCount === 2 ? decodePath(b.subarray(p1End + 1, p2End)) : null;
      const [oldMode = '', newMode = '', oldBlob = '', newBlob = ''] = meta;
      const letter = status[0] ?? '?';
      this.files.push({
        path: second ?? first,
        oldPath: second !== null ? first : null,
        status: letter,
        similarity: status.length > 1 ? Number(status.slice(1)) : null,
        oldMode,
        newMode,
        oldBlob: ZERO_OID.test(oldBlob) ? null : oldBlob,
        newBlob: ZERO_OID.test(newBlob) ? null : newBlob,
        added: null,
        deleted: null,
        binary: false,
        newRanges: [],
        oldRanges: [],
      });
      this.pos = p2End + 1;
      return true;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d /* numstat: digits or '-' */) {
      const end = b.indexOf(0, this.pos);
      if (end < 0) return false;
      const line = b.subarray(this.pos, end);
      const t1 = line.indexOf(0x09);
      const t2 = line.indexOf(0x09, t1 + 1);
      if (t1 < 0 || t2 < 0) throw new LogParseError(`malformed numstat entry ${JSON.stringify(line.toString('latin1'))}`);
      const a = line.subarray(0, t1).toString('latin1');
      const d = line.subarray(t1 + 1, t2).toString('latin1');
      let path: string;
      let next = end + 1;
      if (t2 + 1 === line.length) {
        // rename/copy: "added\tdeleted\t\0old\0new\0"
        const oldEnd = b.indexOf(0, next);
        if (oldEnd < 0) return false;
        const newEnd = b.indexOf(0, oldEnd + 1);
        if (newEnd < 0) return false;
        path = decodePath(b.subarray(oldEnd + 1, newEnd));
        next = newEnd + 1;
      } else {
        path = decodePath(line.subarray(t2 + 1));
      }
      this.numstats.push({ path, added: a === '-' ? null : Number(a), deleted: d === '-' ? null : Number(d) });
      this.pos = next;
      return true;
    }
    throw new LogParseError(`unexpected byte 0x${c.toString(16)} in diff metadata of ${this.fields[0]?.toString('latin1') ?? '?'}`);
  }

  private stepPatch(final: boolean): boolean {
    const b = this.buf;
    if (b[this.pos] === RECORD_START) {
      this.finishRecord();
      return true;
    }
    let nl = b.indexOf(0x0a, this.pos);
    if (nl < 0) {
      if (!final) return false;
      nl = b.length;
    }
    const first = b[this.pos];
    const line = b.subarray(this.pos, nl);
    this.pos = Math.min(nl + 1, b.length);
    if (first === 0x64 && line.subarray(0, 11).toString('latin1') === 'diff --git ') {
      this.section = {
        headerPath: headerNewPath(line.subarray(11)),
        renameTo: null,
        plusPath: null,
        minusPath: null,
        sawHunk: false,
        newRanges: [],
        oldRanges: [],
      };
      this.sections.push(this.section);
      return true;
    }
    const s = this.section;
    if (!s) return true;
    if (first === 0x40 /* @ */) {
      const m = HUNK.exec(line.toString('latin1'));
      if (m) {
        s.sawHunk = true;
        const oldStart = Number(m[1]);
        const oldCount = m[2] === undefined ? 1 : Number(m[2]);
        const newStart = Number(m[3]);
        const newCount = m[4] === undefined ? 1 : Number(m[4]);
        if (oldCount > 0) s.oldRanges.push([oldStart, oldStart + oldCount - 1]);
        if (newCount > 0) s.newRanges.push([newStart, newStart + newCount - 1]);
      }
      return true;
    }
    if (s.sawHunk) return true; // hunk body lines: content is not needed
    const text = line.toString('latin1');
    if (text.startsWith('+++ ')) s.plusPath = patchPath(line.subarray(4), 'b/');
    else if (text.startsWith('--- ')) s.minusPath = patchPath(line.subarray(4), 'a/');
    else if (text.startsWith('rename to ')) s.renameTo = decodePath(unquoteCPath(line.subarray(10)));
    else if (text.startsWith('copy to ')) s.renameTo = decodePath(unquoteCPath(line.subarray(8)));
    return true;
  }

  private finishRecord(): void {
    const f = this.fields.map((x) => x);
    const commit: ParsedCommit = {
      sha: latin(f[0]),
      parents: latin(f[1]).split(' ').filter(Boolean),
      authorName: decodeText(f[2] ?? Buffer.alloc(0)),
      authorEmail: decodeText(f[3] ?? Buffer.alloc(0)),
      authorDate: Number(latin(f[4])) || 0,
      committerName: decodeText(f[5] ?? Buffer.alloc(0)),
      committerEmail: decodeText(f[6] ?? Buffer.alloc(0)),
      committerDate: Number(latin(f[7])) || 0,
      encoding: latin(f[8]),
      message: decodeText(f[9] ?? Buffer.alloc(0)).replace(/\n+$/, ''),
      files: this.files,
    };
    this.attachNumstatsAndHunks(commit.files);
    this.fields = [];
    this.files = [];
    this.numstats = [];
    this.sections = [];
    this.section = null;
    this.phase = 'header';
    this.emit(commit);
  }

  private attachNumstatsAndHunks(files: ParsedFileChange[]): void {
    // numstat entries come in the same order as raw entries; fall back to matching by path.
    const byPath = new Map<string, { added: number | null; deleted: number | null }>();
    for (const n of this.numstats) byPath.set(n.path, n);
    files.forEach((file, i) => {
      const n = this.numstats[i]?.path === file.path ? this.numstats[i] : byPath.get(file.path);
      if (n) {
        file.added = n.added;
        file.deleted = n.deleted;
        file.binary = n.added === null;
      }
    });
    const sectionsByPath = new Map<string, PatchSection[]>();
    for (const s of this.sections) {
      const path = s.renameTo ?? s.plusPath ?? s.minusPath ?? s.headerPath;
      if (path === null) continue;
      const list = sectionsByPath.get(path) ?? [];
      list.push(s);
      sectionsByPath.set(path, list);
    }
    for (const file of files) {
      const list = sectionsByPath.get(file.path);
      if (!list) continue;
      file.newRanges = normalizeRanges(list.flatMap((s) => s.newRanges));
      file.oldRanges = normalizeRanges(list.flatMap((s) => s.oldRanges));
    }
  }
}

function latin(b: Buffer | undefined): string {
  return b ? b.toString('latin1') : '';
}

/** "+++ b/path\t" → path; "/dev/null" → null. */
function patchPath(raw: Buffer, prefix: string): string | null {
  let bytes = raw;
  if (bytes[bytes.length - 1] === 0x09) bytes = bytes.subarray(0, bytes.length - 1);
  bytes = unquoteCPath(bytes);
  const text = bytes.toString('latin1');
  if (text === '/dev/null') return null;
  return text.startsWith(prefix) ? decodePath(bytes.subarray(prefix.length)) : decodePath(bytes);
}

/**
 * New path from a "diff --git a/X b/Y" header. Unquoted headers are ambiguous when paths
 * contain spaces, except when both sides are equal (not a rename), which is the only case
 * where the header is the sole source of the path (binary or mode-only changes).
 */
function headerNewPath(rest: Buffer): string | null {
  if (rest[0] === 0x22) {
    // quoted a-side: find its closing quote, then parse the b-side
    let i = 1;
    while (i < rest.length && !(rest[i] === 0x22 && rest[i - 1] !== 0x5c)) i++;
    const b = rest.subarray(i + 2);
    return patchPath(b, 'b/');
  }
  const len = rest.length;
  if ((len - 1) % 2 === 0) {
    const half = (len - 1) / 2;
    const a = rest.subarray(0, half);
    const b = rest.subarray(half + 1);
    if (a.subarray(2).equals(b.subarray(2)) && a[0] === 0x61 && b[0] === 0x62) return decodePath(b.subarray(2));
  }
  const quoted = rest.indexOf(' "b/');
  if (quoted >= 0) return patchPath(rest.subarray(quoted + 1), 'b/');
  return null;
}

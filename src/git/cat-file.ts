/**
 * One long-lived `git cat-file --batch` for a whole analysis run: object names go in on stdin,
 * `<oid> <type> <size>\n<content>\n` (or `<name> missing`) comes back in the same order.
 * Requests may be issued concurrently; answers resolve in order. Missing objects (a partial
 * clone never fetches: see GIT_SAFE_CONFIG) resolve as null, not as errors.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GraspError } from '../core/errors.ts';
import { spawnGit } from './run.ts';

export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

/** A blob over the caller's size limit: counted while it streams past, never held in memory. */
export interface SkippedObject {
  oid: string;
  type: string;
  size: number;
  /** countLines of its text: newlines, plus one when it does not end in one. */
  lineCount: number;
}

interface Pending {
  resolve: (obj: GitObject | null) => void;
  reject: (err: Error) => void;
  /** Content larger than this is skipped (see `skipped`). */
  maxBytes?: number;
  skipped?: (s: SkippedObject) => void;
}

/** The object whose content is streaming in: kept as a list of chunks, joined once at the end. */
interface Body {
  oid: string;
  type: string;
  size: number;
  remaining: number;
  parts: Buffer[] | null;
  newlines: number;
  lastByte: number;
}

export class CatFileBatch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  /** Bytes of a header line split across chunks. */
  private headerParts: Buffer[] = [];
  private body: Body | null = null;
  /** The LF after an object's content is still to come. */
  private trailer = false;
  private failure: Error | null = null;
  private closed = false;
  private stderr = '';
  private readonly exited: Promise<void>;

  constructor(repoDir: string) {
    this.child = spawnGit(repoDir, ['cat-file', '--batch']);
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4000) this.stderr += chunk.toString('utf8');
    });
    this.child.stdin.on('error', (e) => this.fail(new GraspError('git-failed', `git cat-file stopped reading: ${e.message}`)));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e) => {
        this.fail(new GraspError('git-failed', `could not run git cat-file: ${e.message}`, { cause: e }));
        resolve();
      });
      this.child.on('close', (code) => {
        if (this.pending.length > 0) {
          this.fail(new GraspError('git-failed', `git cat-file exited (${code}): ${this.stderr.trim() || 'no output'}`));
        }
        resolve();
      });
    });
  }

  /** Reads an object by oid or `<rev>:<path>`; null when git does not have it. */
  read(name: string): Promise<GitObject | null> {
    return this.request(name, {});
  }

  private request(name: string, opts: Pick<Pending, 'maxBytes' | 'skipped'>): Promise<GitObject | null> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new GraspError('git-failed', 'git cat-file was already closed'));
    // A newline would split the request in two and desynchronize every later answer.
    if (/[\n\r]/.test(name) || name === '') return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, ...opts });
      this.child.stdin.write(`${name}\n`);
    });
  }

  /** Reads a blob's content; null when missing or not a blob. */
  async readBlob(name: string): Promise<Buffer | null> {
    const obj = await this.read(name);
    return obj && obj.type === 'blob' ? obj.content : null;
  }

  /**
   * Reads a blob unless it is larger than `maxBytes`: then only its size and line count come
   * back (its bytes stream past uncounted in memory). null when missing or not a blob.
   */
  readBlobWithin(name: string, maxBytes: number): Promise<{ content: Buffer } | { skipped: SkippedObject } | null> {
    let skipped: SkippedObject | null = null;
    return this.request(name, { maxBytes, skipped: (s) => (skipped = s) }).then((obj) => {
      if (skipped) return (skipped as SkippedObject).type === 'blob' ? { skipped } : null;
      return obj && obj.type === 'blob' ? { content: obj.content } : null;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (!this.child.stdin.destroyed) this.child.stdin.end();
    await this.exited;
  }

  /**
   * Linear in the bytes received: content chunks are collected and joined once per object
   * (joining the whole buffer on every chunk made a 52 MB blob take a minute).
   */
  private onData(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      const body = this.body;
      if (body) {
        const take = Math.min(body.remaining, chunk.length - off);
        const part = chunk.subarray(off, off + take);
        if (body.parts) body.parts.push(part);
        else body.newlines += countNewlines(part);
        if (take > 0) body.lastByte = part[take - 1]!;
        body.remaining -= take;
        off += take;
        if (body.remaining === 0) {
          this.body = null;
          this.trailer = true;
          this.finish(body);
        }
        continue;
      }
      if (this.trailer) {
        this.trailer = false; // the LF git writes after the content
        off++;
        continue;
      }
      const nl = chunk.indexOf(0x0a, off);
      if (nl < 0) {
        this.headerParts.push(chunk.subarray(off));
        return;
      }
      const headerBytes = this.headerParts.length === 0 ? chunk.subarray(off, nl) : Buffer.concat([...this.headerParts, chunk.subarray(off, nl)]);
      this.headerParts = [];
      off = nl + 1;
      if (!this.startObject(headerBytes.toString('utf8'))) return;
    }
  }

  /** Handles one header line; false when the stream is broken (the batch has failed). */
  private startObject(header: string): boolean {
    const waiting = this.pending[0];
    if (!waiting) {
      this.fail(new GraspError('git-failed', `unexpected git cat-file output: ${header.slice(0, 200)}`));
      return false;
    }
    const parts = header.split(' ');
    if (parts.length === 3 && /^\d+$/.test(parts[2]!)) {
      const size = Number(parts[2]);
      const keep = waiting.maxBytes === undefined || size <= waiting.maxBytes;
      const body: Body = { oid: parts[0]!, type: parts[1] ?? '', size, remaining: size, parts: keep ? [] : null, newlines: 0, lastByte: -1 };
      if (size === 0) {
        this.trailer = true;
        this.finish(body);
      } else {
        this.body = body;
      }
    } else {
      // `<name> missing`, `<name> ambiguous`, or a name with spaces that git reports verbatim.
      this.pending.shift();
      waiting.resolve(null);
    }
    return true;
  }

  private finish(body: Body): void {
    const waiting = this.pending.shift()!;
    if (body.parts) {
      waiting.resolve({ oid: body.oid, type: body.type, content: Buffer.concat(body.parts, body.size) });
      return;
    }
    const lineCount = body.size === 0 ? 0 : body.newlines + (body.lastByte === 0x0a ? 0 : 1);
    waiting.skipped?.({ oid: body.oid, type: body.type, size: body.size, lineCount });
    waiting.resolve(null);
  }

  private fail(err: Error): void {
    if (!this.failure) this.failure = err;
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}

function countNewlines(part: Buffer): number {
  let n = 0;
  for (let i = part.indexOf(0x0a); i !== -1; i = part.indexOf(0x0a, i + 1)) n++;
  return n;
}

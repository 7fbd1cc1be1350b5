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

interface Pending {
  resolve: (obj: GitObject | null) => void;
  reject: (err: Error) => void;
}

export class CatFileBatch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
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
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new GraspError('git-failed', 'git cat-file was already closed'));
    // A newline would split the request in two and desynchronize every later answer.
    if (/[\n\r]/.test(name) || name === '') return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${name}\n`);
    });
  }

  /** Reads a blob's content; null when missing or not a blob. */
  async readBlob(name: string): Promise<Buffer | null> {
    const obj = await this.read(name);
    return obj && obj.type === 'blob' ? obj.content : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (!this.child.stdin.destroyed) this.child.stdin.end();
    await this.exited;
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const nl = this.buffer.indexOf(0x0a);
      if (nl < 0) return;
      const header = this.buffer.subarray(0, nl).toString('utf8');
      const waiting = this.pending[0];
      if (!waiting) {
        this.fail(new GraspError('git-failed', `unexpected git cat-file output: ${header.slice(0, 200)}`));
        return;
      }
      const parts = header.split(' ');
      const type = parts[1] ?? '';
      if (parts.length === 3 && /^\d+$/.test(parts[2]!)) {
        const size = Number(parts[2]);
        if (this.buffer.length < nl + 1 + size + 1) return; // wait for the rest of the content
        const content = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + size));
        this.buffer = this.buffer.subarray(nl + 1 + size + 1);
        this.pending.shift();
        waiting.resolve({ oid: parts[0]!, type, content });
      } else {
        // `<name> missing`, `<name> ambiguous`, or a name with spaces that git reports verbatim.
        this.buffer = this.buffer.subarray(nl + 1);
        this.pending.shift();
        waiting.resolve(null);
      }
    }
  }

  private fail(err: Error): void {
    if (!this.failure) this.failure = err;
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}

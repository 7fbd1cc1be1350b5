/**
 * One history writer (ingest or analysis) per database file at a time. Two overlapping ingests
 * each read the frontier once and then raced: commits were lost and symbol ids handed out twice.
 * The lock is a file beside the database, created exclusively (O_EXCL) and holding the owner's
 * pid; a lock whose process is gone (kill -9) is taken over. The second writer waits, saying so,
 * and then reads the frontier the first one left, so it starts from what that one committed.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { GraspError } from '../core/errors.ts';

export interface WriterLockOptions {
  /** How long to wait for another writer, in milliseconds (default 10 minutes). */
  waitMs?: number;
  /** Told once when the lock is held by someone else and we start waiting. */
  onWait?: (owner: { pid: number; since: string }) => void;
  pollMs?: number;
}

export interface WriterLock {
  release(): void;
}

export const DEFAULT_WRITER_WAIT_MS = 10 * 60 * 1000;

interface Owner {
  pid: number;
  host: string;
  since: string;
}

function readOwner(path: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host, since: String(o.since ?? '') } : null;
  } catch {
    return null; // missing, or being written right now
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new GraspError('invalid', `cannot create the writer lock ${path}: ${(err as Error).message}`);
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takes the writer lock of database `dbFile`, waiting for another writer up to `waitMs`. */
export async function acquireWriterLock(dbFile: string, opts: WriterLockOptions = {}): Promise<WriterLock> {
  const path = `${dbFile}.writer-lock`;
  // Ingest and analyze write: on a first run the database's directory (./.grasp) does not exist yet.
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_WRITER_WAIT_MS);
  let told = false;
  for (;;) {
    if (tryCreate(path)) break;
    const owner = readOwner(path);
    if (owner && owner.host === hostname() && !alive(owner.pid)) {
      // Its writer died (kill -9, power loss): every batch it committed is consistent; take over.
      try {
        unlinkSync(path);
      } catch {
        /* another waiter took it over first */
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new GraspError('busy', `another grasp ingest${owner ? ` (pid ${owner.pid}, since ${owner.since})` : ''} is still writing this database; try again when it is done`);
    }
    if (!told && owner) {
      told = true;
      opts.onWait?.({ pid: owner.pid, since: owner.since });
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const owner = readOwner(path);
      if (owner?.pid === process.pid) unlinkSync(path);
    },
  };
}

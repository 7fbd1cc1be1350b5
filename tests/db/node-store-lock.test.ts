/**
 * A write that finds another connection holding the write lock (an ingest next to `grasp serve`)
 * waits off the event loop: other work keeps running meanwhile, the write lands once the lock is
 * free, and a lock held past the wait is a clear `busy` error that wrote nothing.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { meta } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';

let dir: string;
let store: Store;
let other: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grasp-lock-'));
  const file = join(dir, 'g.db');
  store = openNodeStore(file, { lockWaitMs: 300 });
  other = new Database(file);
});

afterEach(() => {
  other.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const metaValue = (key: string) => other.prepare('select value from meta where key = ?').pluck().get(key);

describe('node store writes under another writer\'s lock', () => {
  it('waits without blocking the event loop, then commits', async () => {
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const write = store.atomic([store.db.insert(meta).values({ key: 'lock-test', value: 'written' })]);
    await new Promise((r) => setTimeout(r, 100));
    const ticksWhileLocked = ticks;
    other.exec('COMMIT');
    await write;
    clearInterval(timer);
    expect(ticksWhileLocked).toBeGreaterThan(5); // timers ran while the write waited
    expect(metaValue('lock-test')).toBe('written');
  });

  it('gives up with a busy error after the wait, having written nothing', async () => {
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const err = await store.atomic([store.db.insert(meta).values({ key: 'never', value: 'x' })]).catch((e: unknown) => e);
    other.exec('ROLLBACK');
    expect(err).toBeInstanceOf(GraspError);
    expect(err).toMatchObject({ code: 'busy', status: 503 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(metaValue('never')).toBeUndefined();
  });
});

/** Shared CLI plumbing: opening the store from --db / GRASP_DB, and safe terminal output. */
import type { Command } from 'commander';
import { defaultDbPath, openNodeStore } from '../db/node/open.ts';
import type { Store } from '../db/store.ts';

export function addDbOption(cmd: Command): Command {
  return cmd.option('--db <file>', 'database file (default: $GRASP_DB or ./.grasp/grasp.db)');
}

export async function withStore<T>(opts: { db?: string }, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openNodeStore(defaultDbPath(opts.db));
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/**
 * Removes terminal control sequences, C0/C1 controls (except \n and \t) and bidirectional
 * overrides (which can make code read differently from what runs) from text we did not write.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A progress line on stderr: rewritten in place on a terminal, throttled to one line per 2 s otherwise. */
export function progressPrinter(enabled: boolean) {
  let last = 0;
  let shown = false;
  const tty = process.stderr.isTTY;
  const print = (line: string) => {
    if (!enabled) return;
    const now = Date.now();
    if (now - last < (tty ? 100 : 2000)) return;
    last = now;
    shown = true;
    process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
  };
  print.done = () => {
    if (enabled && shown && tty) process.stderr.write('\n');
  };
  return print;
}

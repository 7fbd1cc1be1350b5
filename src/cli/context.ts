/** Shared CLI plumbing: opening the store from --db / GRASP_DB, and safe terminal output. */
import { InvalidArgumentError, type Command } from 'commander';
import { accessSync, constants, statSync } from 'node:fs';
import { defaultDbPath, openNodeStore } from '../db/node/open.ts';
import { markHeadsBehind } from '../db/repo/mark-heads.ts';
import { formatRepoTarget, parseRepoTarget, type RepoTarget } from '../core/repo-target.ts';
import { GraspError } from '../core/errors.ts';
import { chooseRepoStore, chooseRepository, getRepoByNameOrThrow, listRepos, type RepoRow } from '../db/repo/repos.ts';
import { forRepo, type RepoStore, type Store } from '../db/store.ts';

export function addDbOption(cmd: Command): Command {
  return cmd.option('--db <file>', 'database file (default: $GRASP_DB or ./.grasp/grasp.db)');
}

export function addRepoOption(cmd: Command): Command {
  return cmd.option('--repo <name>', 'the repository (default: the one of the current directory, or the only one)');
}

/**
 * A target that may name its repository (`NAME@sha`, `NAME:path#Symbol`, ...; src/core/repo-target.ts):
 * the store of that repository, else of --repo / the current directory / the only one. When several
 * repositories are tracked and none is chosen, `exists` picks the one where the short target exists,
 * and names them all when it exists in several. `local` is the target without its repository.
 */
export async function targetInRepo(
  team: Store,
  text: string,
  opts: { repo?: string },
  exists?: (store: RepoStore, local: string) => Promise<boolean>,
): Promise<{ store: RepoStore; target: RepoTarget; local: string }> {
  const all = await listRepos(team);
  const names = new Set(all.map((r) => r.name));
  const target = parseRepoTarget(text, { isRepository: (n) => names.has(n) });
  const local = target.repo === null ? text : formatRepoTarget({ ...target, repo: null });
  if (target.repo !== null) {
    if (opts.repo !== undefined && opts.repo !== target.repo) throw new GraspError('invalid', `the target names ${target.repo} but --repo says ${opts.repo}`);
    return { store: forRepo(team, (await getRepoByNameOrThrow(team, target.repo)).id), target, local };
  }
  if (opts.repo !== undefined || all.length <= 1 || !exists) return { store: await repoStoreFor(team, opts), target, local };
  const inCwd = await chooseRepository(team, { cwd: process.cwd() }).catch(() => undefined);
  if (inCwd) return { store: forRepo(team, inCwd.id), target, local };
  const matching: RepoRow[] = [];
  for (const r of all) if (await exists(forRepo(team, r.id), local).catch(() => false)) matching.push(r);
  if (matching.length === 1) return { store: forRepo(team, matching[0]!.id), target, local };
  if (matching.length === 0) throw new GraspError('not-found', `"${text}" names nothing in any of the ${all.length} repositories (${all.map((r) => r.name).join(', ')})`);
  throw new GraspError('invalid', `"${text}" matches ${matching.length} repositories (${matching.map((r) => r.name).join(', ')}): write NAME:target or pass --repo NAME`);
}

/**
 * The store a team-wide read runs on: narrowed to --repo when given; with `cwdDefault`, to the
 * tracked repository holding the current directory (hotspots, islands); else every repository.
 */
export async function narrowedStore(team: Store, opts: { repo?: string }, cwdDefault = false): Promise<Store> {
  if (opts.repo !== undefined) return forRepo(team, (await getRepoByNameOrThrow(team, opts.repo)).id);
  if (!cwdDefault) return team;
  const all = await listRepos(team);
  if (all.length <= 1) return team;
  const here = await chooseRepository(team, { cwd: process.cwd() }).catch(() => undefined);
  return here ? forRepo(team, here.id) : team;
}

/** The command's repository: --repo, else the tracked one holding the current directory, else the only one. */
export function repoStoreFor(store: Store, opts: { repo?: string }): Promise<RepoStore> {
  return chooseRepoStore(store, { name: opts.repo, cwd: process.cwd() });
}

/**
 * Opens the database for one command. `read` commands open it read-only: they never create a
 * database or its directory, never migrate it, and work on a read-only file.
 */
export async function withStore<T>(opts: { db?: string }, fn: (store: Store) => Promise<T>, mode: 'read' | 'write' = 'write'): Promise<T> {
  const file = defaultDbPath(opts.db);
  let store = openNodeStore(file, { readOnly: mode === 'read' });
  // mark_heads is a derived cache folded lazily before reads: on a writable file, refresh it.
  if (mode === 'read' && writable(file) && (await markHeadsBehind(store))) {
    store.close();
    store = openNodeStore(file);
  }
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return (statSync(file).mode & 0o222) !== 0;
  } catch {
    return false;
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

/**
 * `--format <f>` and `--json` (its alias for JSON) on a command that prints data. No commander
 * default for --format, so `--json --format md` is seen and refused (outputFormat).
 */
export function addFormatOptions(cmd: Command, allowed: readonly string[], fallback: string): Command {
  return cmd.option('--format <format>', `${allowed.join(' | ')} (default ${fallback})`).option('--json', 'print JSON (same as --format json)');
}

/** The output format from --format / --json; both naming different formats is one clear error. */
export function outputFormat<F extends string>(opts: { format?: string; json?: boolean }, allowed: readonly F[], fallback: F): F {
  if (opts.json) {
    if (opts.format !== undefined && opts.format.toLowerCase() !== 'json') throw new GraspError('invalid', `--json and --format ${opts.format} ask for different outputs: give one of them`);
    return 'json' as F;
  }
  const v = (opts.format ?? fallback).toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw new GraspError('invalid', `unknown format "${opts.format}": --format must be one of ${allowed.join(', ')}`);
  return v as F;
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

/**
 * A commander argument parser for a whole number in [min, max]: `--limit -5`, `--limit abc` or
 * `--limit 1e3` are refused with one line naming the option, never read as "no limit".
 */
export function intOption(name: string, min = 1, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = /^[+]?\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

/** Like intOption, for a positive decimal (e.g. days), at least `min`. */
export function numberOption(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

export { exitQuietlyOnClosedPipe } from './pipe.ts';

/**
 * Start-up: `grasp --help` lists every command without loading one (so none of the heavy
 * packages), the listing matches the real commands, and bin/grasp.mjs runs dist/ only when it was
 * built from the sources that are here now.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, Help } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { distIsFresh, sourceSnapshot } from '../../bin/dist-stamp.mjs';
import { COMMAND_NAMES, registerAllCommands, registerCommands } from '../../src/cli/commands/index.ts';
import { SUMMARIES } from '../../src/cli/commands/summaries.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'grasp.mjs');
const HEAVY = ['typescript', 'ts-morph', '@octokit/graphql', 'hono', '@hono/node-server', 'better-sqlite3', 'drizzle-orm', 'zod'];
const tmp = mkdtempSync(join(tmpdir(), 'grasp-startup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const program = () => new Command('grasp').exitOverride();

describe('the --help listing', () => {
  it('has a summary for exactly the registered commands, equal to what each command says of itself', async () => {
    const real = program();
    await registerAllCommands(real);
    const help = new Help();
    const fromCommands = Object.fromEntries(real.commands.map((c) => [c.name(), { term: help.subcommandTerm(c), description: c.description() }]));
    expect(Object.keys(SUMMARIES).sort()).toEqual([...COMMAND_NAMES].sort());
    expect(SUMMARIES).toEqual(fromCommands);
  });

  it('prints the same text from the summaries as from the real commands', async () => {
    const real = program();
    await registerAllCommands(real);
    const listed = program();
    await registerCommands(listed, ['--help']);
    expect(listed.commands.every((c) => c.options.length === 0 && c.commands.length === 0)).toBe(true);
    expect(listed.helpInformation()).toBe(real.helpInformation());
  });

  it('registers the real command when one is named, also as `help <command>`', async () => {
    for (const args of [['ingest', '--help'], ['help', 'ingest']]) {
      const p = program();
      await registerCommands(p, args);
      expect(p.commands.map((c) => c.name())).toEqual(['ingest']);
      expect(p.commands[0]!.options.length).toBeGreaterThan(0);
    }
  });
});

/** Runs bin/grasp.mjs with a module hook that logs every ESM URL resolved and every CommonJS file required. */
function loadedModules(args: string[], env: Record<string, string> = {}): string[] {
  const log = join(tmp, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const hooks = join(tmp, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}`,
  );
  const preload = join(tmp, 'preload.mjs');
  writeFileSync(
    preload,
    `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(`file://${hooks}`)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(${JSON.stringify(log)}, Object.keys(cache).join('\\n') + '\\n'));`,
  );
  const out = execFileSync(process.execPath, ['--import', preload, BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(out).toContain('Usage: grasp');
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const heavyIn = (urls: string[]) => HEAVY.filter((pkg) => urls.some((u) => u.includes(`/node_modules/${pkg}/`)));

describe('grasp --help loads no heavy module', () => {
  it('from the sources (tsx): none of the heavy packages is resolved', () => {
    const urls = loadedModules(['--help'], { GRASP_FROM_SOURCE: '1' });
    expect(urls.some((u) => u.endsWith('/src/cli/main.ts'))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
    // The hook sees them when they are loaded: `grasp commits --help` resolves the database layer.
    expect(heavyIn(loadedModules(['commits', '--help'], { GRASP_FROM_SOURCE: '1' }))).toContain('drizzle-orm');
  });

  it('from dist: only the entry and the chunks it imports statically, nothing from node_modules', () => {
    expect(distIsFresh(ROOT)).toBe(true); // the global setup built it
    const urls = loadedModules(['--help']).filter((u) => !u.startsWith('node:'));
    const dist = urls.filter((u) => u.includes('/dist/'));
    expect(dist.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true);
    expect(urls.filter((u) => u.includes('/node_modules/'))).toEqual([]);
    expect(dist.length).toBeLessThanOrEqual(4);
  });
});

describe('dist freshness', () => {
  /** A minimal checkout: the inputs the stamp covers, and a dist stamped from them. */
  function checkout(): string {
    const root = mkdtempSync(join(tmp, 'checkout-'));
    mkdirSync(join(root, 'src', 'cli'), { recursive: true });
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'src', 'cli', 'main.ts'), 'export {};\n');
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    for (const f of ['bin/build.mjs', 'package-lock.json', 'tsconfig.json']) writeFileSync(join(root, f), '{}\n');
    writeFileSync(join(root, 'dist', '.stamp'), sourceSnapshot(root));
    return root;
  }

  it('is fresh as built, stale after an edit, an added or removed file, a touch, or without a stamp', () => {
    const cases: [string, (root: string) => void][] = [
      ['edit', (r) => writeFileSync(join(r, 'src', 'a.ts'), 'export const a = 2;\n')],
      ['add', (r) => writeFileSync(join(r, 'src', 'cli', 'b.ts'), '')],
      ['remove', (r) => unlinkSync(join(r, 'src', 'a.ts'))],
      ['touch', (r) => utimesSync(join(r, 'src', 'a.ts'), new Date(), new Date(Date.now() + 5000))],
      ['lock file', (r) => writeFileSync(join(r, 'package-lock.json'), '{ }\n')],
      ['no stamp', (r) => unlinkSync(join(r, 'dist', '.stamp'))],
    ];
    for (const [name, change] of cases) {
      const root = checkout();
      expect(distIsFresh(root), `${name}: before`).toBe(true);
      change(root);
      expect(distIsFresh(root), `${name}: after`).toBe(false);
    }
  });
});

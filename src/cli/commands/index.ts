/**
 * Every command module, in `--help` order. Add yours here.
 *
 * Modules are imported lazily: `grasp ingest` loads only the ingest command, not ts-morph,
 * hono or octokit, so a re-ingest with nothing new starts fast. `--help`, no command or an
 * unknown one loads them all (commander then lists every command).
 */
import type { Command } from 'commander';

type Loader = () => Promise<{ register(program: Command): void }>;

const COMMANDS: [name: string, load: Loader][] = [
  ['ingest', () => import('./ingest.ts')],
  ['commits', () => import('./commits.ts')],
  ['analyze', () => import('./analyze.ts')],
  ['symbols', () => import('./symbols.ts')],
  ['changes', () => import('./changes.ts')],
  ['engineer', () => import('./engineer.ts')],
  ['token', () => import('./token.ts')],
  ['mark', () => import('./mark.ts')],
  ['marks', () => import('./marks.ts')],
  ['serve', () => import('./serve.ts')],
  ['sync', () => import('./sync.ts')],
  ['report', () => import('./report.ts')],
  ['hotspots', () => import('./hotspots.ts')],
  ['islands', () => import('./islands.ts')],
  ['digest', () => import('./digest.ts')],
  ['checklist', () => import('./checklist.ts')],
  ['push', () => import('./push.ts')],
  ['ci', () => import('./ci.ts')],
];

export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const first = args.find((a) => !a.startsWith('-'));
  const only = COMMANDS.find(([name]) => name === first && first !== undefined);
  const wanted = only ? [only] : COMMANDS;
  const modules = await Promise.all(wanted.map(([, load]) => load()));
  for (const m of modules) m.register(program);
}

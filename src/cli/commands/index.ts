/**
 * Every command module, in `--help` order. Add yours here.
 *
 * Modules are imported lazily: `grasp ingest` loads only the ingest command, not ts-morph,
 * hono or octokit, so a re-ingest with nothing new starts fast. `--help`, no command or an
 * unknown one load none: commander lists every command from SUMMARIES.
 */
import { Help, type Command } from 'commander';
import { SUMMARIES } from './summaries.ts';

type Loader = () => Promise<{ register(program: Command): void }>;

const COMMANDS: [name: string, load: Loader][] = [
  ['ingest', () => import('./ingest.ts')],
  ['repos', () => import('./repos.ts')],
  ['commits', () => import('./commits.ts')],
  ['summary', () => import('./summary.ts')],
  ['analyze', () => import('./analyze.ts')],
  ['symbols', () => import('./symbols.ts')],
  ['changes', () => import('./changes.ts')],
  ['engineer', () => import('./engineer.ts')],
  ['token', () => import('./token.ts')],
  ['mark', () => import('./mark.ts')],
  ['marks', () => import('./marks.ts')],
  ['explain', () => import('./explain.ts')],
  ['serve', () => import('./serve.ts')],
  ['sync', () => import('./sync.ts')],
  ['report', () => import('./report.ts')],
  ['hotspots', () => import('./hotspots.ts')],
  ['islands', () => import('./islands.ts')],
  ['digest', () => import('./digest.ts')],
  ['checklist', () => import('./checklist.ts')],
  ['queue', () => import('./queue.ts')],
  ['agents', () => import('./agents.ts')],
  ['push', () => import('./push.ts')],
  ['ci', () => import('./ci.ts')],
];

export const COMMAND_NAMES = COMMANDS.map(([name]) => name);

/** Every command for real: what `grasp --help` would list if SUMMARIES did not stand in for them. */
export async function registerAllCommands(program: Command): Promise<void> {
  const modules = await Promise.all(COMMANDS.map(([, load]) => load()));
  for (const m of modules) m.register(program);
}

/** Registers the one command `args` names (also as `help <command>`), else a listing-only stand-in for each. */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const words = args.filter((a) => !a.startsWith('-'));
  const named = words[0] === 'help' ? words[1] : words[0];
  const only = COMMANDS.find(([name]) => name === named);
  if (only) return (await only[1]()).register(program);
  for (const [name] of COMMANDS) {
    const summary = SUMMARIES[name];
    program.command(name).description(summary?.description ?? '');
  }
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => SUMMARIES[cmd.name()]?.term ?? standard.subcommandTerm(cmd) });
}

import type { Command } from 'commander';
import { register as ingest } from './ingest.ts';
import { register as commits } from './commits.ts';

/** Every command module, in `--help` order. Add yours here. */
export function registerCommands(program: Command): void {
  ingest(program);
  commits(program);
}

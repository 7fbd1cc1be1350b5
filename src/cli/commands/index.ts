import type { Command } from 'commander';
import { register as ingest } from './ingest.ts';
import { register as commits } from './commits.ts';
import { register as analyze } from './analyze.ts';
import { register as symbols } from './symbols.ts';
import { register as changes } from './changes.ts';
import { register as engineer } from './engineer.ts';
import { register as token } from './token.ts';
import { register as mark } from './mark.ts';
import { register as marks } from './marks.ts';
import { register as serve } from './serve.ts';
import { register as sync } from './sync.ts';
import { register as report } from './report.ts';
import { register as hotspots } from './hotspots.ts';
import { register as islands } from './islands.ts';
import { register as digest } from './digest.ts';
import { register as checklist } from './checklist.ts';
import { register as push } from './push.ts';

/** Every command module, in `--help` order. Add yours here. */
export function registerCommands(program: Command): void {
  ingest(program);
  commits(program);
  analyze(program);
  symbols(program);
  changes(program);
  engineer(program);
  token(program);
  mark(program);
  marks(program);
  serve(program);
  sync(program);
  report(program);
  hotspots(program);
  islands(program);
  digest(program);
  checklist(program);
  push(program);
}

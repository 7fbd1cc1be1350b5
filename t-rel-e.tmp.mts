import { Command } from 'commander';
import { registerCommands } from './src/cli/commands/index.ts';
import { buildHostileRepo } from './tests/helpers/hostile-repo.ts';
import { tempDir } from './tests/helpers/git-fixture.ts';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
const { repo, base, head } = buildHostileRepo();
const db = join(tempDir(), 'g.db');
async function run(args: string[]) {
  const program = new Command('grasp').exitOverride();
  registerCommands(program);
  let out = '';
  const orig = process.stdout.write.bind(process.stdout);
  (process.stdout as any).write = (chunk: any) => { out += String(chunk); return true; };
  try { await program.parseAsync(['node', 'grasp', ...args, '--db', db]); } catch (e) { out += '\nERR ' + String(e); } finally { (process.stdout as any).write = orig; }
  return out;
}
await run(['ingest', repo.dir]);
await run(['engineer', 'add', 'ada', '--name', 'Ada <img src=x onerror=alert(2)>', '--email', 'ada@example.com']);
const res: Record<string, string> = {};
res.commits = await run(['commits']);
res.commitsJson = await run(['commits', '--json']);
for (const f of ['md', 'json', 'html']) res['report-' + f] = await run(['report', 'ada', '--format', f]);
for (const f of ['md', 'json']) res['checklist-' + f] = await run(['checklist', `${base}..${head}`, '--format', f]);
for (const f of ['md', 'json', 'html']) res['digest-' + f] = await run(['digest', '--format', f, '--week', '2026-W45']);
for (const f of ['md', 'json']) res['hotspots-' + f] = await run(['hotspots', '--format', f]);
for (const [k, v] of Object.entries(res)) writeFileSync(`/tmp/out-${k}.txt`, v);
console.log(repo.dir, db);

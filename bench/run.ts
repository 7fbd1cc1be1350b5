/**
 * `npm run bench`: every speed figure of the project, each as a ratio against a baseline
 * measured in the same run where one exists. Sections can be picked: `npm run bench -- ingest`.
 */
import { benchRepo, ms } from './common.ts';
import { benchIngest } from './ingest.ts';

const only = new Set(process.argv.slice(2));
const want = (name: string) => only.size === 0 || only.has(name);
const repo = benchRepo();
console.log(`bench repository: ${repo}`);

if (want('ingest')) {
  const r = await benchIngest(repo);
  console.log(`ingest: ${r.commits} commits in ${ms(r.ingestMs)}; git log alone ${ms(r.gitLogMs)}; ratio ${r.ratio.toFixed(2)}x (goal <= 1.5x)`);
  console.log(`re-ingest, nothing new: ${ms(r.reingestMs)} in-process (goal < 300 ms); ${ms(r.reingestCliMs)} as a CLI process incl. Node + tsx start-up`);
}

import { openNodeStore } from './src/db/node/open.ts';
import { ingestRepository } from './src/ingest/ingest.ts';
import { analyzeRepository } from './src/analysis/analyze.ts';
import { analyzedFileVersions, analyzeTexts, parseTextsRaw } from './src/analysis/bench.ts';
import { rmSync } from 'node:fs';
const repo = '/work/.mirror/honojs+hono/repo';
for (const s of ['', '-wal', '-shm']) rmSync('/tmp/hono-bench.db' + s, { force: true });
const store = openNodeStore('/tmp/hono-bench.db');
await ingestRepository(store, repo);
const c0 = process.cpuUsage();
const s = await analyzeRepository(store, repo);
const c = process.cpuUsage(c0);
console.log({ ...s, cpuMs: Math.round((c.user + c.system) / 1000) });
const files = await analyzedFileVersions(store, repo);
const raw: number[] = [], full: number[] = []; let symbols = 0;
for (let r = 0; r < 3; r++) { raw.push(parseTextsRaw(files).ms); const a = analyzeTexts(files); full.push(a.ms); symbols = a.symbols; }
console.log('versions', files.length, 'symbols', symbols, 'raw ms', raw.map(Math.round), 'full ms', full.map(Math.round), 'ratio', (Math.min(...raw) / Math.min(...full)).toFixed(2));
store.close();

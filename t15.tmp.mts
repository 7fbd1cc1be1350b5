import { openNodeStore } from './src/db/node/open.ts';
import { analyzedFileVersions, analyzeTexts, parseTextsRaw } from './src/analysis/bench.ts';
const store = openNodeStore('/tmp/hono-bench.db');
const files = await analyzedFileVersions(store, '/work/.mirror/honojs+hono/repo');
const cpu = (fn: () => void) => { const c = process.cpuUsage(); fn(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const raw: number[] = [], full: number[] = [];
for (let r = 0; r < 3; r++) { raw.push(cpu(() => parseTextsRaw(files))); full.push(cpu(() => analyzeTexts(files))); }
console.log(process.env.RAWP ? 'compiler parse' : 'ts-morph Project', 'raw cpu', raw.map(Math.round), 'full cpu', full.map(Math.round), 'ratio', (Math.min(...raw) / Math.min(...full)).toFixed(2));
store.close();

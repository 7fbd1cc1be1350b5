import { readFileSync } from 'node:fs';
import { analyzeTexts, parseTextsRaw } from './src/analysis/bench.ts';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, Number(process.argv[2] ?? 7383));
const raw: number[] = [], full: number[] = []; let symbols = 0;
for (let r = 0; r < 5; r++) { raw.push(parseTextsRaw(files).ms); const a = analyzeTexts(files); full.push(a.ms); symbols = a.symbols; console.log(r, Math.round(raw[r]), Math.round(full[r]), (raw[r] / full[r]).toFixed(2)); }
const min = (x: number[]) => Math.min(...x);
console.log('files', files.length, 'symbols', symbols, 'raw min', Math.round(min(raw)), 'full min', Math.round(min(full)), 'ratio(min)', (min(raw) / min(full)).toFixed(2));

import { readFileSync } from 'node:fs';
import { analyzeTexts, parseTextsRaw } from './src/analysis/bench.ts';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, 3000);
for (let r = 0; r < 3; r++) { console.log(Math.round(parseTextsRaw(files).ms), Math.round(analyzeTexts(files).ms)); }

import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import { parseWithTsMorph } from './src/analysis/parse.ts';
import { analyzeTexts, parseTextsRaw } from './src/analysis/bench.ts';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, 3000);
const cpu = (fn: () => void) => { const c = process.cpuUsage(); fn(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const res: Record<string, number[]> = { raw: [], rawParents: [], morph: [], full: [] };
for (let r = 0; r < 4; r++) {
  res.raw.push(cpu(() => parseTextsRaw(files)));
  res.rawParents.push(cpu(() => { for (const f of files) ts.createSourceFile('/x.ts', f.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS); }));
  res.morph.push(cpu(() => { for (const f of files) parseWithTsMorph(f.path, f.text); }));
  res.full.push(cpu(() => analyzeTexts(files)));
}
for (const [k, v] of Object.entries(res)) console.log(k, Math.round(Math.min(...v)), v.map(Math.round).join(' '));
console.log('ratio raw/full (min cpu)', (Math.min(...res.raw) / Math.min(...res.full)).toFixed(2));

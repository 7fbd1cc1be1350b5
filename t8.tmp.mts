import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import { parseWithTsMorph } from './src/analysis/parse.ts';
import { parseTextsRaw } from './src/analysis/bench.ts';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, 3000);
const a: number[] = [], b: number[] = [], c: number[] = [];
for (let r = 0; r < 5; r++) {
  a.push(parseTextsRaw(files).ms);
  let t = performance.now(); for (const f of files) parseWithTsMorph(f.path, f.text); b.push(performance.now() - t);
  t = performance.now(); for (const f of files) ts.createSourceFile('/x.ts', f.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS); c.push(performance.now() - t);
}
const min = (x: number[]) => Math.min(...x);
console.log('raw', Math.round(min(a)), 'morph', Math.round(min(b)), 'rawParents', Math.round(min(c)));

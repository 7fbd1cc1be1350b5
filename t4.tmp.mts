import { Project, ts } from 'ts-morph';
import { readFileSync } from 'node:fs';
import { analyzeSource, parseWithTsMorph } from './src/analysis/extract.ts';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, Number(process.argv[2] ?? 2000));
const kind = (p: string) => p.endsWith('.tsx') ? ts.ScriptKind.TSX : p.endsWith('.ts') || p.endsWith('.mts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
function raw() { for (const f of files) ts.createSourceFile('/x', f.text, ts.ScriptTarget.Latest, false, kind(f.path)); }
function morph() { for (const f of files) parseWithTsMorph(f.path, f.text); }
let symbols = 0;
function full() { symbols = 0; for (const f of files) symbols += analyzeSource(f.path, f.text).symbols.length; }
for (let r = 0; r < 3; r++) {
  for (const [name, fn] of [['raw', raw], ['morph', morph], ['full', full]] as const) { const t = performance.now(); fn(); console.log(name, Math.round(performance.now() - t)); }
}
console.log('symbols', symbols);

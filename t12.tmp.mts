import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, 3000);
const cpu = (fn: () => void) => { const c = process.cpuUsage(); fn(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const res: Record<string, number[]> = { rawParents: [], ls: [], retain128: [] };
for (let r = 0; r < 4; r++) {
  res.rawParents.push(cpu(() => { for (const f of files) ts.createSourceFile('/x.ts', f.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS); }));
  res.ls.push(cpu(() => { let i = 0; for (const f of files) ts.createLanguageServiceSourceFile(`/b${i++}.ts`, ts.ScriptSnapshot.fromString(f.text), 99, '1', true, ts.ScriptKind.TS); }));
  res.retain128.push(cpu(() => { let keep: unknown[] = []; for (const f of files) { if (keep.length >= 128) keep = []; keep.push(ts.createSourceFile('/x.ts', f.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)); } }));
}
for (const [k, v] of Object.entries(res)) console.log(k, Math.round(Math.min(...v)), v.map(Math.round).join(' '));

import { readFileSync } from 'node:fs';
import { Project, ts } from 'ts-morph';
const files = (JSON.parse(readFileSync('/tmp/hono-blobs.json', 'utf8')) as { path: string; text: string }[]).slice(0, 3000);
const cpu = (fn: () => void) => { const c = process.cpuUsage(); fn(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const mk = () => new Project({ useInMemoryFileSystem: true, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { allowJs: true, noLib: true, noResolve: true, target: ts.ScriptTarget.ESNext } });
const p1 = mk(), p2 = mk();
const v1 = () => { for (const f of files) p1.createSourceFile('/blob.ts', f.text, { overwrite: true, scriptKind: ts.ScriptKind.TS }).compilerNode; };
const v2 = () => { for (const f of files) { const sf = p2.createSourceFile('/blob.ts', f.text, { scriptKind: ts.ScriptKind.TS }); sf.compilerNode; p2.removeSourceFile(sf); } };
const v3 = () => { let p = mk(); let i = 0; for (const f of files) { if (++i % 4 === 0) p = mk(); p.createSourceFile(`/b${i}.ts`, f.text, { scriptKind: ts.ScriptKind.TS }).compilerNode; } };
const res: Record<string, number[]> = { rawParents: [], v1: [], v2: [], v3: [] };
for (let r = 0; r < 4; r++) {
  res.rawParents.push(cpu(() => { for (const f of files) ts.createSourceFile('/x.ts', f.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS); }));
  res.v1.push(cpu(v1)); res.v2.push(cpu(v2)); res.v3.push(cpu(v3));
}
for (const [k, v] of Object.entries(res)) console.log(k, Math.round(Math.min(...v)), v.map(Math.round).join(' '));
